package org.jmail.smtpd;

import java.util.ArrayList;
import java.util.List;
import org.jmail.util.InetCidr;

/**
 * Parses the arguments of MAIL FROM and RCPT TO (and VRFY): the path in angle brackets and
 * the ESMTP parameters after it, and turns the path into Postfix's internal address form.
 *
 * <p>What is accepted, as Postfix does: {@code FROM:<a@b>}, {@code FROM: <a@b>} and
 * {@code FROM:a@b} (the latter two only without {@code strict_rfc821_envelopes}); {@code <>}
 * (null sender, where allowed); quoted local parts ({@code <"john doe"@x>}, internalized
 * to {@code john doe@x}); source routes ({@code <@a,@b:user@c>} becomes {@code user@c});
 * UTF-8 anywhere (SMTPUTF8); RFC 822 leftovers Postfix tolerates: comments, a phrase before a
 * route address, a stray {@code >}. Refused: unbalanced brackets or quotes, more than one
 * address ({@code <a@b>x}), unquoted specials in the local part, an empty, syntactically invalid
 * or all-numeric domain, a non-ASCII domain unless the client declared SMTPUTF8.
 */
final class SmtpPath {

    /** Characters that may not appear unquoted in a local part (RFC 5322 specials). */
    private static final String SPECIALS = "()<>,;:\"[]@";

    private SmtpPath() {
    }

    /**
     * The split form of {@code FROM:<path> params...}.
     *
     * @param path   the path token as sent (with brackets), or null when it is missing
     * @param broken true when the path token is unbalanced (no closing bracket or quote)
     */
    record Args(String path, List<String> params, boolean broken) {
    }

    /**
     * Splits the text after the command word. Returns null when the keyword ({@code FROM:} or
     * {@code TO:}, case-insensitive) or the path is missing: a 501 syntax error.
     */
    static Args split(String text, String keyword) {
        int i = skipSpace(text, 0);
        if (!text.regionMatches(true, i, keyword, 0, keyword.length())) {
            return null;
        }
        i = skipSpace(text, i + keyword.length());
        if (i >= text.length()) {
            return null;
        }
        int end = scanPath(text, i);
        boolean broken = end < 0;
        if (broken) {
            end = text.length();
        }
        String path = text.substring(i, end);
        List<String> params = new ArrayList<>(2);
        int p = end;
        while (true) {
            p = skipSpace(text, p);
            if (p >= text.length()) {
                break;
            }
            int q = p;
            while (q < text.length() && !isSpace(text.charAt(q))) {
                q++;
            }
            params.add(text.substring(p, q));
            p = q;
        }
        return new Args(path, params, broken);
    }

