package org.jmail.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BodyWriterTest {

    private static String write(String content, int limit) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BodyWriter.write(new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)), out, limit);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void lfBecomesCrlfAndLeadingDotsAreDoubled() throws Exception {
        assertEquals("a\r\n..b\r\n...\r\nc.d\r\n.\r\n", write("a\n.b\n..\nc.d\n", 998));
    }

    @Test
    void missingFinalNewlineIsAddedBeforeTheDot() throws Exception {
        assertEquals("a\r\nend\r\n.\r\n", write("a\nend", 998));
        assertEquals(".\r\n", write("", 998));
    }

    @Test
    void existingCrlfIsNotDoubledAndBareCrPasses() throws Exception {
        assertEquals("a\r\nb\rc\r\n.\r\n", write("a\r\nb\rc\n", 998));
    }

    @Test
    void overlongLinesAreBrokenWithCrlfSpace() throws Exception {
        assertEquals("abcd\r\n ef\r\n.\r\n", write("abcdef\n", 4));
    }

    @Test
    void largeContentCrossesBufferBoundaries() throws Exception {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 20000; i++) {
            b.append(".line ").append(i).append('\n');
        }
        String out = write(b.toString(), 998);
        assertEquals(b.toString().replace("\n.", "\n..").replaceFirst("^\\.", "..").replace("\n", "\r\n") + ".\r\n", out);
    }
}
