package org.jmail.pop3;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Pop3OutputTest {

    static String render(String message, long lines, int buffer) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        Pop3Output out = new Pop3Output(b, buffer);
        out.message(message.getBytes(StandardCharsets.ISO_8859_1), lines);
        out.flush();
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void linesStartingWithDotAreStuffedIncludingTheFirst() throws Exception {
        assertEquals("..a\r\nb.\r\n..\r\n...x\r\n", render(".a\r\nb.\r\n.\r\n..x\r\n", -1, 64));
    }

    @Test
    void bareLfGetsCrAndMissingFinalLineEndIsAdded() throws Exception {
        assertEquals("a\r\nb\r\n\r\nc\r\n", render("a\nb\r\n\nc", -1, 64));
    }

    @Test
    void topCountsBodyLinesAfterTheBlankLine() throws Exception {
        String m = "H: 1\r\nH2: 2\r\n\r\nb1\r\nb2\r\nb3\r\n";
        assertEquals("H: 1\r\nH2: 2\r\n\r\n", render(m, 0, 64));
        assertEquals("H: 1\r\nH2: 2\r\n\r\nb1\r\nb2\r\n", render(m, 2, 64));
        assertEquals(m, render(m, 10, 64));
        assertEquals("\r\nb1\r\n", render("\r\nb1\r\nb2\r\n", 1, 64));
    }

    @Test
    void largeMessagesPassThroughSmallBuffersIntact() throws Exception {
        StringBuilder m = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            m.append(i % 7 == 0 ? "." : "").append("line ").append(i).append("\r\n");
        }
        String expected = m.toString().replace("\n.", "\n..");
        expected = expected.startsWith(".") ? "." + expected : expected;
        assertEquals(expected, render(m.toString(), -1, 16));
    }

    @Test
    void offsetCountsEveryByteWritten() throws Exception {
        Pop3Output out = new Pop3Output(new ByteArrayOutputStream(), 8);
        out.line("+OK 12 octets");
        out.message(".abc\r\n".getBytes(StandardCharsets.US_ASCII), -1);
        assertEquals(15 + 7, out.offset());
    }
}
