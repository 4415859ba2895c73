package org.jmail.pickup;

import java.util.ArrayList;
import java.util.List;
import org.jmail.util.Rfc822Text;

/**
 * The addresses in an RFC 5322 address list, as Postfix's tok822 parser finds them for
 * {@code sendmail -t} and for command-line recipients ("some MUAs specify comma-separated
 * recipient lists; and some MUAs even specify {@code word word <address>}"):
 * <ul>
 * <li>entries are separated by commas outside quotes, comments, angle brackets and domain
 *     literals;</li>
 * <li>{@code Phrase <addr>} and {@code <@route:addr>} give {@code addr} (the route dropped);</li>
 * <li>{@code (comments)} are dropped, nested ones too;</li>
 * <li>a group {@code name: a, b;} gives its members; an empty group gives nothing;</li>
 * <li>quoted local parts lose their quotes when the result needs none
 *     ({@code "joe"@x} becomes {@code joe@x}), as tok822's internal form does;</li>
 * <li>{@code <>} gives the empty address (the null sender).</li>
 * </ul>
 * Never fails: text that is not an address yields what is left after comments and blanks are
 * removed, as tok822 does, so the queue manager reports a bad address as undeliverable.
 */
public final class AddressList {

    private AddressList() {
    }

    /** All addresses in {@code text}, in order; empty entries are skipped. */
    public static List<String> parse(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder plain = new StringBuilder();
        String angle = null;
        boolean sawAngle = false;
        int n = text.length();
        int i = 0;
        while (i < n) {
            char c = text.charAt(i);
            switch (c) {
                case '(' -> i = Rfc822Text.skipComment(text, i);
                case '"' -> {
                    int end = Rfc822Text.endOfQuoted(text, i);
                    plain.append(text, i, end);
                    i = end;
                }
                case '[' -> {
                    int end = text.indexOf(']', i);
                    end = end < 0 ? n : end + 1;
                    plain.append(text, i, end);
                    i = end;
                }
                case '<' -> {
                    int end = endOfAngle(text, i);
                    angle = stripRoute(clean(text.substring(i + 1, Math.max(i + 1, end - 1))));
                    sawAngle = true;
                    i = end;
                }
                case ':' -> {
                    // group name (the phrase so far) is not an address
                    plain.setLength(0);
                    i++;
                }
                case ',', ';' -> {
                    add(out, plain, angle, sawAngle);
                    plain.setLength(0);
                    angle = null;
                    sawAngle = false;
                    i++;
                }
                default -> {
                    plain.append(c);
                    i++;
                }
            }
        }
        add(out, plain, angle, sawAngle);
        return out;
    }

    /** The first address in {@code text} (sendmail -f), or "" when there is none. */
    public static String first(String text) {
        List<String> l = parse(text);
        return l.isEmpty() ? "" : l.get(0);
    }

    private static void add(List<String> out, StringBuilder plain, String angle, boolean sawAngle) {
        if (sawAngle) {
            out.add(angle == null ? "" : internal(angle)); // <> is the null address
            return;
        }
        String s = clean(plain.toString());
        if (!s.isEmpty()) {
            out.add(internal(s));
        }
    }

    /** Removes comments and blanks outside quotes. */
    private static String clean(String s) {
        StringBuilder b = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '(') {
                i = Rfc822Text.skipComment(s, i);
            } else if (c == '"') {
                int end = Rfc822Text.endOfQuoted(s, i);
                b.append(s, i, end);
                i = end;
            } else {
                if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                    b.append(c);
                }
                i++;
            }
        }
        return b.toString();
    }

    private static String stripRoute(String a) {
        if (a.startsWith("@")) {
            int colon = a.indexOf(':');
            if (colon > 0) {
                return a.substring(colon + 1);
            }
        }
        return a;
    }

    /** tok822's internal form: a quoted local part loses its quotes and backslashes. */
    static String internal(String a) {
        if (a.isEmpty() || a.charAt(0) != '"') {
            return a;
        }
        int end = Rfc822Text.endOfQuoted(a, 0);
        StringBuilder b = new StringBuilder(a.length());
        for (int i = 1; i < end - 1; i++) {
            char c = a.charAt(i);
            if (c == '\\' && i + 1 < end - 1) {
                c = a.charAt(++i);
            }
            b.append(c);
        }
        return b.append(a, end, a.length()).toString();
    }

    private static int endOfAngle(String s, int i) {
        int close = Rfc822Text.closeOfAngle(s, i);
        return close < 0 ? s.length() : close + 1;
    }
}
