package org.jmail.util;

/** Recognising message header lines, byte-wise, as Postfix's is_header(3) does. */
public final class HeaderNames {

    private HeaderNames() {
    }

    /**
     * Postfix's is_header(): the length of the header name when the line starts with a name
     * of printable ASCII (no ':' or blanks), optional blanks, and ':'; else 0.
     */
    public static int nameLength(byte[] b, int off, int len) {
        int nameLen = 0;
        boolean inSpace = false;
        for (int i = off; i < off + len; i++) {
            int c = b[i] & 0xFF;
            if (c == ':') {
                return nameLen;
            }
            if (c == ' ' || c == '\t') {
                if (nameLen == 0) {
                    return 0;
                }
                inSpace = true;
                continue;
            }
            if (c >= 0x80 || c < 0x20 || c == 0x7F || inSpace) {
                return 0;
            }
            nameLen++;
        }
        return 0;
    }
}
