package org.jmail.util;

/** Text from the network or from messages made safe for one log line. */
public final class LogText {

    private LogText() {
    }

    /** Non-printable characters as '?', for log lines (Postfix's printable()). */
    public static String printable(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < ' ' || c == 0x7f) {
                if (sb == null) {
                    sb = new StringBuilder(s);
                }
                sb.setCharAt(i, '?');
            }
        }
        return sb == null ? s : sb.toString();
    }
}
