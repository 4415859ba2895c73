package org.jmail.util;

/** RFC 3461 xtext ("+XX" hex escapes), as used by DSN's ENVID and ORCPT parameters. */
public final class Xtext {

    private Xtext() {
    }

    /** The decoded text, or null when the encoding is malformed. */
    public static String decode(String s) {
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
    public static boolean printable(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < ' ' || c > '~') {
                return false;
            }
        }
        return true;
    }

    /**
     * xtext of {@code s}: "+", "=", controls, space and non-ASCII as "+XX" (UTF-8 bytes), the
     * rest as is; for ENVID= and ORCPT= sent to the next hop.
     */
    public static String encode(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (byte b : s.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c < '!' || c > '~' || c == '+' || c == '=') {
                sb.append('+').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            } else {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }
}
