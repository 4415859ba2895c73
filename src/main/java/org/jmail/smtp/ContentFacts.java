package org.jmail.smtp;

import java.io.IOException;
import java.io.InputStream;

/**
 * What the SMTP client needs to know about a message before MAIL FROM: whether it has 8-bit
 * bytes in the header or the body. The queue does not record BODY=8BITMIME or SMTPUTF8 (see the
 * package notes), so the content is scanned once per delivery (a byte loop over the file,
 * stopping early once both answers are known).
 */
record ContentFacts(boolean eightBitHeader, boolean eightBitBody) {

    boolean eightBit() {
        return eightBitHeader || eightBitBody;
    }

    static ContentFacts scan(InputStream in) throws IOException {
        byte[] buf = new byte[65536];
        boolean inHeader = true;
        boolean lineStart = true;
        boolean h8 = false;
        boolean b8 = false;
        int n;
        while ((n = in.read(buf)) > 0) {
            for (int i = 0; i < n; i++) {
                byte b = buf[i];
                if (b < 0) {
                    if (inHeader) {
                        h8 = true;
                    } else {
                        b8 = true;
                        if (h8) {
                            return new ContentFacts(true, true);
                        }
                    }
                }
                if (b == '\n') {
                    if (lineStart && inHeader) {
                        inHeader = false;
                    }
                    lineStart = true;
                } else if (b != '\r') {
                    lineStart = false;
                }
            }
        }
        return new ContentFacts(h8, b8);
    }
}
