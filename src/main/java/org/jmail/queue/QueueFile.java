package org.jmail.queue;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * The on-disk layout of one queue file (jmail's own record format; Postfix's is not reused
 * because no tool reads it). One file per message, written once by cleanup and then only
 * appended to by the queue manager:
 *
 * <pre>
 *   "JMQ1"                                   magic and version
 *   'T' u32 len  u64 arrival (epoch µs)      envelope records: type, length, payload
 *   'S' u32 len  sender (UTF-8, "" = &lt;&gt;)
 *   'A' u32 len  name=value                 zero or more: client, protocol, ...
 *   'R' u32 len  address NUL original        one per recipient, index = order
 *   'P' u32 len  zero bytes                  optional padding (keeps a recycled file's size)
 *   'M' u64 len  content bytes               headers + body, lines end in LF
 *   'E' u32 headCrc u32 contentCrc u64 len   end marker: the file is complete
 *   status records, appended later:          type, u32 len, payload, u32 crc
 *     'D' u32 index u8 ('S' sent | 'B' bounced)       recipient done
 *     'F' u32 index dsn NUL relay NUL text            last deferral reason
 *     'W' u32 index                                   delay warning sent for the recipient
 * </pre>
 *
 * <p>{@code headCrc} covers the bytes from the magic up to and including the 'M' type byte;
 * {@code contentCrc} covers the content; both are CRC-32. A file without a valid end marker is
 * incomplete (a crash while cleanup wrote it, only possible in {@code incoming/}) or corrupt
 * (anywhere else). Status records carry their own CRC so that a torn append after a crash is
 * recognised and ignored: it was never confirmed, so the delivery agent's own recovery state
 * still covers it.
 */
public final class QueueFile {

    static final byte[] MAGIC = {'J', 'M', 'Q', '1'};
    static final byte REC_TIME = 'T';
    static final byte REC_SENDER = 'S';
    static final byte REC_ATTR = 'A';
    static final byte REC_RCPT = 'R';
    static final byte REC_PAD = 'P';
    static final byte REC_CONTENT = 'M';
    static final byte REC_END = 'E';
    static final byte REC_DONE = 'D';
    static final byte REC_DEFER = 'F';
    static final byte REC_WARNED = 'W';
    static final byte DONE_SENT = 'S';
    static final byte DONE_BOUNCED = 'B';
    /** 'E' + headCrc + contentCrc + length. */
    static final int END_SIZE = 1 + 4 + 4 + 8;

    private QueueFile() {
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    static void putLong(byte[] b, int off, long v) {
        putInt(b, off, (int) (v >>> 32));
        putInt(b, off + 4, (int) v);
    }

    static int getInt(byte[] b, int off) {
        return (b[off] & 0xFF) << 24 | (b[off + 1] & 0xFF) << 16 | (b[off + 2] & 0xFF) << 8 | (b[off + 3] & 0xFF);
    }

    static long getLong(byte[] b, int off) {
        return ((long) getInt(b, off) << 32) | (getInt(b, off + 4) & 0xFFFFFFFFL);
    }

    static int crc(byte[] b, int off, int len) {
        CRC32 c = new CRC32();
        c.update(b, off, len);
        return (int) c.getValue();
    }

    /**
     * A batch of status records for one message, written with one write and one fdatasync by
     * {@link MailQueue#appendStatus}.
     */
    public static final class StatusBatch {
        private final Bytes out = new Bytes(128);
        private final java.util.List<Runnable> apply = new java.util.ArrayList<>();

        /** Recipient {@code r} is finished: delivered ({@code bounced == false}) or returned. */
        public StatusBatch done(QueuedRecipient r, boolean bounced) {
            byte[] p = new byte[5];
            putInt(p, 0, r.index());
            p[4] = bounced ? DONE_BOUNCED : DONE_SENT;
            record(REC_DONE, p);
            apply.add(r::markDone);
            return this;
        }

        /** The latest reason why recipient {@code r} was deferred (shown by mailq, used on expiry). */
        public StatusBatch deferred(QueuedRecipient r, String dsn, String relay, String text) {
            byte[] t = utf8(dsn + '\0' + relay + '\0' + text);
            byte[] p = new byte[4 + t.length];
            putInt(p, 0, r.index());
            System.arraycopy(t, 0, p, 4, t.length);
            record(REC_DEFER, p);
            apply.add(() -> r.setDeferral(dsn, relay, text));
            return this;
        }

        /** The sender was warned that recipient {@code r} is delayed (Postfix's delay_warning_time). */
        public StatusBatch warned(QueuedRecipient r) {
            byte[] p = new byte[4];
            putInt(p, 0, r.index());
            record(REC_WARNED, p);
            apply.add(r::markWarned);
            return this;
        }

        public boolean isEmpty() {
            return apply.isEmpty();
        }

        private void record(byte type, byte[] payload) {
            byte[] h = new byte[5];
            h[0] = type;
            putInt(h, 1, payload.length);
            CRC32 c = new CRC32();
            c.update(h, 0, 5);
            c.update(payload, 0, payload.length);
            byte[] tail = new byte[4];
            putInt(tail, 0, (int) c.getValue());
            out.append(h, 0, 5);
            out.append(payload, 0, payload.length);
            out.append(tail, 0, 4);
        }

        Bytes bytes() {
            return out;
        }

        void applyInMemory() {
            apply.forEach(Runnable::run);
        }
    }
}
