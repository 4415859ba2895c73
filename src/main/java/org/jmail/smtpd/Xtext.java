package org.jmail.smtpd;

/** RFC 3461 xtext ("+XX" hex escapes), as used by DSN's ENVID and ORCPT parameters. */
final class Xtext {

    private Xtext() {
    }

    /** The decoded text, or null when the encoding is malformed. */
    static String decode(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '+') {
                if (i + 2 >= s.length()) {
                    return null;
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                sb.append((char) (hi * 16 + lo));
                i += 2;
            } else if (c < '!' || c > '~' || c == '=') {
                return null;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** All printable ASCII (Postfix's allprint for ENVID). */
    static boolean printable(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < ' ' || c > '~') {
                return false;
            }
        }
        return true;
    }
}
