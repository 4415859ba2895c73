package org.jmail.pop3;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.jmail.util.ByteSearch;

/**
 * The server's side of a POP3 connection: replies and multi-line data collected in one
 * buffer and written in large pieces, so that a RETR costs one or a few write calls and no
 * per-line allocation. Message data is byte-stuffed (a line starting with "." gets another
 * "." in front, RFC 1939 section 3) and CR is added before a bare LF, as Dovecot's
 * fetch_callback does; the terminating "." line is the caller's.
 *
 * <p>{@link #flush} hands the buffer to the stream; the shell calls it before it blocks on
 * input, so pipelined commands are answered in one write. Counts every byte written
 * ({@link #offset}) for the logout statistics. Not thread-safe.
 */
final class Pop3Output {

    private static final byte[] CRLF = {'\r', '\n'};

    private OutputStream out;
    private final byte[] buf;
    private int used;
    private long offset;

    Pop3Output(OutputStream out, int bufferSize) {
        this.out = out;
        this.buf = new byte[bufferSize];
    }

    /** Writes from now on to another stream (after STLS); nothing may be pending. */
    void switchTo(OutputStream newOut) {
        this.out = newOut;
    }

    /** Bytes produced so far (Dovecot's output offset). */
    long offset() {
        return offset + used;
    }

    /** One reply line; {@code text} is ASCII (or UTF-8 from the client, echoed). */
    void line(String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        write(b, 0, b.length);
        write(CRLF, 0, 2);
    }

    /** Raw bytes (a multi-line reply already terminated by the caller). */
    void raw(String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        write(b, 0, b.length);
    }

    /**
     * Writes a message byte-stuffed: all of it when {@code bodyLines} is negative (RETR), else
     * the header, the empty line and at most {@code bodyLines} lines of the body (TOP). Ends
     * with CRLF even when the message does not.
     */
    void message(byte[] m, long bodyLines) throws IOException {
        int n = m.length;
        boolean top = bodyLines >= 0;
        boolean inBody = false;
        long remaining = top ? bodyLines + 1 : -1; // the empty line after the header counts
        int start = 0; // bytes from start to pos are pending (written in one piece)
        int pos = 0;
        while (pos < n) {
            if (m[pos] == '.') {
                write(m, start, pos - start);
                writeByte('.');
                start = pos;
            }
            int lf = ByteSearch.indexOf(m, (byte) '\n', pos, n);
            if (lf < 0) {
                write(m, start, n - start);
                write(CRLF, 0, 2); // didn't end with CRLF
                return;
            }
            if (!inBody && (lf == pos || (lf == pos + 1 && m[pos] == '\r'))) {
                inBody = true;
            }
            if (lf == pos || m[lf - 1] != '\r') {
                write(m, start, lf - start);
                writeByte('\r');
                start = lf;
            }
            pos = lf + 1;
            if (top && inBody && --remaining == 0) {
                break;
            }
        }
        write(m, start, pos - start);
    }

    void flush() throws IOException {
        if (used > 0) {
            out.write(buf, 0, used);
            offset += used;
            used = 0;
        }
        out.flush();
    }

    private void writeByte(int b) throws IOException {
        if (used == buf.length) {
            drain();
        }
        buf[used++] = (byte) b;
    }

    private void write(byte[] b, int off, int len) throws IOException {
        if (len >= buf.length) {
            drain();
            out.write(b, off, len);
            offset += len;
            return;
        }
        if (len > buf.length - used) {
            drain();
        }
        System.arraycopy(b, off, buf, used, len);
        used += len;
    }

    private void drain() throws IOException {
        if (used > 0) {
            out.write(buf, 0, used);
            offset += used;
            used = 0;
        }
    }
}
