package org.jmail.table;

import java.util.ArrayList;
import java.util.List;

/**
 * Postfix's list and brace helpers (mystrtokq, extpar, split_nameval): splitting
 * "a, b {c d}" on commas and whitespace outside braces, and unwrapping "{ text }".
 */
final class BraceSyntax {

    private BraceSyntax() {
    }

    /** Tokens separated by commas/whitespace, where text inside (nested) braces is never split. */
    static List<String> split(String s) {
        List<String> out = new ArrayList<>();
        int n = s.length();
        int i = 0;
        while (i < n) {
            while (i < n && isSep(s.charAt(i))) {
                i++;
            }
            if (i >= n) {
                break;
            }
            int start = i;
            int level = 0;
            while (i < n) {
                char c = s.charAt(i);
                if (c == '{') {
                    level++;
                } else if (c == '}' && level > 0) {
                    level--;
                } else if (level == 0 && isSep(c)) {
                    break;
                }
                i++;
            }
            out.add(s.substring(start, i));
        }
        return out;
    }

    private static boolean isSep(char c) {
        return c == ',' || c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    /**
     * The text inside "{ ... }" with surrounding whitespace stripped; throws with Postfix's
     * wording when the braces don't balance or text follows the closing brace.
     */
    static String unwrap(String token) throws IllegalArgumentException {
        if (token.isEmpty() || token.charAt(0) != '{') {
            return token;
        }
        int level = 0;
        int close = -1;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c == '{') {
                level++;
            } else if (c == '}') {
                if (--level == 0) {
                    close = i;
                    break;
                }
            }
        }
        if (close < 0) {
            throw new IllegalArgumentException("missing '}' in \"" + token + "\"");
        }
        if (close != token.length() - 1 && !token.substring(close + 1).isBlank()) {
            throw new IllegalArgumentException("syntax error after '}' in \"" + token + "\"");
        }
        return token.substring(1, close).strip();
    }

    /** Splits "name = value" (split_nameval): returns {name, value}; the name has no whitespace. */
    static String[] nameValue(String s) throws IllegalArgumentException {
        int n = s.length();
        int i = 0;
        while (i < n && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        if (i >= n) {
            throw new IllegalArgumentException("missing attribute name");
        }
        int nameStart = i;
        while (i < n && !Character.isWhitespace(s.charAt(i)) && s.charAt(i) != '=') {
            i++;
        }
        int nameEnd = i;
        while (i < n && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        if (i >= n || s.charAt(i) != '=') {
            throw new IllegalArgumentException("missing '=' after attribute name");
        }
        if (nameEnd == nameStart) {
            throw new IllegalArgumentException("missing attribute name");
        }
        return new String[] {s.substring(nameStart, nameEnd), s.substring(i + 1).strip()};
    }
}
