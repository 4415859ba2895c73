package org.jmail.imap;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jmail.util.ByteSearch;

/**
 * The MIME structure of a message (RFC 2045/2046) located by octet offsets, for
 * BODYSTRUCTURE and BODY[section]. Multiparts are split at their boundary lines (the CRLF
 * before a boundary belongs to the boundary, as RFC 2046 says), message/rfc822 parts hold
 * the parsed inner message. Nesting is bounded ({@link #MAX_DEPTH}); deeper or broken parts
 * are treated as text, never as an error.
 */
final class MimePart {

    static final int MAX_DEPTH = 50;

    final byte[] data;
    /** Offsets: header start, body start, end (exclusive). */
    final int start;
    final int bodyStart;
    final int end;
    final MessageHeader header;
    final String type;
    final String subtype;
    final List<String[]> params;
    final List<MimePart> children = new ArrayList<>();
    MimePart message;

    private MimePart(byte[] data, int start, int end, boolean digest, int depth) {
        this.data = data;
        this.start = start;
        this.end = end;
        this.bodyStart = MessageHeader.headerEnd(data, start, end);
        this.header = MessageHeader.parse(data, start, bodyStart);
        String ct = header.value("Content-Type");
        String t = null;
        String st = null;
        List<String[]> p = new ArrayList<>();
        if (ct != null) {
            String[] tv = parseContentType(ct, p);
            t = tv[0];
            st = tv[1];
        }
        if (t == null || st == null) {
            t = digest ? "message" : "text";
            st = digest ? "rfc822" : "plain";
            if (!digest) {
                p.clear();
                p.add(new String[] {"charset", "us-ascii"});
            }
        }
        // Dovecot gives every text part a charset, us-ascii when the header names none
        if (t.equalsIgnoreCase("text") && p.stream().noneMatch(kv -> kv[0].equalsIgnoreCase("charset"))) {
            p.add(0, new String[] {"charset", "us-ascii"});
        }
        this.type = t;
        this.subtype = st;
        this.params = p;
        if (depth >= MAX_DEPTH) {
            return;
        }
        if (isMultipart()) {
            String boundary = param("boundary");
            if (boundary != null && !boundary.isEmpty()) {
                split(boundary, subtype.equalsIgnoreCase("digest"), depth);
            }
        } else if (isMessage()) {
            message = new MimePart(data, bodyStart, end, false, depth + 1);
        }
    }

    static MimePart parse(byte[] message) {
        return new MimePart(message, 0, message.length, false, 0);
    }

    boolean isMultipart() {
        return type.equalsIgnoreCase("multipart");
    }

    boolean isMessage() {
        return type.equalsIgnoreCase("message") && subtype.equalsIgnoreCase("rfc822");
    }

    boolean isText() {
        return type.equalsIgnoreCase("text");
    }

    String param(String name) {
        for (String[] kv : params) {
            if (kv[0].equalsIgnoreCase(name)) {
                return kv[1];
            }
        }
        return null;
    }

    private void split(String boundary, boolean digest, int depth) {
        byte[] delim = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int i = bodyStart;
        int partStart = -1;
        while (i < end) {
            int lineEnd = ByteSearch.indexOf(data, (byte) '\n', i, end);
            if (lineEnd < 0) {
                lineEnd = end;
            }
            if (startsWith(i, lineEnd, delim)) {
                boolean last = i + delim.length + 1 < lineEnd + 1 && i + delim.length + 1 < end
                        && data[i + delim.length] == '-' && data[i + delim.length + 1] == '-';
                if (partStart >= 0) {
                    int partEnd = i;
                    if (partEnd > partStart && data[partEnd - 1] == '\n') {
                        partEnd--;
                        if (partEnd > partStart && data[partEnd - 1] == '\r') {
                            partEnd--;
                        }
                    }
                    children.add(new MimePart(data, partStart, Math.max(partStart, partEnd), digest, depth + 1));
                }
                if (last) {
                    return;
                }
                partStart = Math.min(lineEnd + 1, end);
            }
            i = lineEnd + 1;
        }
        if (partStart >= 0 && partStart <= end) {
            children.add(new MimePart(data, partStart, end, digest, depth + 1));
        }
    }

    private boolean startsWith(int s, int lineEnd, byte[] delim) {
        if (lineEnd - s < delim.length) {
            return false;
        }
        for (int k = 0; k < delim.length; k++) {
            if (data[s + k] != delim[k]) {
                return false;
            }
        }
        return true;
    }

    /** "type/subtype; a=b; c="d"" → {type, subtype}, params appended to {@code out}. */
    static String[] parseContentType(String v, List<String[]> out) {
        int semi = indexOfUnquoted(v, ';', 0);
        String ts = (semi < 0 ? v : v.substring(0, semi)).strip();
        int slash = ts.indexOf('/');
        String[] r = new String[2];
        if (slash > 0 && slash < ts.length() - 1) {
            r[0] = ts.substring(0, slash).strip();
            r[1] = ts.substring(slash + 1).strip();
            int sp = r[1].indexOf(' ');
            if (sp > 0) {
                r[1] = r[1].substring(0, sp);
            }
        }
        if (semi >= 0) {
            parseParams(v.substring(semi + 1), out);
        }
        return r;
    }

    /** Content-Disposition: the value before the first ';' and its params. */
    static String parseDisposition(String v, List<String[]> out) {
        int semi = indexOfUnquoted(v, ';', 0);
        String d = (semi < 0 ? v : v.substring(0, semi)).strip();
        if (semi >= 0) {
            parseParams(v.substring(semi + 1), out);
        }
        return d;
    }

