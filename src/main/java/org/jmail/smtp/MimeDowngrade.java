package org.jmail.smtp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

/**
 * Postfix's MIME output conversion for a server without 8BITMIME: every leaf part whose
 * Content-Transfer-Encoding is 8bit, binary or absent (text or other non-composite types) is
 * re-encoded as quoted-printable and its header says so; multipart structure, message/* parts,
 * 7bit/base64/quoted-printable parts and 8-bit header text pass unchanged (Postfix does not
 * encode headers either). Streaming, line by line (LF line ends in and out).
 */
final class MimeDowngrade extends InputStream {

    private enum Mode { HEADER, PASS, QP }

    private final InputStream in;
    private final Deque<String> boundaries = new ArrayDeque<>();
    private final List<byte[]> header = new ArrayList<>();
    private Mode mode = Mode.HEADER;
    private byte[] out = new byte[0];
    private int pos;
    private boolean eof;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private final ByteArrayOutputStream produced = new ByteArrayOutputStream(8192);

    private MimeDowngrade(InputStream in) {
        this.in = in;
    }

    static InputStream wrap(InputStream content) {
        return new MimeDowngrade(new java.io.BufferedInputStream(content, 65536));
    }

    @Override
    public int read() throws IOException {
        if (!fill()) {
            return -1;
        }
        return out[pos++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, out.length - pos);
        System.arraycopy(out, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private boolean fill() throws IOException {
        while (pos >= out.length) {
            if (eof) {
                return false;
            }
            produced.reset();
            for (int i = 0; i < 256 && !eof; i++) {
                byte[] l = nextLine();
                if (l == null) {
                    eof = true;
                    flushHeader(false);
                } else {
                    process(l);
                }
            }
            out = produced.toByteArray();
            pos = 0;
        }
        return true;
    }

    /** The next line without its LF (a trailing CR kept), or null at the end. */
    private byte[] nextLine() throws IOException {
        line.reset();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            line.write(c);
        }
        if (c < 0 && line.size() == 0) {
            return null;
        }
        return line.toByteArray();
    }

    private void process(byte[] l) {
        if (mode == Mode.HEADER) {
            if (l.length == 0 || l.length == 1 && l[0] == '\r') {
                flushHeader(true);
                emit(l);
            } else {
                header.add(l);
            }
            return;
        }
        if (l.length > 2 && l[0] == '-' && l[1] == '-' && !boundaries.isEmpty()) {
            String s = new String(l, StandardCharsets.ISO_8859_1).stripTrailing();
            for (String b : boundaries) {
                if (s.equals("--" + b + "--")) {
                    while (!boundaries.isEmpty() && !boundaries.pop().equals(b)) {
                        // close nested multiparts the sender never closed
                    }
                    mode = Mode.PASS;
                    emit(l);
                    return;
                }
                if (s.equals("--" + b)) {
                    while (!boundaries.peek().equals(b)) {
                        boundaries.pop();
                    }
                    mode = Mode.HEADER;
                    emit(l);
                    return;
                }
            }
        }
        if (mode == Mode.QP) {
            qp(l);
        } else {
            emit(l);
        }
    }

    /** Analyses and writes the collected header; {@code body}: a body follows. */
    private void flushHeader(boolean body) {
        if (mode != Mode.HEADER) {
            return;
        }
        String type = "text/plain";
        String cte = null;
        String boundary = null;
        List<String> unfolded = new ArrayList<>();
        for (byte[] h : header) {
            String s = new String(h, StandardCharsets.ISO_8859_1);
            if (!unfolded.isEmpty() && (s.startsWith(" ") || s.startsWith("\t"))) {
                unfolded.set(unfolded.size() - 1, unfolded.get(unfolded.size() - 1) + " " + s.strip());
            } else {
                unfolded.add(s.strip());
            }
        }
        for (String h : unfolded) {
            String lower = h.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-type:")) {
                String v = h.substring(13).strip();
                int semi = v.indexOf(';');
                type = (semi < 0 ? v : v.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
                boundary = parameter(v, "boundary");
            } else if (lower.startsWith("content-transfer-encoding:")) {
                cte = h.substring(26).strip().toLowerCase(Locale.ROOT);
            }
        }
        boolean composite = type.startsWith("multipart/") || type.startsWith("message/");
        boolean convert = body && !composite && (cte == null || cte.equals("8bit") || cte.equals("binary"));
        boolean skipping = false;
        for (byte[] h : header) {
            boolean continuation = h.length > 0 && (h[0] == ' ' || h[0] == '\t');
            if (!continuation) {
                skipping = convert && new String(h, 0, Math.min(h.length, 26), StandardCharsets.ISO_8859_1)
                        .equalsIgnoreCase("content-transfer-encoding:");
                if (skipping) {
                    emit("Content-Transfer-Encoding: quoted-printable".getBytes(StandardCharsets.US_ASCII));
                    continue;
                }
            }
            if (!skipping) {
                emit(h);
            }
        }
        if (convert && cte == null) {
            emit("Content-Transfer-Encoding: quoted-printable".getBytes(StandardCharsets.US_ASCII));
        }
        header.clear();
        if (type.startsWith("multipart/") && boundary != null && !boundary.isEmpty()) {
            boundaries.push(boundary);
            mode = Mode.PASS;
        } else {
            mode = convert ? Mode.QP : Mode.PASS;
        }
    }

    private static String parameter(String value, String name) {
        String lower = value.toLowerCase(Locale.ROOT);
        int i = lower.indexOf(name + "=");
        while (i > 0 && Character.isLetterOrDigit(lower.charAt(i - 1))) {
            i = lower.indexOf(name + "=", i + 1);
        }
        if (i < 0) {
            return null;
        }
        String v = value.substring(i + name.length() + 1).strip();
        if (v.startsWith("\"")) {
            int end = v.indexOf('"', 1);
            return end < 0 ? v.substring(1) : v.substring(1, end);
        }
        int end = 0;
        while (end < v.length() && v.charAt(end) != ';' && !Character.isWhitespace(v.charAt(end))) {
            end++;
        }
        return v.substring(0, end);
    }

    private void emit(byte[] l) {
        produced.write(l, 0, l.length);
        produced.write('\n');
    }

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    /** One body line as quoted-printable (RFC 2045 6.7), soft breaks keep lines under 76. */
    private void qp(byte[] l) {
        int len = l.length;
        if (len > 0 && l[len - 1] == '\r') {
            len--;
        }
        int col = 0;
        for (int i = 0; i < len; i++) {
            int b = l[i] & 0xff;
            boolean last = i == len - 1;
            boolean literal = b >= 33 && b <= 126 && b != '=' || (b == ' ' || b == '\t') && !last;
            int need = literal ? 1 : 3;
            if (col + need > 75) {
                produced.write('=');
                produced.write('\n');
                col = 0;
            }
            if (literal) {
                produced.write(b);
            } else {
                produced.write('=');
                produced.write(HEX[b >> 4]);
                produced.write(HEX[b & 15]);
            }
            col += need;
        }
        produced.write('\n');
    }
}
