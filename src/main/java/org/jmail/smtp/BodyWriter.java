package org.jmail.smtp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Streams queued content (LF line ends) to the server as SMTP DATA wants it: CRLF line ends,
 * a leading "." doubled (RFC 5321 4.5.2), lines longer than {@code smtp_line_length_limit}
 * broken with CRLF SPACE (Postfix's "breaking line > 998 bytes with &lt;CR&gt;&lt;LF&gt;SPACE"),
 * and the final ".". A CR already before an LF is not doubled. Works through a 64 KB buffer;
 * nothing is held as a String.
 */
final class BodyWriter {

    private static final int BUF = 65536;

    private BodyWriter() {
    }

    /** Writes {@code content} and the terminating "." line; returns the bytes read. */
    static long write(InputStream content, OutputStream out, int lineLimit) throws IOException {
        byte[] in = new byte[BUF];
        byte[] o = new byte[BUF + 16];
        int op = 0;
        int lineLen = 0;
        boolean pendingCr = false;
        long total = 0;
        int n;
        while ((n = content.read(in)) > 0) {
            total += n;
            for (int i = 0; i < n; i++) {
                byte b = in[i];
                if (op >= BUF) {
                    out.write(o, 0, op);
                    op = 0;
                }
                if (pendingCr) {
                    pendingCr = false;
                    if (b != '\n') {
                        o[op++] = '\r';
                        lineLen++;
                    }
                }
                if (b == '\n') {
                    o[op++] = '\r';
                    o[op++] = '\n';
                    lineLen = 0;
                    continue;
                }
                if (b == '\r') {
                    pendingCr = true;
                    continue;
                }
                if (lineLen == 0 && b == '.') {
                    o[op++] = '.';
                    lineLen++;
                } else if (lineLimit > 0 && lineLen >= lineLimit) {
                    o[op++] = '\r';
                    o[op++] = '\n';
                    o[op++] = ' ';
                    lineLen = 1;
                }
                o[op++] = b;
                lineLen++;
            }
        }
        if (pendingCr) {
            o[op++] = '\r';
            lineLen++;
        }
        if (lineLen > 0) {
            o[op++] = '\r';
            o[op++] = '\n';
        }
        o[op++] = '.';
        o[op++] = '\r';
        o[op++] = '\n';
        out.write(o, 0, op);
        return total;
    }
}
