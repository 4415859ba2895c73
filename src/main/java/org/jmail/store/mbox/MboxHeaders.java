package org.jmail.store.mbox;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jmail.util.ByteSearch;

/**
 * The metadata headers Dovecot keeps in mbox messages, written the way Dovecot writes them,
 * and the filtering that hides them from clients.
 *
 * <p>A message written by jmail ends its header with (Dovecot's mbox-save.c order):
 * <pre>
 * X-IMAPbase: UIDVALIDITY LASTUID[ keyword...]   (first message of the file only; LASTUID is %010u)
 * X-UID: n
 * Status: RO                                    (R = \Seen, O = not \Recent)
 * X-Status: AFTD                                (only when one of those flags is set)
 * X-Keywords: keyword... + padding spaces       (room for later flag changes in place)
 * Content-Length: body length
 * </pre>
 */
final class MboxHeaders {

    /** Dovecot's MBOX_HEADER_PADDING. */
    static final int PADDING = 50;

    private static final byte[][] NAMES = {
        "status".getBytes(), "x-status".getBytes(), "x-keywords".getBytes(), "x-uid".getBytes(),
        "x-imap".getBytes(), "x-imapbase".getBytes(), "content-length".getBytes(),
    };

    private MboxHeaders() {
    }

    /**
     * The header lines of {@code b[off, end)} without metadata headers (and their continuation
     * lines) and without the empty line that ends them; LF line ends kept as they are.
     */
    static byte[] stripMetadata(byte[] b, int off, int end) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(end - off);
        boolean skipping = false;
        int i = off;
        while (i < end) {
            int nl = indexOf(b, (byte) '\n', i, end);
            int lineEnd = nl < 0 ? end : nl + 1;
            int contentEnd = nl < 0 ? end : nl;
            int len = contentEnd - i;
            if (len == 0 || (len == 1 && b[i] == '\r')) {
                break; // end of header
            }
            if (b[i] == ' ' || b[i] == '\t') {
                if (!skipping) {
                    out.write(b, i, lineEnd - i);
                }
            } else {
                skipping = isMetadata(b, i, contentEnd);
                if (!skipping) {
                    out.write(b, i, lineEnd - i);
                }
            }
            i = lineEnd;
        }
        byte[] r = out.toByteArray();
        if (r.length > 0 && r[r.length - 1] != '\n') {
            r = Arrays.copyOf(r, r.length + 1);
            r[r.length - 1] = '\n';
        }
        return r;
    }

    static boolean isMetadata(byte[] b, int start, int lineEnd) {
        int colon = indexOf(b, (byte) ':', start, Math.min(lineEnd, start + 16));
        if (colon < 0) {
            return false;
        }
        int nameEnd = colon;
        while (nameEnd > start && (b[nameEnd - 1] == ' ' || b[nameEnd - 1] == '\t')) {
            nameEnd--;
        }
        for (byte[] n : NAMES) {
            if (n.length == nameEnd - start && equalsLower(b, start, n)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The metadata block (LF line ends, without the final empty line).
     *
     * @param imapBase X-IMAPbase to write first, or null
     * @param padding  spaces after the keywords in X-Keywords
     */
    static String block(String imapBase, long uid, int flags, String[] keywords, int padding, long contentLength) {
        StringBuilder sb = new StringBuilder(160);
        if (imapBase != null) {
            sb.append("X-IMAPbase: ").append(imapBase).append('\n');
        }
        sb.append("X-UID: ").append(uid).append('\n');
        sb.append("Status: ").append(Flags.status(flags)).append('\n');
        String xs = Flags.xstatus(flags);
        if (!xs.isEmpty()) {
            sb.append("X-Status: ").append(xs).append('\n');
        }
        sb.append("X-Keywords:");
        for (String k : keywords) {
            sb.append(' ').append(k);
        }
        sb.append(" ".repeat(Math.max(0, padding)));
        sb.append('\n');
        if (contentLength >= 0) {
            sb.append("Content-Length: ").append(contentLength).append('\n');
        }
        return sb.toString();
    }

    /** X-IMAPbase's value: {@code UIDVALIDITY %010u[ keywords]}. */
    static String imapBase(long uidValidity, long lastUid, Iterable<String> keywords) {
        StringBuilder sb = new StringBuilder(40);
        sb.append(uidValidity).append(' ');
        String last = Long.toString(lastUid);
        sb.append("0".repeat(Math.max(0, 10 - last.length()))).append(last);
        for (String k : keywords) {
            sb.append(' ').append(k);
        }
        return sb.toString();
    }

    /** Appends src with bare LFs turned into CRLF; returns the new length in dst. */
    static int toCrlf(byte[] src, int off, int end, byte[] dst, int o, boolean prevCr) {
        boolean cr = prevCr;
        for (int i = off; i < end; i++) {
            byte c = src[i];
            if (c == '\n' && !cr) {
                dst[o++] = '\r';
            }
            dst[o++] = c;
            cr = c == '\r';
        }
        return o;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static int indexOf(byte[] b, byte v, int from, int to) {
        return ByteSearch.indexOf(b, v, from, to);
    }

    private static boolean equalsLower(byte[] b, int start, byte[] lower) {
        for (int k = 0; k < lower.length; k++) {
            int c = b[start + k];
            if (c >= 'A' && c <= 'Z') {
                c += 32;
            }
            if (c != lower[k]) {
                return false;
            }
        }
        return true;
    }
}
