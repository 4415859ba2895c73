package org.jmail.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MimeDowngradeTest {

    private static String downgrade(String s) throws Exception {
        return new String(MimeDowngrade.wrap(new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8))).readAllBytes(),
                StandardCharsets.UTF_8);
    }

    @Test
    void singlePart8bitTextBecomesQuotedPrintable() throws Exception {
        String out = downgrade("Subject: x\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n"
                + "\nä = b \nplain\n");
        assertEquals("Subject: x\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n"
                + "\n=C3=A4 =3D b=20\nplain\n", out);
    }

    @Test
    void multipartConvertsOnlyEightBitLeaves() throws Exception {
        String in = "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"BB\"\n\npreamble\n"
                + "--BB\nContent-Type: text/plain; charset=utf-8\n\nGrüße\n"
                + "--BB\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\nAAAA\n"
                + "--BB--\nepilogue\n";
        String out = downgrade(in);
        assertTrue(out.contains("--BB\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: "
                + "quoted-printable\n\nGr=C3=BC=C3=9Fe\n--BB\n"), out);
        assertTrue(out.contains("Content-Transfer-Encoding: base64\n\nAAAA\n--BB--\nepilogue\n"), out);
        assertTrue(out.startsWith("MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"BB\"\n\npreamble\n"), out);
    }

    @Test
    void longLinesGetSoftBreaks() throws Exception {
        String out = downgrade("Subject: x\n\n" + "é".repeat(40) + "\n");
        for (String line : out.split("\n")) {
            assertTrue(line.length() <= 76, line);
        }
        assertTrue(out.contains("=\n"), out);
    }
}
