package org.jmail.smtp;

/**
 * Envelope addresses as the SMTP client writes them (smtp_quote_rfc821_envelope = yes): a
 * local part that is not a dot-atom is quoted, with backslashes before quotes and backslashes.
 * Non-ASCII (SMTPUTF8) characters count as atom text.
 */
final class Addresses {

    private Addresses() {
    }

    static String quote(String address) {
        if (address == null || address.isEmpty()) {
            return "";
        }
        int at = address.lastIndexOf('@');
        String local = at < 0 ? address : address.substring(0, at);
        if (isDotAtom(local)) {
            return address;
        }
        StringBuilder b = new StringBuilder(address.length() + 4).append('"');
        for (int i = 0; i < local.length(); i++) {
            char ch = local.charAt(i);
            if (ch == '"' || ch == '\\') {
                b.append('\\');
            }
            b.append(ch);
        }
        b.append('"');
        if (at >= 0) {
            b.append(address, at, address.length());
        }
        return b.toString();
    }

    static boolean isDotAtom(String s) {
        if (s.isEmpty() || s.startsWith(".") || s.endsWith(".") || s.contains("..")) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch >= 0x80 || ch == '.' || Character.isLetterOrDigit(ch) || "!#$%&'*+/=?^_`{|}~-".indexOf(ch) >= 0) {
                continue;
            }
            return false;
        }
        return true;
    }

    static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }
}
