package org.jmail.queue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses a queue file written by {@link QueueFileWriter} (see {@link QueueFile} for the
 * layout). Files up to 1 MB are read with one read and fully verified (both checksums);
 * larger files are read in two parts (envelope, then end marker and status records) and
 * their content checksum is not verified. A torn status record at the end (crash during an
 * append) ends the status list quietly; anything else wrong is a
 * {@link CorruptQueueFileException}.
 */
public final class QueueFileReader {

    private static final int WHOLE_FILE_LIMIT = 1024 * 1024;

    private QueueFileReader() {
    }

    static QueuedMessage read(MailQueue queue, String queueName, String id, Path file)
            throws IOException, CorruptQueueFileException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size <= WHOLE_FILE_LIMIT) {
                byte[] all = new byte[(int) size];
                readFully(ch, all, 0);
                return parse(queue, queueName, id, all, all.length, 0, null);
            }
            byte[] head = new byte[(int) Math.min(size, 65536)];
            while (true) {
                readFully(ch, head, 0);
                int end = scanToContent(head, head.length);
                if (end > 0 || head.length == size) {
                    break;
                }
                head = new byte[(int) Math.min(size, (long) head.length * 4)];
            }
            return parse(queue, queueName, id, head, head.length, size, ch);
        }
    }

    /**
     * @param buf   the file's bytes from offset 0 (the whole file when {@code ch} is null)
     * @param total the file size when only a prefix is in {@code buf}
     */
    private static QueuedMessage parse(MailQueue queue, String queueName, String id, byte[] buf, int len,
                                       long total, FileChannel ch) throws IOException, CorruptQueueFileException {
        if (len < QueueFile.MAGIC.length || buf[0] != 'J' || buf[1] != 'M' || buf[2] != 'Q' || buf[3] != '1') {
            throw new CorruptQueueFileException("bad queue file magic");
        }
        int p = QueueFile.MAGIC.length;
        Instant arrival = null;
        String sender = null;
        Map<String, String> attrs = new LinkedHashMap<>();
        List<QueuedRecipient> rcpts = new ArrayList<>();
        while (true) {
            if (p >= len) {
                throw new CorruptQueueFileException("truncated envelope");
            }
            byte type = buf[p];
            if (type == QueueFile.REC_CONTENT) {
                break;
            }
            if (p + 5 > len) {
                throw new CorruptQueueFileException("truncated envelope record");
            }
            int rl = QueueFile.getInt(buf, p + 1);
            if (rl < 0 || p + 5 + rl > len) {
                throw new CorruptQueueFileException("truncated envelope record");
            }
            int d = p + 5;
            switch (type) {
                case QueueFile.REC_TIME -> {
                    if (rl != 8) {
                        throw new CorruptQueueFileException("bad arrival time record");
                    }
                    long us = QueueFile.getLong(buf, d);
                    arrival = Instant.ofEpochSecond(Math.floorDiv(us, 1_000_000L), Math.floorMod(us, 1_000_000L) * 1000);
                }
                case QueueFile.REC_SENDER -> sender = new String(buf, d, rl, StandardCharsets.UTF_8);
                case QueueFile.REC_ATTR -> {
                    String a = new String(buf, d, rl, StandardCharsets.UTF_8);
                    int eq = a.indexOf('=');
                    if (eq <= 0) {
                        throw new CorruptQueueFileException("bad attribute record");
                    }
                    attrs.put(a.substring(0, eq), a.substring(eq + 1));
                }
                case QueueFile.REC_RCPT -> {
                    String r = new String(buf, d, rl, StandardCharsets.UTF_8);
                    int nul = r.indexOf('\0');
                    if (nul < 0) {
                        throw new CorruptQueueFileException("bad recipient record");
                    }
                    String orig = r.substring(nul + 1);
                    int notify = 0;
                    String orcpt = null;
                    int nul2 = orig.indexOf('\0');
                    if (nul2 >= 0) { // the DSN fields: notify NUL orcpt
                        int nul3 = orig.indexOf('\0', nul2 + 1);
                        try {
                            notify = Integer.parseInt(orig.substring(nul2 + 1, nul3 < 0 ? orig.length() : nul3));
                        } catch (NumberFormatException e) {
                            throw new CorruptQueueFileException("bad recipient record");
                        }
                        orcpt = nul3 < 0 || nul3 + 1 == orig.length() ? null : orig.substring(nul3 + 1);
                        orig = orig.substring(0, nul2);
                    }
                    rcpts.add(new QueuedRecipient(rcpts.size(), r.substring(0, nul), orig.isEmpty() ? null : orig,
                            notify, orcpt));
                }
                case QueueFile.REC_PAD -> {
                    // padding: QueueFileWriter keeps a recycled file's size
                }
                default -> throw new CorruptQueueFileException("unexpected record type " + (type & 0xFF));
            }
            p = d + rl;
        }
        if (arrival == null || sender == null || rcpts.isEmpty()) {
            throw new CorruptQueueFileException("incomplete envelope");
        }
        int headCrc = QueueFile.crc(buf, 0, p + 1);
        if (p + 9 > len) {
            throw new CorruptQueueFileException("truncated content record");
        }
        long contentLength = QueueFile.getLong(buf, p + 1);
        long contentOffset = p + 9L;
        long fileSize = ch == null ? len : total;
        long endAt = contentOffset + contentLength;
        if (contentLength < 0 || endAt + QueueFile.END_SIZE > fileSize) {
            throw new CorruptQueueFileException("truncated queue file");
        }
        byte[] tail;
        int tp;
        if (ch == null) {
            tail = buf;
            tp = (int) endAt;
        } else {
            tail = new byte[(int) (fileSize - endAt)];
            ByteBuffer bb = ByteBuffer.wrap(tail);
            long pos = endAt;
            while (bb.hasRemaining()) {
                int r = ch.read(bb, pos);
                if (r < 0) {
                    throw new CorruptQueueFileException("truncated queue file");
                }
                pos += r;
            }
            tp = 0;
        }
        if (tail[tp] != QueueFile.REC_END) {
            throw new CorruptQueueFileException("missing end record");
        }
        if (QueueFile.getInt(tail, tp + 1) != headCrc) {
            throw new CorruptQueueFileException("envelope checksum mismatch");
        }
        if (QueueFile.getLong(tail, tp + 9) != contentLength) {
            throw new CorruptQueueFileException("content length mismatch");
        }
        byte[] cached = null;
        if (ch == null) {
            int contentCrc = QueueFile.crc(buf, (int) contentOffset, (int) contentLength);
            if (QueueFile.getInt(tail, tp + 5) != contentCrc) {
                throw new CorruptQueueFileException("content checksum mismatch");
            }
            if (queue != null && queue.cache().reserve(contentLength)) {
                cached = java.util.Arrays.copyOfRange(buf, (int) contentOffset, (int) endAt);
            }
        }
        int sp = tp + QueueFile.END_SIZE;
        int tailLen = ch == null ? len : tail.length;
        // Status records: stop quietly at a torn one (never confirmed, see QueueFile).
        while (sp + 9 <= tailLen) {
            byte type = tail[sp];
            int rl = QueueFile.getInt(tail, sp + 1);
            if (rl < 0 || sp + 5 + rl + 4 > tailLen) {
                break;
            }
            if (QueueFile.crc(tail, sp, 5 + rl) != QueueFile.getInt(tail, sp + 5 + rl)) {
                break;
            }
            int d = sp + 5;
            if (rl < 4) {
                throw new CorruptQueueFileException("bad status record");
            }
            int idx = QueueFile.getInt(tail, d);
            if (idx < 0 || idx >= rcpts.size()) {
                throw new CorruptQueueFileException("status record for unknown recipient " + idx);
            }
            if (type == QueueFile.REC_DONE) {
                rcpts.get(idx).markDone();
            } else if (type == QueueFile.REC_DEFER) {
                String[] f = new String(tail, d + 4, rl - 4, StandardCharsets.UTF_8).split("\0", 3);
                if (f.length == 3) {
                    rcpts.get(idx).setDeferral(f[0], f[1], f[2]);
                }
            } else if (type == QueueFile.REC_WARNED) {
                rcpts.get(idx).markWarned();
            } else {
                throw new CorruptQueueFileException("unexpected status record type " + (type & 0xFF));
            }
            sp = d + rl + 4;
        }
        return new QueuedMessage(queue, id, queueName, arrival, sender, attrs, rcpts, contentOffset,
                contentLength, cached);
    }

    /** Offset just past the 'M' header in {@code buf}, or -1 when the envelope is longer than buf. */
    private static int scanToContent(byte[] buf, int len) {
        int p = QueueFile.MAGIC.length;
        while (p < len) {
            if (buf[p] == QueueFile.REC_CONTENT) {
                return p + 9 <= len ? p + 9 : -1;
            }
            if (p + 5 > len) {
                return -1;
            }
            int rl = QueueFile.getInt(buf, p + 1);
            if (rl < 0) {
                return 1; // let parse() report it
            }
            p += 5 + rl;
        }
        return -1;
    }

    private static void readFully(FileChannel ch, byte[] b, long pos) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(b);
        while (bb.hasRemaining()) {
            int r = ch.read(bb, pos + bb.position());
            if (r < 0) {
                throw new IOException("file shrank while reading");
            }
        }
    }
}
