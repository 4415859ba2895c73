package org.jmail.mailbox;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;

/**
 * How a message is written into an mbox, as Postfix's local(8) does it (mail_copy(3)):
 *
 * <pre>
 * From sender  Thu Jan  1 00:00:00 1970        (the envelope line, {@link MboxFromLine})
 * Return-Path: &lt;sender&gt;
 * X-Original-To: original-recipient           (when known)
 * Delivered-To: recipient
 * ...message, with "&gt;" before every line that begins with "From "...
 * (a final newline if the message lacked one, then one empty line)
 * </pre>
 *
 * <p>Only lines starting with exactly {@code "From "} are quoted (not {@code ">From "}: mboxo as
 * Postfix writes it, which Debian's mutt, mailx and Dovecot read). Lines end in LF.
 *
 * <p>{@link #body} can also drop the headers that mbox readers treat as their own metadata
 * ({@code Status}, {@code X-Status}, {@code X-Keywords}, {@code X-UID}, {@code X-IMAP},
 * {@code X-IMAPbase}, {@code Content-Length}), so that a sender can't forge flags, UIDs or
 * message boundaries. Only the header section is touched, never the body.
 *
 * <p>The envelope part differs per recipient while the body is the same for all, so callers
 * build the body once per message and the envelope once per copy.
 */
public final class MboxFormat {

    /** Metadata headers of Dovecot/mutt/Pine in mbox files, lower-case. */
    private static final String[] METADATA_HEADERS = {
        "status", "x-status", "x-keywords", "x-uid", "x-imap", "x-imapbase", "content-length",
    };

    private MboxFormat() {
    }

    /** How {@link #body} treats the content. */
    public record BodyOptions(boolean quoteFrom, boolean stripMetadataHeaders, boolean blankLineAfter) {
        /** Mailbox delivery: quote, strip, blank line. */
        public static final BodyOptions MBOX = new BodyOptions(true, true, true);
        /** Pipe to a command: as is (final newline added), no trailing blank line. */
        public static final BodyOptions COMMAND = new BodyOptions(false, false, false);
    }

    /**
     * The envelope lines for one copy: From_, Return-Path, X-Original-To (when
     * {@code originalRecipient} is non-empty), Delivered-To (when {@code deliveredTo} is
     * non-null). Each line ends in LF.
     */
    public static byte[] envelope(String sender, Instant time, ZoneId zone, String originalRecipient,
                                  String deliveredTo) {
        StringBuilder sb = new StringBuilder(160);
        sb.append(MboxFromLine.format(sender, time, zone)).append('\n');
        sb.append("Return-Path: <").append(sender == null || sender.isEmpty() ? "" : quoteLocalPart(sender))
                .append(">\n");
        if (originalRecipient != null && !originalRecipient.isEmpty()) {
            sb.append("X-Original-To: ").append(quoteLocalPart(originalRecipient)).append('\n');
        }
        if (deliveredTo != null) {
            sb.append("Delivered-To: ").append(quoteLocalPart(deliveredTo)).append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The message content as it goes into the mailbox after the envelope lines.
     *
     * @param content the message as queued: header lines, empty line, body; LF line ends
     */
    public static byte[] body(byte[] content, int off, int len, BodyOptions opts) {
        int end = off + len;
        byte[] out = new byte[len + len / 64 + 16];
        int o = 0;
        boolean inHeaders = true;
        boolean skipping = false; // inside a stripped header (its continuation lines too)
        int i = off;
        while (i < end) {
            int nl = indexOf(content, (byte) '\n', i, end);
            int lineEnd = nl < 0 ? end : nl; // exclusive of the LF
            if (inHeaders) {
                if (lineEnd == i) {
                    inHeaders = false;
                    skipping = false;
                } else if (content[i] == ' ' || content[i] == '\t') {
                    if (skipping) {
                        i = nl < 0 ? end : nl + 1;
                        continue;
                    }
                } else {
                    skipping = opts.stripMetadataHeaders() && isMetadataHeader(content, i, lineEnd);
                    if (skipping) {
                        i = nl < 0 ? end : nl + 1;
                        continue;
                    }
                    if (indexOf(content, (byte) ':', i, lineEnd) < 0) {
                        inHeaders = false; // not a header: the body started without an empty line
                    }
                }
            }
            int need = lineEnd - i + 3;
            if (o + need > out.length) {
                out = Arrays.copyOf(out, Math.max(out.length * 2, o + need + 16));
            }
            if (opts.quoteFrom() && MboxFromLine.startsWithFrom(content, i, lineEnd)) {
                out[o++] = '>';
            }
            System.arraycopy(content, i, out, o, lineEnd - i);
            o += lineEnd - i;
            out[o++] = '\n'; // also terminates a last line that had no newline
            i = nl < 0 ? end : nl + 1;
        }
        if (opts.blankLineAfter()) {
            if (o + 1 > out.length) {
                out = Arrays.copyOf(out, o + 1);
            }
            out[o++] = '\n';
        }
        return o == out.length ? out : Arrays.copyOf(out, o);
    }

    private static boolean isMetadataHeader(byte[] b, int start, int lineEnd) {
        int colon = indexOf(b, (byte) ':', start, lineEnd);
        if (colon < 0) {
            return false;
        }
        int nameEnd = colon;
        while (nameEnd > start && (b[nameEnd - 1] == ' ' || b[nameEnd - 1] == '\t')) {
            nameEnd--;
        }
        int n = nameEnd - start;
        for (String h : METADATA_HEADERS) {
            if (h.length() == n && equalsIgnoreCase(b, start, h)) {
                return true;
            }
        }
        return false;
    }

    private static boolean equalsIgnoreCase(byte[] b, int start, String lower) {
        for (int k = 0; k < lower.length(); k++) {
            int c = b[start + k];
            if (c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            }
            if (c != lower.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    static int indexOf(byte[] b, byte v, int from, int to) {
        for (int k = from; k < to; k++) {
            if (b[k] == v) {
                return k;
            }
        }
        return -1;
    }

    /**
     * Postfix's quote_822_local(): an address whose local part is not an RFC 822 dot-string
     * gets its local part in double quotes, with {@code "} and {@code \} escaped. 8-bit
     * characters are left alone. A source route prefix ({@code @a,@b:}) is kept as is.
     */
    public static String quoteLocalPart(String addr) {
        int start = 0;
        if (addr.startsWith("@")) {
            int colon = addr.indexOf(':');
            if (colon >= 0) {
                start = colon + 1;
            }
        }
        int at = addr.lastIndexOf('@');
        int end = at >= start ? at : addr.length();
        if (isDotString(addr, start, end)) {
            return addr;
        }
        StringBuilder sb = new StringBuilder(addr.length() + 4);
        sb.append(addr, 0, start).append('"');
        for (int k = start; k < end; k++) {
            char c = addr.charAt(k);
            if (c == '"' || c == '\\' || c == '\r') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.append('"').append(addr, end, addr.length()).toString();
    }

    private static boolean isDotString(String s, int start, int end) {
        if (start == end || s.charAt(start) == '.' || s.charAt(end - 1) == '.') {
            return false;
        }
        for (int k = start; k < end; k++) {
            char c = s.charAt(k);
            if (c == '.' && k + 1 < end && s.charAt(k + 1) == '.') {
                return false;
            }
            if (c == ' ' || c < 32 || c == 127 || "()<>@,;:\\\"[]".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }
}
