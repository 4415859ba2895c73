package org.jmail.smtpd;

import java.io.IOException;
import java.io.InputStream;
import org.jmail.util.ByteSearch;

/**
 * Buffered reading of SMTP client input, without per-byte calls and without decoding: lines
 * (ended by LF, with an optional CR before it removed, as Postfix's smtp_get accepts bare LF),
 * pieces of over-long lines, and raw byte runs for BDAT. The line is left in {@link #buffer()}
 * at {@link #start()}/{@link #length()} until the next call.
 *
 * <p>Before reading from the stream (only when the buffered input is used up), the
 * {@code beforeBlock} action runs: the shell flushes queued replies there, so pipelined
 * commands are answered in one write once the buffered input is drained (RFC 2920, as
 * Postfix's smtpd), and never while more input is already buffered. A bare CR is
 * content, not a line end. Not thread-safe.
 */
final class SmtpInput {

    /** Runs before a read that may block (the shell flushes its replies). */
    @FunctionalInterface
    interface BeforeBlock {
        void run() throws IOException;
    }

    private final InputStream in;
    private final byte[] buf;
    private final BeforeBlock beforeBlock;
    private int pos;
    private int limit;
    private int lineStart;
    private int lineLength;
    private boolean endOfLine;
    private boolean bareLf;

    SmtpInput(InputStream in, int bufferSize, BeforeBlock beforeBlock) {
        this(in, new byte[bufferSize], beforeBlock);
    }

    /** Reads through {@code buffer}, which this reader then owns until it is dropped. */
    SmtpInput(InputStream in, byte[] buffer, BeforeBlock beforeBlock) {
        this.in = in;
        this.buf = buffer;
        this.beforeBlock = beforeBlock;
    }

    byte[] buffer() {
        return buf;
    }

    int start() {
        return lineStart;
    }

    int length() {
        return lineLength;
    }

    /** The last piece ended its line (false: a chunk of a longer line, more follows). */
    boolean endOfLine() {
        return endOfLine;
    }

    /** The last line ended with LF alone. */
    boolean bareLf() {
        return bareLf;
    }

    /**
     * Reads the next line, or the next {@code max} bytes of a longer one.
     *
     * @return false at end of input (an unterminated last line is dropped: the client went away)
     */
    boolean readLine(int max) throws IOException {
        if (max > buf.length - 2) {
            max = buf.length - 2;
        }
        int scanned = 0; // bytes after pos known to hold no LF (an offset: fill() moves the data)
        while (true) {
            int window = Math.min(limit, pos + max + 2);
            int i = ByteSearch.indexOf(buf, (byte) '\n', pos + scanned, window);
            if (i >= 0) {
                int end = i;
                boolean cr = end > pos && buf[end - 1] == '\r';
                if (cr) {
                    end--;
                }
                if (end - pos <= max) { // else max+1 bytes before a bare LF: a piece, below
                    lineStart = pos;
                    lineLength = end - pos;
                    endOfLine = true;
                    bareLf = !cr;
                    pos = i + 1;
                    return true;
                }
            }
            scanned = window - pos;
            if (limit - pos >= max + 2) {
                // no line end within max bytes: hand out a piece of the line
                lineStart = pos;
                lineLength = max;
                endOfLine = false;
                bareLf = false;
                pos += max;
                return true;
            }
            if (!fill()) {
                return false;
            }
        }
    }

    /** Discards input up to and including the next LF (the rest of an over-long command). */
    boolean skipLine() throws IOException {
        while (true) {
            int i = ByteSearch.indexOf(buf, (byte) '\n', pos, limit);
            if (i >= 0) {
                pos = i + 1;
                return true;
            }
            pos = limit;
            if (!fill()) {
                return false;
            }
        }
    }

    /**
     * Makes up to {@code max} raw bytes available (BDAT content) at {@link #start()}.
     *
     * @return the number of bytes, 0 at end of input
     */
    int readBytes(long max) throws IOException {
        if (pos == limit && !fill()) {
            return 0;
        }
        int n = (int) Math.min(max, limit - pos);
        lineStart = pos;
        lineLength = n;
        pos += n;
        return n;
    }

    /** Bytes already received and not yet consumed. */
    int buffered() {
        return limit - pos;
    }

    /** Whether the client has sent more than we consumed (buffered, or waiting in the socket). */
    boolean pending() throws IOException {
        return pos < limit || in.available() > 0;
    }

    /** {@link #peek} of the pending input, or null when none is pending (or the check fails). */
    String pendingPeek(int n) {
        try {
            return pending() ? peek(n) : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Up to {@code n} buffered bytes with CR, LF and other controls escaped, for log lines. */
    String peek(int n) {
        StringBuilder sb = new StringBuilder();
        int end = Math.min(limit, pos + n);
        for (int i = pos; i < end; i++) {
            int c = buf[i] & 0xff;
            switch (c) {
                case '\r' -> sb.append("\\r");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < ' ' || c >= 0x7f) {
                        sb.append(String.format("\\%03o", c));
                    } else {
                        sb.append((char) c);
                    }
                }
            }
        }
        return sb.toString();
    }

    /** Reads more input, compacting the buffer; false at end of input. */
    private boolean fill() throws IOException {
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            pos = 0;
        }
        if (limit == buf.length) {
            throw new IllegalStateException("input buffer full");
        }
        // As Postfix's smtpd: flush when our own buffer is drained; asking the socket
        // (FIONREAD) before every read costs a system call per line for nothing.
        beforeBlock.run();
        int n = in.read(buf, limit, buf.length - limit);
        if (n <= 0) {
            return false;
        }
        limit += n;
        return true;
    }
}
