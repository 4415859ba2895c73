package org.jmail.cleanup;

import java.util.Set;
import org.jmail.util.Rfc822Text;

/**
 * Postfix's {@code append_at_myorigin} for address headers in the local rewriting context:
 * an address without a domain ({@code To: alex}, {@code From: Alex <alex>}) gets
 * {@code @$myorigin}, as cleanup's header rewriting does for mail submitted on this host
 * ({@code sendmail -t}, mail(1), cron). Everything else in the header is kept byte for byte
 * (Postfix re-formats the whole header; the addresses it produces are the same): display
 * names, quoted strings, comments, folding, groups ({@code undisclosed-recipients:;}).
 * A part that is not a plain address (a phrase without brackets, say) is left alone.
 */
final class HeaderAddressQualifier {

    /** Postfix's mailbox headers (header_opts.c: HDR_OPT_SENDER, HDR_OPT_RECIP, HDR_OPT_XRECIP). */
    static final Set<String> ADDRESS_HEADERS = Set.of("from", "sender", "reply-to", "to", "cc", "bcc",
            "resent-from", "resent-sender", "resent-reply-to", "resent-to", "resent-cc", "resent-bcc",
            "errors-to", "return-receipt-to", "apparently-to", "disposition-notification-to", "return-path");

    private HeaderAddressQualifier() {
    }

    /**
     * The header value with {@code "@" + domain} after every address that has no domain; the
     * same String when nothing changes.
     */
    static String qualify(String value, String domain) {
        StringBuilder out = null;
        int n = value.length();
        int elementStart = 0;   // start of the current list element (after ',' ':' or ';')
        boolean bracketInElement = false;
        int i = 0;
        int copied = 0;
        while (i <= n) {
            char c = i < n ? value.charAt(i) : ',';
            if (c == '"') {
                i = Rfc822Text.endOfQuoted(value, i);
                continue;
            }
            if (c == '(') {
                i = Rfc822Text.skipComment(value, i);
                continue;
            }
            if (c == '<') {
                int close = Rfc822Text.closeOfAngle(value, i);
                if (close < 0) {
                    return out == null ? value : out.append(value, copied, n).toString();
                }
                bracketInElement = true;
                int end = trimEnd(value, i + 1, close);
                if (end > i + 1 && needsDomain(value, i + 1, end)) {
                    out = insert(out, value, copied, end, domain);
                    copied = end;
                }
                i = close + 1;
                continue;
            }
            if (c == ',' || c == ';' || c == ':') {
                if (c != ':' && !bracketInElement) {
                    int[] span = bareAddress(value, elementStart, i);
                    if (span != null && needsDomain(value, span[0], span[1])) {
                        out = insert(out, value, copied, span[1], domain);
                        copied = span[1];
                    }
                }
                elementStart = i + 1;
                bracketInElement = false;
            }
            i++;
        }
        return out == null ? value : out.append(value, copied, n).toString();
    }

    private static StringBuilder insert(StringBuilder out, String value, int from, int at, String domain) {
        StringBuilder b = out == null ? new StringBuilder(value.length() + domain.length() + 8) : out;
        return b.append(value, from, at).append('@').append(domain);
    }

    /** The one word of a bracket-less element, comments and blanks aside; null if it has none or several. */
    private static int[] bareAddress(String v, int from, int to) {
        int start = -1;
        int end = -1;
        int i = from;
        while (i < to) {
            char c = v.charAt(i);
            if (c == '(') {
                i = Rfc822Text.skipComment(v, i);
                continue;
            }
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                i++;
                continue;
            }
            if (start >= 0) {
                return null; // a second word: a phrase, not an address
            }
            start = i;
            while (i < to && !isBreak(v.charAt(i))) {
                i = v.charAt(i) == '"' ? Rfc822Text.endOfQuoted(v, i) : i + 1;
            }
            end = Math.min(i, to);
        }
        return start < 0 ? null : new int[] {start, end};
    }

    private static boolean isBreak(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '(';
    }

    /** True for a local part without '@' (outside quotes) made of address characters. */
    private static boolean needsDomain(String v, int from, int to) {
        int i = from;
        while (i < to) {
            char c = v.charAt(i);
            if (c == '"') {
                i = Rfc822Text.endOfQuoted(v, i);
                continue;
            }
            if (c == '@' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '(' || c == '<' || c == '>'
                    || c == ',' || c == ';' || c == ':' || c == '[' || c == ']' || c == '\\') {
                return false;
            }
            i++;
        }
        return to > from && i == to;
    }

    private static int trimEnd(String v, int from, int to) {
        int e = to;
        while (e > from && (v.charAt(e - 1) == ' ' || v.charAt(e - 1) == '\t')) {
            e--;
        }
        return e;
    }
}
