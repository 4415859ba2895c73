package org.jmail.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SmtpReplyTest {

    @Test
    void detailCodeComesFromTheReplyOrItsClass() {
        SmtpReply r = new SmtpReply(550, List.of("550-5.1.1 first", "550 5.1.1 second"));
        assertEquals("5.1.1", r.dsn());
        assertEquals("550-5.1.1 first 550 5.1.1 second", r.text());
        assertEquals("4.0.0", new SmtpReply(451, List.of("451 try later")).dsn());
        assertEquals("4.7.1", new SmtpReply(450, List.of("450 5.7.1 mismatched class")).dsn());
        assertEquals("2.0.0", new SmtpReply(250, List.of("250 Ok")).dsn());
    }
}
