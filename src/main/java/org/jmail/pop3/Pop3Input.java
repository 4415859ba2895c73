package org.jmail.pop3;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Buffered reading of POP3 command lines: a line ends with LF (a CR before it is dropped),
 * text is UTF-8 (invalid bytes become U+FFFD; only user names and passwords may carry
 * non-ASCII). A line longer than the limit is not returned: {@link #readLine} reports
 * {@link #TOO_LONG} so the session can answer as Dovecot does and hang up.
 *
 * <p>Before a read that may block, the {@code beforeBlock} action runs (the shell flushes its
 * replies there): pipelined commands are answered together, and nothing waits in our buffer
 * while we wait for the client. Not thread-safe.
 */
final class Pop3Input {

    /** Returned by {@link #readLine} for a line over the limit. */
    static final String TOO_LONG = new String("\0too long");

    interface BeforeBlock {
        void run() throws IOException;
    }

    private InputStream in;
    private final byte[] buf;
    private final BeforeBlock beforeBlock;
    private int pos;
    private int limit;

    Pop3Input(InputStream in, int bufferSize, BeforeBlock beforeBlock) {
        this.in = in;
        this.buf = new byte[bufferSize];
        this.beforeBlock = beforeBlock;
    }

    /**
     * Reads from now on from another stream (after STLS). Input the client sent before the TLS
     * handshake and we have not read yet is discarded: a command injected in plaintext must
     * not run in the secured session (CVE-2011-0411's lesson).
     */
    void switchTo(InputStream newIn) {
        this.in = newIn;
        pos = 0;
        limit = 0;
    }

    /** True when a complete or partial line is already buffered (the client pipelined). */
    boolean hasBuffered() {
        return pos < limit;
    }

    /**
     * The next line without its line end; null at end of input (an unterminated last line is
     * dropped: the client went away); {@link #TOO_LONG} (compare by identity) when the line
     * exceeds {@code max} bytes.
     */
    String readLine(int max) throws IOException {
        int scanned = 0;
        while (true) {
            for (int i = pos + scanned; i < limit; i++) {
                if (buf[i] == '\n') {
                    int end = i > pos && buf[i - 1] == '\r' ? i - 1 : i;
                    if (end - pos > max) {
                        pos = i + 1;
                        return TOO_LONG;
                    }
                    String line = decode(pos, end - pos);
                    pos = i + 1;
                    return line;
                }
            }
            scanned = limit - pos;
            if (scanned > max + 1) {
                return TOO_LONG;
            }
            if (!fill()) {
                return null;
            }
        }
    }

    private String decode(int off, int len) {
        for (int i = off; i < off + len; i++) {
            if (buf[i] < 0) {
                return new String(buf, off, len, StandardCharsets.UTF_8);
            }
        }
        return new String(buf, off, len, StandardCharsets.ISO_8859_1);
    }

    private boolean fill() throws IOException {
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            pos = 0;
        }
        if (limit == buf.length) {
            throw new IllegalStateException("line buffer smaller than the line limit");
        }
        beforeBlock.run();
        int n = in.read(buf, limit, buf.length - limit);
        if (n <= 0) {
            return false;
        }
        limit += n;
        return true;
    }
}
