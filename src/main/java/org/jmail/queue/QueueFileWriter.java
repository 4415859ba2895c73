package org.jmail.queue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Writes one new queue file in {@code incoming/}. The envelope (sender, attributes,
 * recipients) must be complete before the first content line; content is collected in memory
 * and written with a single gathering write at {@link MailQueue#commit}, unless it grows
 * past 256 KB, in which case the file is streamed in 64 KB chunks from then on. Either way
 * there is no system call per line.
 *
 * <p><b>Keeping the file size.</b> A file that is written in one piece is padded (an envelope
 * record of zeros, {@link QueueFile#REC_PAD}) to the size its recycled file already has, or
 * else up to a multiple of 4 KB, so that similar messages fit the next time. Overwriting
 * allocated blocks without changing the size keeps block allocation (bitmaps, extents) and
 * truncation out of the fdatasync that every commit waits for.
 *
 * <p>Not thread-safe: one writer belongs to one cleanup session. {@link #discard()} removes
 * the file (a recycled one goes back to the spares); a writer left neither committed nor
 * discarded leaves an {@code incoming/} file that the queue manager deletes at its next start,
 * or a spare whose content is garbage (neither was ever acknowledged).
 */
public final class QueueFileWriter {

    static final int STREAM_THRESHOLD = ContentCache.MAX_ENTRY;
    static final int FLUSH_CHUNK = 64 * 1024;
    /** New sizes are rounded up to whole file-system blocks, so the next similar message fits. */
    static final int SIZE_GRAIN = 4096;
    /** Padding to an old size is worth writing up to this much (else the file is cut). */
    static final int PAD_MAX = 16 * 1024;

    private final MailQueue queue;
    private final String id;
    private final Path path;
    private final FileChannel ch;
    private final Instant arrival;
    private String sender;
    private final Map<String, String> attributes = new LinkedHashMap<>();
    private final List<QueuedRecipient> recipients = new ArrayList<>();
    private Bytes content = new Bytes(8192);
    private long contentLength;
    private boolean streaming;
    private long filePos;
    private long lengthFieldOffset;
    private long contentOffset;
    private int headCrc;
    private final CRC32 contentCrc = new CRC32();
    private boolean finished;
    private boolean discarded;
    /** The size of the recycled file this writer overwrites ({@link MailQueue}), -1 for a new file. */
    private final long oldSize;

    QueueFileWriter(MailQueue queue, String id, Path path, FileChannel ch, long oldSize, Instant arrival,
                    String sender) {
        this.queue = queue;
        this.id = id;
        this.path = path;
        this.ch = ch;
        this.oldSize = oldSize;
        this.arrival = arrival;
        this.sender = sender;
    }

    public String id() {
        return id;
    }

    public Instant arrivalTime() {
        return arrival;
    }

    public String sender() {
        return sender;
    }

    public void setSender(String sender) {
        requireEnvelopeOpen();
        this.sender = sender;
    }

    /** An origin attribute (client_name, client_address, protocol, ...). */
    public void attribute(String name, String value) {
        requireEnvelopeOpen();
        if (value != null) {
            attributes.put(name, value);
        }
    }

    /** @param original the original recipient, or null when the same as {@code address} */
    public void addRecipient(String address, String original) {
        addRecipient(address, original, 0, null);
    }

    /**
     * @param notify DSN NOTIFY= flags ({@link QueuedRecipient#NOTIFY_NEVER} ...), 0 for none
     * @param orcpt  DSN ORCPT= ("rfc822;addr", decoded) or null
     */
    public void addRecipient(String address, String original, int notify, String orcpt) {
        requireEnvelopeOpen();
        recipients.add(new QueuedRecipient(recipients.size(), address,
                original == null || original.equals(address) ? null : original, notify, orcpt));
    }

    public int recipientCount() {
        return recipients.size();
    }

    /** Content bytes so far, LF line ends included. */
    public long contentLength() {
        return contentLength;
    }

    /** Appends one content line and its LF. */
    public void appendLine(byte[] b, int off, int len) throws IOException {
        content.append(b, off, len);
        content.append((byte) '\n');
        contentLength += len + 1;
        if (streaming ? content.length() >= FLUSH_CHUNK : content.length() >= STREAM_THRESHOLD) {
            flushContent();
        }
    }

    private void flushContent() throws IOException {
        if (!streaming) {
            Bytes head = head(0, false);
            writeFully(head.asBuffer());
            streaming = true;
        }
        contentCrc.update(content.array(), 0, content.length());
        writeFully(content.asBuffer());
        content.clear();
    }

    /** Writes the rest, makes the file data durable (fdatasync) and closes it. */
    QueuedMessage finish() throws IOException {
        if (finished || discarded) {
            throw new IllegalStateException(id + ": queue file already finished");
        }
        finished = true;
        try {
            byte[] end = new byte[QueueFile.END_SIZE];
            if (!streaming) {
                Bytes head = head(contentLength, true);
                contentCrc.update(content.array(), 0, content.length());
                fillEnd(end);
                writeFully(head.asBuffer(), content.asBuffer(), ByteBuffer.wrap(end));
            } else {
                contentCrc.update(content.array(), 0, content.length());
                fillEnd(end);
                writeFully(content.asBuffer(), ByteBuffer.wrap(end));
                byte[] len = new byte[8];
                QueueFile.putLong(len, 0, contentLength);
                ByteBuffer lb = ByteBuffer.wrap(len);
                long at = lengthFieldOffset;
                while (lb.hasRemaining()) {
                    at += ch.write(lb, at);
                }
            }
            if (filePos < oldSize) {
                ch.truncate(filePos); // the recycled file's old tail must go
            }
            ch.force(false);
        } finally {
            ch.close();
        }
        byte[] cached = null;
        if (!streaming && queue.cache().reserve(content.array().length)) {
            cached = content.array();
        }
        content = null;
        return new QueuedMessage(queue, id, MailQueue.INCOMING, arrival, sender, attributes, recipients,
                contentOffset, contentLength, cached);
    }

    /** Closes and deletes the file; safe to call more than once. */
    public void discard() {
        if (discarded) {
            return;
        }
        discarded = true;
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing to save
        }
        if (!finished) {
            queue.dropUncommitted(path);
        }
        queue.closed(id);
    }

    boolean isFinished() {
        return finished;
    }

    Path path() {
        return path;
    }

    /**
     * The padding that brings a file of {@code bare} bytes to the recycled file's size, or up to
     * the next {@link #SIZE_GRAIN}; 0 when the old size is much larger (the file is cut then).
     * A padding record takes at least its 5-byte header.
     */
    private long padding(long bare) {
        if (oldSize == bare) {
            return 0;
        }
        if (oldSize >= bare + 5 && oldSize - bare <= PAD_MAX) {
            return oldSize - bare;
        }
        if (oldSize > bare) {
            return 0;
        }
        return (bare + 5 + SIZE_GRAIN - 1) / SIZE_GRAIN * SIZE_GRAIN - bare;
    }

    /**
     * The envelope records and the content record's header, padded (see {@link #padding})
     * when {@code pad} is set and the content length is known.
     */
    private Bytes head(long length, boolean pad) {
        Bytes b = new Bytes(512);
        b.append(QueueFile.MAGIC, 0, QueueFile.MAGIC.length);
        byte[] t = new byte[8];
        QueueFile.putLong(t, 0, arrival.getEpochSecond() * 1_000_000L + arrival.getNano() / 1000);
        record(b, QueueFile.REC_TIME, t);
        record(b, QueueFile.REC_SENDER, QueueFile.utf8(sender));
        for (Map.Entry<String, String> a : attributes.entrySet()) {
            record(b, QueueFile.REC_ATTR, QueueFile.utf8(a.getKey() + "=" + a.getValue()));
        }
        for (QueuedRecipient r : recipients) {
            // address NUL original [NUL notify NUL orcpt]: files without the DSN fields read as before
            String v = r.address() + '\0' + (r.original() == null ? "" : r.original())
                    + (r.dsnNotify() == 0 && r.orcpt() == null ? ""
                            : "\0" + r.dsnNotify() + '\0' + (r.orcpt() == null ? "" : r.orcpt()));
            record(b, QueueFile.REC_RCPT, QueueFile.utf8(v));
        }
        long padding = pad ? padding(b.length() + 9L + length + QueueFile.END_SIZE) : 0;
        if (padding > 0) {
            record(b, QueueFile.REC_PAD, new byte[(int) padding - 5]);
        }
        b.append(QueueFile.REC_CONTENT);
        headCrc = QueueFile.crc(b.array(), 0, b.length());
        lengthFieldOffset = b.length();
        byte[] len = new byte[8];
        QueueFile.putLong(len, 0, length);
        b.append(len, 0, 8);
        contentOffset = b.length();
        return b;
    }

    private void fillEnd(byte[] end) {
        end[0] = QueueFile.REC_END;
        QueueFile.putInt(end, 1, headCrc);
        QueueFile.putInt(end, 5, (int) contentCrc.getValue());
        QueueFile.putLong(end, 9, contentLength);
    }

    private static void record(Bytes b, byte type, byte[] payload) {
        byte[] h = new byte[5];
        h[0] = type;
        QueueFile.putInt(h, 1, payload.length);
        b.append(h, 0, 5);
        b.append(payload, 0, payload.length);
    }

    private void writeFully(ByteBuffer... bufs) throws IOException {
        long total = 0;
        for (ByteBuffer bb : bufs) {
            total += bb.remaining();
        }
        long written = 0;
        while (written < total) {
            written += ch.write(bufs);
        }
        filePos += total;
    }

    private void requireEnvelopeOpen() {
        if (streaming || finished) {
            throw new IllegalStateException(id + ": envelope change after content was written");
        }
    }
}
