package org.jmail.pickup;

import java.io.IOException;
import java.io.InputStream;

/**
 * Lines of a submitted message as Postfix's sendmail reads them: split at LF, trailing CRs
 * removed ({@code sendmail_fix_line_endings = always}, Postfix's default), a last line
 * without LF still a line. One reusable buffer: {@link #next} returns the length of the line
 * now in {@link #buffer}, or -1 at end of input.
 */
final class ContentLines {

    private final InputStream in;
    private final byte[] chunk = new byte[65536];
    private int pos;
    private int limit;
    private byte[] line = new byte[1024];

    ContentLines(InputStream in) {
        this.in = in;
    }

    byte[] buffer() {
        return line;
    }

    int next() throws IOException {
        int len = 0;
        boolean any = false;
        while (true) {
            if (pos >= limit) {
                limit = in.read(chunk, 0, chunk.length);
                pos = 0;
                if (limit <= 0) {
                    limit = 0;
                    return any ? trimCr(len) : -1;
                }
            }
            any = true;
            int start = pos;
            while (pos < limit && chunk[pos] != '\n') {
                pos++;
            }
            int n = pos - start;
            if (len + n > line.length) {
                line = java.util.Arrays.copyOf(line, Math.max(line.length * 2, len + n));
            }
            System.arraycopy(chunk, start, line, len, n);
            len += n;
            if (pos < limit) {
                pos++; // the LF
                return trimCr(len);
            }
        }
    }

    private int trimCr(int len) {
        while (len > 0 && line[len - 1] == '\r') {
            len--;
        }
        return len;
    }
}
