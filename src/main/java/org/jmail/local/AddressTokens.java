package org.jmail.local;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits the right-hand side of an alias, a {@code .forward} line or an {@code :include:} line
 * into destinations, as Postfix's tok822 parser does for aliases(5): entries are separated by
 * commas outside double quotes, angle brackets and comments; {@code (comments)} are dropped;
 * {@code "|command with spaces"} and {@code "/file name"} lose their quotes; {@code Name <addr>}
 * becomes {@code addr}. An unquoted {@code |command with args} keeps its spaces and
 * parentheses up to the next comma; commands containing commas must be quoted, as
 * aliases(5) says.
 */
final class AddressTokens {

    private AddressTokens() {
    }

    static List<String> split(String value) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        int angle = 0;
        int paren = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (quoted) {
                if (c == '\\' && i + 1 < value.length()) {
                    cur.append(c).append(value.charAt(++i));
                    continue;
                }
                if (c == '"') {
                    quoted = false;
                }
                cur.append(c);
            } else if (paren > 0) {
                if (c == '(') {
                    paren++;
                } else if (c == ')') {
                    paren--;
                } else if (c == '\\') {
                    i++;
                }
            } else if (c == '"') {
                quoted = true;
                cur.append(c);
            } else if (c == '(' && !startsCommand(cur)) {
                paren++;
            } else if (c == '<') {
                angle++;
                cur.append(c);
            } else if (c == '>' && angle > 0) {
                angle--;
                cur.append(c);
            } else if (c == ',' && angle == 0) {
                add(out, cur);
            } else if (c == '\n' || c == '\r') {
                cur.append(' ');
            } else {
                cur.append(c);
            }
        }
        add(out, cur);
        return out;
    }

    /** Inside a command, parentheses are arguments, not comments. */
    private static boolean startsCommand(StringBuilder cur) {
        for (int k = 0; k < cur.length(); k++) {
            char c = cur.charAt(k);
            if (!Character.isWhitespace(c)) {
                return c == '|';
            }
        }
        return false;
    }

    private static void add(List<String> out, StringBuilder cur) {
        String t = cur.toString().strip();
        cur.setLength(0);
        if (t.isEmpty()) {
            return;
        }
        int lt = t.lastIndexOf('<');
        if (lt >= 0 && t.endsWith(">") && !t.startsWith("|")) {
            t = t.substring(lt + 1, t.length() - 1).strip();
        }
        if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
            String inner = t.substring(1, t.length() - 1);
            // "|cmd", "/file" and ":include:" entries are quoted only to protect spaces;
            // a quoted local part of an address ("john doe"@x) keeps its quotes.
            if (inner.startsWith("|") || inner.startsWith("/") || inner.startsWith("~/")
                    || inner.regionMatches(true, 0, ":include:", 0, 9) || inner.indexOf('@') < 0) {
                t = unescape(inner);
            }
        }
        if (!t.isEmpty()) {
            out.add(t);
        }
    }

    private static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                c = s.charAt(++i);
            }
            sb.append(c);
        }
        return sb.toString();
    }
}
