package org.jmail.imap;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Buffered response output with IMAP's string forms: {@link #astring}/{@link #nstring} pick an
 * atom, a quoted string or a literal as the content requires (CR, LF, NUL, 8-bit and long
 * values go as literals, as Dovecot's imap-quote does). Counts octets written for the
 * logout line's out=. Only {@link #flush} pushes to the socket.
 */
final class ImapWriter {

    private static final byte[] CRLF = {'\r', '\n'};

    private OutputStream out;
    private final byte[] buf = new byte[65536];
    private int n;
    private long bytesOut;

    ImapWriter(OutputStream out) {
        this.out = out;
    }

    void reset(OutputStream newOut) {
        out = newOut;
        n = 0;
    }

    long bytesOut() {
        return bytesOut;
    }

    ImapWriter raw(byte[] b, int off, int len) throws IOException {
        if (len > buf.length - n) {
            flushBuffer();
            if (len > buf.length) {
                out.write(b, off, len);
                bytesOut += len;
                return this;
            }
        }
        System.arraycopy(b, off, buf, n, len);
        n += len;
        bytesOut += len;
        return this;
    }

    ImapWriter raw(byte[] b) throws IOException {
        return raw(b, 0, b.length);
    }

    /** Text written as UTF-8 (ASCII in practice: IMAP responses are 7-bit except literals). */
    ImapWriter text(CharSequence s) throws IOException {
        // one bulk encoding beats a charAt() per character through the CharSequence interface
        byte[] b = s.toString().getBytes(StandardCharsets.UTF_8);
        return raw(b, 0, b.length);
    }

    ImapWriter line(CharSequence s) throws IOException {
        return text(s).crlf();
    }

    ImapWriter crlf() throws IOException {
        return raw(CRLF, 0, 2);
    }

    private void flushBuffer() throws IOException {
        if (n > 0) {
            out.write(buf, 0, n);
            n = 0;
        }
    }

    void flush() throws IOException {
        flushBuffer();
        out.flush();
    }

    /** A literal: {n}CRLF then the octets. */
    ImapWriter literal(byte[] b, int off, int len) throws IOException {
        text("{").text(Integer.toString(len)).text("}\r\n");
        return raw(b, off, len);
    }

    /** NIL for null, else a quoted string or a literal. */
    ImapWriter nstring(String s) throws IOException {
        if (s == null) {
            return text("NIL");
        }
        return string(s);
    }

    ImapWriter string(String s) throws IOException {
        if (needsLiteral(s)) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            return literal(b, 0, b.length);
        }
        return text(quote(s));
    }

    /** An atom when it may be one (mailbox names, as Dovecot writes LIST), else quoted/literal. */
    ImapWriter astring(String s) throws IOException {
        if (isAtom(s)) {
            return text(s);
        }
        return string(s);
    }

    static boolean needsLiteral(String s) {
        if (s.length() > 1024) {
            return true;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\r' || c == '\n' || c == 0 || c >= 0x80) {
                return true;
            }
        }
        return false;
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.append('"').toString();
    }

    static boolean isAtom(String s) {
        if (s.isEmpty() || s.equalsIgnoreCase("NIL")) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c >= 0x7f || "(){%*\"\\]".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }
}
