package org.jmail.util;

/**
 * RFC 3463 enhanced status codes ("5.1.1") at the start of a reply text, found without a
 * regular expression: smtpd checks every reply of a HELO session, and qmgr every agent text.
 */
public final class EnhancedStatus {

    private EnhancedStatus() {
    }

    /**
     * Length of a code "X.YYY.ZZZ" (X one of 2, 4, 5; one to three digits each) starting at
     * {@code from} and followed by white space or the end of {@code s}; 0 when there is none.
     */
    public static int length(CharSequence s, int from) {
        int end = s.length();
        if (end - from < 5 || "245".indexOf(s.charAt(from)) < 0 || s.charAt(from + 1) != '.') {
            return 0;
        }
        int p = digits(s, from + 2);
        if (p == from + 2 || p >= end || s.charAt(p) != '.') {
            return 0;
        }
        int q = digits(s, p + 1);
        if (q == p + 1 || q < end && !Character.isWhitespace(s.charAt(q))) {
            return 0;
        }
        return q - from;
    }

    /** The index after at most three ASCII digits from {@code p}. */
    private static int digits(CharSequence s, int p) {
        int limit = Math.min(s.length(), p + 3);
        while (p < limit && s.charAt(p) >= '0' && s.charAt(p) <= '9') {
            p++;
        }
        return p;
    }
}
