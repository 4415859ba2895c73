package org.jmail.mailbox;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import org.jmail.util.ByteSearch;

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
     * <p>Built in two passes so that a 100 KB body is copied once, in a few large pieces: the
     * first finds what changes (metadata header lines to drop, line starts to quote), looking at
     * the header section line by line and searching the body only for {@code F}; the second
     * copies the runs between those places into an array of the exact size.
     *
     * @param content the message as queued: header lines, empty line, body; LF line ends
     */
    public static byte[] body(byte[] content, int off, int len, BodyOptions opts) {
        int end = off + len;
        Edits edits = new Edits();
        int i = off;
        boolean skipping = false; // inside a stripped header (its continuation lines too)
        while (i < end) {
            int nl = indexOf(content, (byte) '\n', i, end);
            int lineEnd = nl < 0 ? end : nl; // exclusive of the LF
            int next = nl < 0 ? end : nl + 1;
            if (lineEnd == i) {
                break; // the empty line: the body follows
            }
            if (content[i] == ' ' || content[i] == '\t') {
                if (skipping) {
                    edits.drop(i, next);
                    i = next;
                    continue;
                }
            } else {
                skipping = opts.stripMetadataHeaders() && isMetadataHeader(content, i, lineEnd);
                if (skipping) {
                    edits.drop(i, next);
                    i = next;
                    continue;
                }
                if (indexOf(content, (byte) ':', i, lineEnd) < 0) {
                    break; // not a header: the body started without an empty line
                }
            }
            if (opts.quoteFrom() && MboxFromLine.startsWithFrom(content, i, lineEnd)) {
                edits.quote(i);
            }
            i = next;
        }
        if (opts.quoteFrom()) {
            int bodyStart = i; // a line start
            for (int f = indexOf(content, (byte) 'F', i, end); f >= 0; f = indexOf(content, (byte) 'F', f + 1, end)) {
                if ((f == bodyStart || content[f - 1] == '\n') && MboxFromLine.startsWithFrom(content, f, end)) {
                    edits.quote(f);
                }
            }
        }
        int kept = edits.lastKept(end); // the output so far ends with content[kept - 1]
        boolean finalNewline = kept > off && content[kept - 1] != '\n';
        byte[] out = new byte[len - edits.dropped + edits.quotes + (finalNewline ? 1 : 0)
                + (opts.blankLineAfter() ? 1 : 0)];
        int o = 0;
        int src = off;
        for (int k = 0; k < edits.count; k += 2) {
            int at = edits.ops[k];
            System.arraycopy(content, src, out, o, at - src);
            o += at - src;
            if (edits.ops[k + 1] < 0) {
                out[o++] = '>';
                src = at;
            } else {
                src = edits.ops[k + 1];
            }
        }
        System.arraycopy(content, src, out, o, end - src);
        o += end - src;
        if (finalNewline) {
            out[o++] = '\n'; // a last line that had no newline
        }
        if (opts.blankLineAfter()) {
            out[o] = '\n';
        }
        return out;
    }

    /** {@link #body}'s changes in content order: pairs (start, end) to drop, (position, -1) to quote. */
    private static final class Edits {
        int[] ops = new int[8];
        int count;
        int dropped;
        int quotes;

        void drop(int from, int to) {
            if (count > 0 && ops[count - 1] == from) {
                ops[count - 1] = to; // continues the previous drop
            } else {
                add(from, to);
            }
            dropped += to - from;
        }

        void quote(int at) {
            add(at, -1);
            quotes++;
        }

        private void add(int a, int b) {
            if (count == ops.length) {
                ops = Arrays.copyOf(ops, count * 2);
            }
            ops[count++] = a;
            ops[count++] = b;
        }

        /** The end of the last kept content byte: {@code end}, unless drops reach the end. */
        int lastKept(int end) {
            return count > 0 && ops[count - 1] == end ? ops[count - 2] : end;
        }
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
        return ByteSearch.indexOf(b, v, from, to);
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
