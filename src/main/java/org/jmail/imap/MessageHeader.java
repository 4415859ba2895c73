package org.jmail.imap;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The header fields of a message or MIME part, located by byte offsets in the message so that
 * HEADER.FIELDS can hand out the original octets. Values come unfolded (CR/LF removed, the
 * folding whitespace kept, as Dovecot's envelope shows them) and undecoded; 8-bit octets
 * are read as UTF-8. Tolerates anything: a line without a colon ends nothing and is skipped.
 */
final class MessageHeader {

    /** One field: name and the octet range of the whole field (continuation lines included). */
    record Field(String name, int start, int end) {
    }

    private final byte[] data;
    private final List<Field> fields;

    private MessageHeader(byte[] data, List<Field> fields) {
        this.data = data;
        this.fields = fields;
    }

    /** The offset just after the empty line ending the header starting at {@code off}, or {@code end}. */
    static int headerEnd(byte[] b, int off, int end) {
        int i = off;
        while (i < end) {
            if (b[i] == '\n') {
                return i + 1;
            }
            if (b[i] == '\r' && i + 1 < end && b[i + 1] == '\n') {
                return i + 2;
            }
            while (i < end && b[i] != '\n') {
                i++;
            }
            i++;
        }
        return end;
    }

    /** Parses the fields in [off, end) where end is {@link #headerEnd}. */
    static MessageHeader parse(byte[] b, int off, int end) {
        List<Field> fields = new ArrayList<>();
        int i = off;
        String name = null;
        int start = -1;
        while (i < end) {
            int lineStart = i;
            while (i < end && b[i] != '\n') {
                i++;
            }
            int lineEnd = Math.min(i + 1, end);
            i = lineEnd;
            boolean blank = lineEnd - lineStart <= 2 && (b[lineStart] == '\n' || b[lineStart] == '\r');
            if (blank) {
                break;
            }
            if (b[lineStart] == ' ' || b[lineStart] == '\t') {
                continue;
            }
            if (name != null) {
                fields.add(new Field(name, start, lineStart));
                name = null;
            }
            int colon = lineStart;
            while (colon < lineEnd && b[colon] != ':' && b[colon] != '\n') {
                colon++;
            }
            if (colon < lineEnd && b[colon] == ':') {
                int nameEnd = colon;
                while (nameEnd > lineStart && (b[nameEnd - 1] == ' ' || b[nameEnd - 1] == '\t')) {
                    nameEnd--;
                }
                name = new String(b, lineStart, nameEnd - lineStart, StandardCharsets.ISO_8859_1);
                start = lineStart;
            }
        }
        if (name != null) {
            int e = i;
            fields.add(new Field(name, start, Math.min(e, end)));
        }
        return new MessageHeader(b, fields);
    }

    List<Field> fields() {
        return fields;
    }

    /** The first field's unfolded value, or null. */
    String value(String name) {
        for (Field f : fields) {
            if (f.name.equalsIgnoreCase(name)) {
                return valueOf(f);
            }
        }
        return null;
    }

    /** Every value of a field, in order. */
    List<String> values(String name) {
        List<String> out = new ArrayList<>(1);
        for (Field f : fields) {
            if (f.name.equalsIgnoreCase(name)) {
                out.add(valueOf(f));
            }
        }
        return out;
    }

    String valueOf(Field f) {
        int i = f.start;
        while (data[i] != ':') {
            i++;
        }
        i++;
        while (i < f.end && (data[i] == ' ' || data[i] == '\t')) {
            i++;
        }
        byte[] out = new byte[f.end - i];
        int n = 0;
        boolean high = false;
        for (; i < f.end; i++) {
            byte c = data[i];
            if (c == '\r' || c == '\n') {
                continue;
            }
            high |= c < 0;
            out[n++] = c;
        }
        return new String(out, 0, n, high ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    }

    /** HEADER.FIELDS (NOT): the matching fields' original octets and the closing CRLF. */
    byte[] select(Set<String> upperNames, boolean not) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Field f : fields) {
            boolean in = upperNames.contains(f.name.toUpperCase(Locale.ROOT));
            if (in != not) {
                appendCrlf(out, data, f.start, f.end);
            }
        }
        out.write('\r');
        out.write('\n');
        return out.toByteArray();
    }

    /** Copies [s, e) making bare LFs CRLF (the store already gives CRLF; this is for safety). */
    private static void appendCrlf(ByteArrayOutputStream out, byte[] b, int s, int e) {
        for (int i = s; i < e; i++) {
            if (b[i] == '\n' && (i == s || b[i - 1] != '\r')) {
                out.write('\r');
            }
            out.write(b[i]);
        }
        if (e > s && b[e - 1] != '\n') {
            out.write('\r');
            out.write('\n');
        }
    }
}
