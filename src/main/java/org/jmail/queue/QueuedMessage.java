package org.jmail.queue;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A message in the queue as read from (or just written to) its queue file: envelope,
 * recipients with their done state, and where the content lies. Small contents are kept in
 * memory right after cleanup wrote them, so that delivery does not read the file back.
 *
 * <p>The queue name ({@code active}, {@code deferred}, ...) changes as the queue manager
 * moves the file; {@link #path()} follows it.
 */
public final class QueuedMessage {

    private final MailQueue queue;
    private final String id;
    private volatile String queueName;
    private final Instant arrival;
    private final String sender;
    private final Map<String, String> attributes;
    private final List<QueuedRecipient> recipients;
    private final long contentOffset;
    private final long contentLength;
    private volatile byte[] content;       // null when not cached; valid bytes [0, contentLength)
    private volatile boolean recovered;

    QueuedMessage(MailQueue queue, String id, String queueName, Instant arrival, String sender,
                  Map<String, String> attributes, List<QueuedRecipient> recipients,
                  long contentOffset, long contentLength, byte[] content) {
        this.queue = queue;
        this.id = id;
        this.queueName = queueName;
        this.arrival = arrival;
        this.sender = sender;
        this.attributes = Collections.unmodifiableMap(attributes);
        this.recipients = Collections.unmodifiableList(recipients);
        this.contentOffset = contentOffset;
        this.contentLength = contentLength;
        this.content = content;
    }

    public String id() {
        return id;
    }

    /** "active", "deferred", "hold", ... */
    public String queueName() {
        return queueName;
    }

    void setQueueName(String name) {
        queueName = name;
    }

    public Path path() {
        return queue.path(queueName, id);
    }

    public Instant arrivalTime() {
        return arrival;
    }

    /** Envelope sender; "" for the null sender. */
    public String sender() {
        return sender;
    }

    /** Origin attributes: client_name, client_address, protocol, helo_name, sasl_username, ... */
    public Map<String, String> attributes() {
        return attributes;
    }

    public List<QueuedRecipient> recipients() {
        return recipients;
    }

    /** Recipients not yet finished. */
    public int pendingRecipients() {
        int n = 0;
        for (QueuedRecipient r : recipients) {
            if (!r.isDone()) {
                n++;
            }
        }
        return n;
    }

    public long contentSize() {
        return contentLength;
    }

    /** True when the message was in the active queue when the daemon started (it was in flight). */
    public boolean recovered() {
        return recovered;
    }

    public void setRecovered(boolean recovered) {
        this.recovered = recovered;
    }

    /** The content (headers and body, LF line ends), from memory when cached, else from the file. */
    public InputStream openContent() throws IOException {
        byte[] c = content;
        if (c != null) {
            return new ByteArrayInputStream(c, 0, (int) contentLength);
        }
        FileChannel ch = FileChannel.open(path(), StandardOpenOption.READ);
        return new BufferedInputStream(new RegionInputStream(ch, contentOffset, contentLength), 65536);
    }

    /** The cached content (valid bytes [0, contentSize()); never modified), or null. */
    public byte[] contentInMemory() {
        return content;
    }

    /** The whole content as one array (for bounces; callers bound the size they ask for). */
    public byte[] readContent(long max) throws IOException {
        int n = (int) Math.min(contentLength, max);
        byte[] c = content;
        if (c != null) {
            return java.util.Arrays.copyOf(c, n);
        }
        try (InputStream in = openContent()) {
            return in.readNBytes(n);
        }
    }

    /** Drops the in-memory copy of the content (when the message leaves memory). */
    public void releaseContent() {
        byte[] c = content;
        if (c != null) {
            content = null;
            queue.cache().release(c.length);
        }
    }

    boolean hasCachedContent() {
        return content != null;
    }

    /** A bounded view of one region of a file; closes the channel. */
    private static final class RegionInputStream extends InputStream {
        private final FileChannel ch;
        private long pos;
        private final long end;

        RegionInputStream(FileChannel ch, long offset, long length) {
            this.ch = ch;
            this.pos = offset;
            this.end = offset + length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (pos >= end) {
                return -1;
            }
            int n = (int) Math.min(len, end - pos);
            int r = ch.read(ByteBuffer.wrap(b, off, n), pos);
            if (r < 0) {
                throw new IOException("queue file truncated while reading content");
            }
            pos += r;
            return r;
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
    }
}
