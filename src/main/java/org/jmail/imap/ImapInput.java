package org.jmail.imap;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Buffered, bounded reader of client input: CRLF (or bare LF) terminated lines and literal
 * octets. A line longer than the limit is skipped to its end and reported as
 * {@link LineTooLongException}, so the session stays in step with the client. A read timeout
 * (used by IDLE) surfaces as {@link java.net.SocketTimeoutException} and keeps the part of a
 * line already read, so the next call continues where this one stopped. {@link #reset}
 * replaces the stream after STARTTLS and drops anything the client pipelined in plain text.
 */
final class ImapInput {

    /** The line was longer than allowed; it has been skipped up to and including its LF. */
    static final class LineTooLongException extends IOException {
        LineTooLongException() {
            super("line too long");
        }
    }

    private InputStream in;
    private final byte[] buf = new byte[16384];
    private int pos;
    private int len;
    private long bytesIn;
    private byte[] line = new byte[256];
    private int lineLen;
    private boolean skipping;

    ImapInput(InputStream in) {
        this.in = in;
    }

    /** Swaps the underlying stream (STARTTLS) and forgets buffered plain-text input. */
    void reset(InputStream newIn) {
        in = newIn;
        pos = 0;
        len = 0;
        lineLen = 0;
        skipping = false;
    }

    long bytesIn() {
        return bytesIn;
    }

    /**
     * True when a whole pipelined line is already buffered: the session then answers it before
     * flushing. A partial line does not count, so a reply is never held back while we wait
     * for a client that waits for it.
     */
    boolean buffered() {
        for (int i = pos; i < len; i++) {
            if (buf[i] == '\n') {
                return true;
            }
        }
        return false;
    }

    private boolean fill() throws IOException {
        int n = in.read(buf, 0, buf.length);
        if (n <= 0) {
            return false;
        }
        pos = 0;
        len = n;
        bytesIn += n;
        return true;
    }

    /**
     * Reads one line without its line end; null at end of stream before any byte. A line of
     * more than {@code max} octets is skipped and throws {@link LineTooLongException}.
     */
    byte[] readLine(int max) throws IOException {
        while (true) {
            if (pos >= len && !fill()) {
                if (lineLen == 0 && !skipping) {
                    return null;
                }
                throw new EOFException("connection closed in the middle of a line");
            }
            int start = pos;
            int end = start;
            while (end < len && buf[end] != '\n') {
                end++;
            }
            boolean found = end < len;
            int n = end - start;
            pos = found ? end + 1 : end;
            if (skipping) {
                if (found) {
                    skipping = false;
                    lineLen = 0;
                    throw new LineTooLongException();
                }
                continue;
            }
            if (lineLen + n > max + 1) {
                lineLen = 0;
                if (found) {
                    throw new LineTooLongException();
                }
                skipping = true;
                continue;
            }
            if (lineLen + n > line.length) {
                line = Arrays.copyOf(line, Math.max(line.length * 2, lineLen + n));
            }
            System.arraycopy(buf, start, line, lineLen, n);
            lineLen += n;
            if (found) {
                int l = lineLen;
                if (l > 0 && line[l - 1] == '\r') {
                    l--;
                }
                lineLen = 0;
                if (l > max) {
                    throw new LineTooLongException();
                }
                return Arrays.copyOf(line, l);
            }
        }
    }

    /** Reads exactly {@code n} octets (a literal). */
    byte[] readBytes(int n) throws IOException {
        byte[] out = new byte[n];
        int off = 0;
        while (off < n) {
            if (pos >= len && !fill()) {
                throw new EOFException("connection closed in the middle of a literal");
            }
            int k = Math.min(n - off, len - pos);
            System.arraycopy(buf, pos, out, off, k);
            pos += k;
            off += k;
        }
        return out;
    }
}