    /**
     * End of the path token starting at {@code i}, or -1 when a bracket or quote is unbalanced.
     * As Postfix's smtpd tokenizer: the token runs to the next blank outside brackets and quotes,
     * so {@code <a@b>x} is one (bad) path, not a path and a parameter {@code x}.
     */
    private static int scanPath(String s, int i) {
        boolean quoted = false;
        int depth = 0;
        int j = i;
        for (; j < s.length(); j++) {
            char c = s.charAt(j);
            if (c == '\\' && j + 1 < s.length()) {
                j++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (quoted) {
                continue;
            } else if (c == '<') {
                depth++;
            } else if (c == '>' && depth > 0) {
                depth--;
            } else if (depth == 0 && isSpace(c)) {
                return j;
            }
        }
        return depth > 0 || quoted ? -1 : j;
    }

    /**
     * The internal form of a path, or null when it is not a valid address.
     *
     * @param allowEmpty accept {@code <>} (MAIL FROM)
     * @param strict     strict_rfc821_envelopes: brackets required
     * @param utf8Domain the client declared SMTPUTF8, so a non-ASCII domain is acceptable
     */
    static String extract(String path, boolean allowEmpty, boolean strict, boolean utf8Domain) {
        String text = path;
        if (text.length() >= 2 && text.charAt(0) == '<' && text.charAt(text.length() - 1) == '>') {
            text = text.substring(1, text.length() - 1);
        } else if (strict) {
            return null;
        }
        text = routeAddr(text, strict);
        if (text == null) {
            return null;
        }
        // obsolete source route: @hop1,@hop2:user@domain — keep user@domain, as Postfix does
        if (text.startsWith("@")) {
            int colon = text.indexOf(':');
            if (colon < 0) {
                return null;
            }
            text = text.substring(colon + 1);
        }
        if (text.isEmpty()) {
            return allowEmpty ? "" : null;
        }
        StringBuilder local = new StringBuilder(text.length());
        int i = 0;
        int n = text.length();
        boolean sawQuote = false;
        while (i < n && text.charAt(i) != '@') {
            char c = text.charAt(i);
            if (c == '"') {
                sawQuote = true;
                int j = i + 1;
                for (; j < n && text.charAt(j) != '"'; j++) {
                    if (text.charAt(j) == '\\' && j + 1 < n) {
                        j++;
                    }
                    local.append(text.charAt(j));
                }
                if (j >= n) {
                    return null;
                }
                i = j + 1;
            } else if (c == '\\' && i + 1 < n) {
                local.append(text.charAt(i + 1));
                i += 2;
            } else if (c <= ' ' || c == 0x7f || SPECIALS.indexOf(c) >= 0) {
                return null;
            } else {
                local.append(c);
                i++;
            }
        }
        if (local.length() == 0 && !sawQuote) {
            return null;
        }
        if (i >= n) {
            // no domain: "postmaster", or a bare local name the resolver treats as local
            return local.toString();
        }
        String domain = text.substring(i + 1);
        if (!validDomain(domain, utf8Domain) || numeric(domain)) {
            return null;
        }
        return local.append('@').append(domain).toString();
    }

    /**
     * The address inside what the client sent between the outer brackets, as Postfix's RFC 822
     * parser finds it: comments dropped ({@code <a(x)@b>}), a phrase before a route address
     * ignored ({@code <Joe <a@b>>}), stray closing brackets ignored ({@code a@b>}). Null when
     * there is more than one address ({@code <a@b>x}, {@code <a@b><c@d>}) or a comment is
     * unbalanced; with strict_rfc821_envelopes anything beyond the bare address is refused.
     */
    private static String routeAddr(String text, boolean strict) {
        String t = stripComments(text);
        if (t == null || strict && !t.equals(text)) {
            return null;
        }
        t = t.strip();
        int lt = lastUnquoted(t, "<", t.length());
        if (lt < 0) {
            return strict && lastUnquoted(t, ">", t.length()) >= 0 ? null : removeUnquoted(t, '>');
        }
        if (strict || lastUnquoted(t, "<>;,:", lt) >= 0) {
            return null; // a second address (or a group) before the route address
        }
        int gt = lastUnquoted(t, ">", t.length());
        if (gt < lt) {
            return null;
        }
        if (!removeUnquoted(t.substring(gt + 1), '>').isBlank()) {
            return null; // a word after the route address: a second address
        }
        String inner = t.substring(lt + 1, gt);
        return lastUnquoted(inner, ">", inner.length()) >= 0 ? null : inner.strip();
    }

    /** The text without RFC 822 comments (outside quoted strings), or null when one is unbalanced. */
    private static String stripComments(String s) {
        if (s.indexOf('(') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        boolean quoted = false;
        int depth = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                if (depth == 0) {
                    b.append(c).append(s.charAt(i + 1));
                }
                i++;
                continue;
            }
            if (depth > 0) {
                depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            } else if (c == '(' && !quoted) {
                depth = 1;
            } else {
                if (c == '"') {
                    quoted = !quoted;
                }
                b.append(c);
            }
        }
        return depth > 0 ? null : b.toString();
    }

    /** The last index before {@code end} of one of {@code chars} outside quotes, or -1. */
    private static int lastUnquoted(String s, String chars, int end) {
        int found = -1;
        boolean quoted = false;
        for (int i = 0; i < end; i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && chars.indexOf(c) >= 0) {
                found = i;
            }
        }
        return found;
    }

    private static String removeUnquoted(String s, char drop) {
        if (s.indexOf(drop) < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                b.append(c).append(s.charAt(++i));
                continue;
            }
            if (c == '"') {
                quoted = !quoted;
            }
            if (quoted || c != drop) {
                b.append(c);
            }
        }
        return b.toString();
    }

    /**
     * An all-numeric domain ({@code a@1.2.3.4}, {@code a@123}): Postfix's resolver refuses it
     * as bad syntax (resolve_numeric_domain = no; the address literal is {@code a@[1.2.3.4]}).
     */
    private static boolean numeric(String domain) {
        for (int i = 0; i < domain.length(); i++) {
            char c = domain.charAt(i);
            if (c != '.' && (c < '0' || c > '9')) {
                return false;
            }
        }
        return true;
    }

    /** A hostname ([A-Za-z0-9_-] labels, or UTF-8 with SMTPUTF8) or an address literal. */
    static boolean validDomain(String d, boolean utf8) {
        if (d.isEmpty() || d.length() > 255) {
            return false;
        }
        if (d.charAt(0) == '[') {
            if (d.charAt(d.length() - 1) != ']') {
                return false;
            }
            String inner = d.substring(1, d.length() - 1);
            if (inner.regionMatches(true, 0, "IPv6:", 0, 5)) {
                String v6 = inner.substring(5);
                return v6.indexOf(':') >= 0 && InetCidr.parseLiteral(v6) != null;
            }
            return inner.indexOf(':') < 0 && InetCidr.parseLiteral(inner) != null;
        }
        int label = 0;
        char prev = '.';
        for (int i = 0; i < d.length(); i++) {
            char c = d.charAt(i);
            if (c == '.') {
                if (label == 0 || prev == '-') {
                    return false;
                }
                label = 0;
            } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'
                    || (c == '-' && label > 0) || (c > 0x7f && utf8 && !Character.isWhitespace(c))) {
                if (++label > 63) {
                    return false;
                }
            } else {
                return false;
            }
            prev = c;
        }
        return prev != '-';
    }

    private static int skipSpace(String s, int i) {
        while (i < s.length() && isSpace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }

    /** True when all characters are ASCII. */
    static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0x7f) {
                return false;
            }
        }
        return true;
    }
}
