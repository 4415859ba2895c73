package org.jmail.qmgr;

/**
 * An RFC 3463 status and its text, as Postfix's dsn_split(3) makes them: a text that starts
 * with a detail code ("5.1.1 unknown user") supplies its own code, any other text gets the
 * default one.
 *
 * @param status e.g. "5.0.0"
 * @param text   the reason without the code
 */
public record Dsn(String status, String text) {

    public static Dsn split(String defaultStatus, String text) {
        String t = text == null ? "" : text.strip();
        int n = codeLength(t);
        if (n > 0) {
            return new Dsn(t.substring(0, n), t.substring(n).strip());
        }
        return new Dsn(defaultStatus, t);
    }

    /** Length of a leading "X.YYY.ZZZ" code (X in 2, 4, 5) followed by blank or end, else 0. */
    static int codeLength(String t) {
        return org.jmail.util.EnhancedStatus.length(t, 0);
    }
}
