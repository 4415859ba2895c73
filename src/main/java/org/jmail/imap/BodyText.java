package org.jmail.imap;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.apache.james.mime4j.codec.Base64InputStream;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.QuotedPrintableInputStream;

/**
 * Substring search in message bodies for SEARCH BODY/TEXT, as Dovecot does without FTS:
 * the raw octets first (cheap, and right for 7bit/8bit UTF-8 text), then the text parts
 * decoded from base64 or quoted-printable and from their charset. Attachments other than
 * text are not searched. Broken encodings or unknown charsets fall back to what decodes.
 */
final class BodyText {

    private static final int MAX_DECODED = 16 * 1024 * 1024;

    private BodyText() {
    }

    /** {@code needle} must be lower case. */
    static boolean contains(byte[] message, int from, String needle) {
        byte[] n = needle.getBytes(StandardCharsets.UTF_8);
        if (SearchCommand.indexOfIgnoreCase(message, from, message.length, n) >= 0) {
            return true;
        }
        MimePart root = MimePart.parse(message);
        return decodedContains(root, needle, 0);
    }

    private static boolean decodedContains(MimePart p, String needle, int depth) {
        if (depth > MimePart.MAX_DEPTH) {
            return false;
        }
        if (p.isMultipart()) {
            for (MimePart c : p.children) {
                if (decodedContains(c, needle, depth + 1)) {
                    return true;
                }
            }
            return false;
        }
        if (p.isMessage() && p.message != null) {
            return decodedContains(p.message, needle, depth + 1);
        }
        if (!p.isText()) {
            return false;
        }
        String enc = p.header.value("Content-Transfer-Encoding");
        enc = enc == null ? "" : enc.strip().toLowerCase(Locale.ROOT);
        if (!enc.equals("base64") && !enc.equals("quoted-printable")) {
            return false; // the raw search already covered it
        }
        byte[] decoded = decode(p, enc);
        Charset cs = charset(p.param("charset"));
        return new String(decoded, cs).toLowerCase(Locale.ROOT).contains(needle);
    }

    private static byte[] decode(MimePart p, String enc) {
        InputStream raw = new ByteArrayInputStream(p.data, p.bodyStart, p.end - p.bodyStart);
        InputStream in = enc.equals("base64") ? new Base64InputStream(raw, DecodeMonitor.SILENT)
                : new QuotedPrintableInputStream(raw, DecodeMonitor.SILENT);
        try {
            return in.readNBytes(MAX_DECODED);
        } catch (IOException e) {
            return new byte[0];
        }
    }

    private static Charset charset(String name) {
        if (name == null) {
            return StandardCharsets.US_ASCII;
        }
        try {
            return Charset.forName(name.strip());
        } catch (RuntimeException e) {
            return StandardCharsets.UTF_8;
        }
    }
}
