package org.jmail.util;

/** Scanning RFC 5322 header text: where a comment or a quoted string that starts here ends. */
public final class Rfc822Text {

    private Rfc822Text() {
    }

    /** The index after the comment that opens at {@code i} (comments nest), or the end of {@code s}. */
    public static int skipComment(String s, int i) {
        int depth = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c == '\\') {
                i += 2;
                continue;
            }
            if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i + 1;
            }
            i++;
        }
        return n;
    }

    /** The index after the quoted string that opens at {@code i}, or the end of {@code s}. */
    public static int endOfQuoted(String s, int i) {
        int n = s.length();
        i++;
        while (i < n) {
            char c = s.charAt(i);
            if (c == '\\') {
                i += 2;
                continue;
            }
            if (c == '"') {
                return i + 1;
            }
            i++;
        }
        return n;
    }

    /**
     * The index of the {@code >} that closes the angle bracket opening at {@code i} (quoted
     * strings and comments skipped), or -1 when there is none.
     */
    public static int closeOfAngle(String s, int i) {
        int n = s.length();
        i++;
        while (i < n) {
            char c = s.charAt(i);
            if (c == '"') {
                i = endOfQuoted(s, i);
                continue;
            }
            if (c == '(') {
                i = skipComment(s, i);
                continue;
            }
            if (c == '>') {
                return i;
            }
            i++;
        }
        return -1;
    }
}
