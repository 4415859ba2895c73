package org.jmail.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ContentFactsTest {

    private static ContentFacts scan(String s) throws Exception {
        return ContentFacts.scan(new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void tellsEightBitHeaderFromEightBitBody() throws Exception {
        assertEquals(new ContentFacts(false, false), scan("Subject: plain\n\nascii body\n"));
        assertEquals(new ContentFacts(true, false), scan("Subject: Grüße\n\nascii body\n"));
        assertEquals(new ContentFacts(false, true), scan("Subject: plain\n\nGrüße\n"));
        assertEquals(new ContentFacts(true, true), scan("Subject: ä\r\n\r\nö\r\n"));
    }
}
