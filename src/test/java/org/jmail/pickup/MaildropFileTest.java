package org.jmail.pickup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MaildropFileTest {

    private static InputStream in(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void envelopeIsReadAndStreamLeftAtTheMessage() throws Exception {
        InputStream in = in("JMD1\nflags=t\nsender=Me <me@x.tst>\nfullname=Cron Daemon\nrcpt=a@x.tst\nrcpt=b, c\n"
                + "encoding=8BITMIME\n\nTo: z@x.tst\n\nbody\n");
        MaildropFile f = MaildropFile.readEnvelope(in);
        assertTrue(f.extractRecipients());
        assertEquals("Me <me@x.tst>", f.sender());
        assertEquals("Cron Daemon", f.fullName());
        assertEquals(List.of("a@x.tst", "b, c"), f.recipientArgs());
        assertEquals("8BITMIME", f.attributes().get("encoding"));
        assertEquals("To: z@x.tst\n\nbody\n", new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void absentSenderMeansTheLoginName() throws Exception {
        MaildropFile f = MaildropFile.readEnvelope(in("JMD1\nrcpt=a\n\n"));
        assertNull(f.sender());
        assertNull(f.fullName());
        assertEquals(false, f.extractRecipients());
    }

    @Test
    void emptySenderIsTheNullSender() throws Exception {
        assertEquals("", MaildropFile.readEnvelope(in("JMD1\nsender=\nrcpt=a\n\n")).sender());
    }

    @Test
    void wrongMagicTruncatedEnvelopeAndBadLinesAreMalformed() {
        assertThrows(MaildropFile.Malformed.class, () -> MaildropFile.readEnvelope(in("From: x\n\nbody\n")));
        assertThrows(MaildropFile.Malformed.class, () -> MaildropFile.readEnvelope(in("JMD1\nrcpt=a\n")));
        assertThrows(MaildropFile.Malformed.class, () -> MaildropFile.readEnvelope(in("JMD1\nnoequals\n\n")));
    }
}
