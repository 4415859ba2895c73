package org.jmail.smtpd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.jmail.cleanup.CleanupSession;

/**
 * Copies message content (DATA after un-dot-stuffing, or BDAT chunks) into a
 * {@link CleanupSession}, line by line, as Postfix's data_cmd does:
 * <ul>
 * <li>{@code message_size_limit} is enforced while reading: each line counts its length plus
 *     2 for CRLF; once over the limit nothing more is written, but the caller keeps reading to
 *     the end so that the session stays in step, then replies 552;</li>
 * <li>a leading {@code From } line (optionally {@code >}-quoted) becomes an
 *     {@code X-Mailbox-Line:} header; content that starts with white space gets an empty line
 *     first, so it cannot continue our Received: header;</li>
 * <li>a line that arrives in pieces (longer than the reader's chunk) is reassembled up to
 *     {@link #MAX_LINE} bytes; longer lines are split there, because {@link CleanupSession}
 *     takes whole lines and memory per session must stay bounded;</li>
 * <li>a cleanup write failure is remembered and reported at the end (451), never thrown at the
 *     reader.</li>
 * </ul>
 * Not thread-safe.
 */
final class ContentWriter {

    /** The longest line kept whole; longer ones are split (see the class comment). */
    static final int MAX_LINE = 64 * 1024;

    private static final SmtpdLog LOG = SmtpdLog.INSTANCE;
    private static final byte[] MAILBOX_LINE = "X-Mailbox-Line: ".getBytes(StandardCharsets.US_ASCII);

    private final CleanupSession session;
    private final long sizeLimit;
    private long size;
    private boolean first = true;
    private boolean tooBig;
    private boolean writeFailed;
    private byte[] pending;
    private int pendingLength;

    ContentWriter(CleanupSession session, long sizeLimit) {
        this.session = session;
        this.sizeLimit = sizeLimit;
    }

    /**
     * Takes a piece of a line.
     *
     * @param endOfLine true when the piece ends the line (its terminator already removed)
     */
    void fragment(byte[] b, int off, int len, boolean endOfLine) {
        if (!endOfLine) {
            append(b, off, len);
            if (pendingLength >= MAX_LINE) {
                line(pending, 0, pendingLength);
                pendingLength = 0;
            }
            return;
        }
        if (pendingLength > 0) {
            append(b, off, len);
            line(pending, 0, pendingLength);
            pendingLength = 0;
        } else {
            line(b, off, len);
        }
    }

    /** Ends the content: a partial last line (BDAT without final LF) is written as a line. */
    void finish() {
        if (pendingLength > 0) {
            line(pending, 0, pendingLength);
            pendingLength = 0;
        }
    }

    private void append(byte[] b, int off, int len) {
        if (pending == null) {
            pending = new byte[Math.max(1024, Math.min(MAX_LINE, Integer.highestOneBit(Math.max(len, 1)) * 2))];
        }
        if (pendingLength + len > pending.length) {
            int cap = pending.length;
            while (cap < pendingLength + len) {
                cap *= 2;
            }
            byte[] grown = new byte[cap];
            System.arraycopy(pending, 0, grown, 0, pendingLength);
            pending = grown;
        }
        System.arraycopy(b, off, pending, pendingLength, len);
        pendingLength += len;
    }

    private void line(byte[] b, int off, int len) {
        if (tooBig || writeFailed) {
            return;
        }
        try {
            if (first) {
                int q = off;
                while (q < off + len && b[q] == '>') {
                    q++;
                }
                if (off + len - q >= 5 && b[q] == 'F' && b[q + 1] == 'r' && b[q + 2] == 'o' && b[q + 3] == 'm'
                        && b[q + 4] == ' ') {
                    byte[] header = new byte[MAILBOX_LINE.length + len];
                    System.arraycopy(MAILBOX_LINE, 0, header, 0, MAILBOX_LINE.length);
                    System.arraycopy(b, off, header, MAILBOX_LINE.length, len);
                    session.writeLine(header, 0, header.length);
                    return;
                }
                first = false;
                if (len > 0 && (b[off] == ' ' || b[off] == '\t')) {
                    session.writeLine(b, off, 0);
                }
            }
            if (sizeLimit > 0 && sizeLimit - size < len + 2L) {
                tooBig = true;
                String id = session.queueId();
                LOG.warn((id == null ? "NOQUEUE" : id) + ": queue file size limit exceeded");
                return;
            }
            size += len + 2L;
            session.writeLine(b, off, len);
        } catch (IOException e) {
            writeFailed = true;
            LOG.warn(session.queueId() + ": cleanup write error: " + e.getMessage());
        }
    }

    /** Content bytes counted so far (lines plus CRLF), for logs. */
    long size() {
        return size;
    }

    boolean tooBig() {
        return tooBig;
    }

    boolean writeFailed() {
        return writeFailed;
    }
}