    static void parseParams(String s, List<String[]> out) {
        int i = 0;
        while (i < s.length() && out.size() < 100) {
            int semi = indexOfUnquoted(s, ';', i);
            String p = (semi < 0 ? s.substring(i) : s.substring(i, semi)).strip();
            i = semi < 0 ? s.length() : semi + 1;
            int eq = p.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String name = p.substring(0, eq).strip();
            String val = p.substring(eq + 1).strip();
            if (val.length() >= 2 && val.startsWith("\"") && val.endsWith("\"")) {
                StringBuilder b = new StringBuilder();
                for (int k = 1; k < val.length() - 1; k++) {
                    char c = val.charAt(k);
                    if (c == '\\' && k + 1 < val.length() - 1) {
                        c = val.charAt(++k);
                    }
                    b.append(c);
                }
                val = b.toString();
            }
            out.add(new String[] {name, val});
        }
    }

    private static int indexOfUnquoted(String s, char c, int from) {
        boolean q = false;
        for (int i = from; i < s.length(); i++) {
            char x = s.charAt(i);
            if (x == '\\' && q) {
                i++;
            } else if (x == '"') {
                q = !q;
            } else if (x == c && !q) {
                return i;
            }
        }
        return -1;
    }

    int bodySize() {
        return end - bodyStart;
    }

    int bodyLines() {
        int n = 0;
        for (int i = ByteSearch.indexOf(data, (byte) '\n', bodyStart, end); i >= 0;
                i = ByteSearch.indexOf(data, (byte) '\n', i + 1, end)) {
            n++;
        }
        if (end > bodyStart && data[end - 1] != '\n') {
            n++;
        }
        return n;
    }

    /** BODY (extended=false) or BODYSTRUCTURE (extended=true), as Dovecot's imap-bodystructure writes them. */
    void writeStructure(StringBuilder b, boolean extended) {
        if (isMultipart() && !children.isEmpty()) {
            b.append('(');
            for (MimePart c : children) {
                c.writeStructure(b, extended);
            }
            b.append(' ');
            Envelope.nstring(b, subtype);
            if (extended) {
                b.append(' ');
                writeParams(b, params);
                writeExtension(b);
            }
            b.append(')');
            return;
        }
        b.append('(');
        Envelope.nstring(b, isMultipart() ? "text" : type);
        b.append(' ');
        Envelope.nstring(b, isMultipart() ? "plain" : subtype);
        b.append(' ');
        writeParams(b, isMultipart() ? List.<String[]>of(new String[] {"charset", "us-ascii"}) : params);
        b.append(' ');
        Envelope.nstring(b, trimmed("Content-ID"));
        b.append(' ');
        Envelope.nstring(b, trimmed("Content-Description"));
        b.append(' ');
        String enc = trimmed("Content-Transfer-Encoding");
        Envelope.nstring(b, enc == null || !isToken(enc) ? "7bit" : enc);
        b.append(' ').append(bodySize());
        if (isMessage() && message != null) {
            b.append(' ');
            Envelope.write(b, message.header);
            b.append(' ');
            message.writeStructure(b, extended);
            b.append(' ').append(bodyLines());
        } else if (isText()) {
            b.append(' ').append(bodyLines());
        }
        if (extended) {
            b.append(' ');
            Envelope.nstring(b, trimmed("Content-MD5"));
            writeExtension(b);
        }
        b.append(')');
    }

    /** An RFC 2045 token (no tspecials, no controls): anything else is not an encoding name. */
    private static boolean isToken(String v) {
        if (v.isEmpty()) {
            return false;
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c <= ' ' || c >= 0x7f || "()<>@,;:\\\"/[]?=".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }

    private String trimmed(String name) {
        String v = header.value(name);
        return v == null ? null : v.strip();
    }

    private void writeExtension(StringBuilder b) {
        b.append(' ');
        String disp = header.value("Content-Disposition");
        if (disp == null || disp.isBlank()) {
            b.append("NIL");
        } else {
            List<String[]> dp = new ArrayList<>();
            String d = parseDisposition(disp, dp);
            b.append('(');
            Envelope.nstring(b, d);
            b.append(' ');
            writeParams(b, dp);
            b.append(')');
        }
        b.append(' ');
        String lang = trimmed("Content-Language");
        if (lang == null || lang.isEmpty()) {
            b.append("NIL");
        } else {
            String[] langs = lang.split("[,\\s]+");
            if (langs.length == 1) {
                Envelope.nstring(b, langs[0]);
            } else {
                b.append('(');
                for (int i = 0; i < langs.length; i++) {
                    if (i > 0) {
                        b.append(' ');
                    }
                    Envelope.nstring(b, langs[i]);
                }
                b.append(')');
            }
        }
        b.append(' ');
        Envelope.nstring(b, trimmed("Content-Location"));
    }

    private static void writeParams(StringBuilder b, List<String[]> ps) {
        if (ps.isEmpty()) {
            b.append("NIL");
            return;
        }
        b.append('(');
        boolean first = true;
        for (String[] kv : ps) {
            if (!first) {
                b.append(' ');
            }
            first = false;
            Envelope.nstring(b, kv[0]);
            b.append(' ');
            Envelope.nstring(b, kv[1]);
        }
        b.append(')');
    }

    /**
     * The part a section path (1.2.3) names, following message/rfc822 parts into their inner
     * message; null when there is no such part.
     */
    MimePart find(int[] path) {
        MimePart cur = this;
        for (int idx : path) {
            if (cur.isMessage() && cur.message != null && cur != this) {
                cur = cur.message;
            }
            if (cur.isMultipart() && !cur.children.isEmpty()) {
                if (idx < 1 || idx > cur.children.size()) {
                    return null;
                }
                cur = cur.children.get(idx - 1);
            } else if (idx != 1) {
                return null;
            }
        }
        return cur;
    }
}
