package org.jmail.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** ENVELOPE against the cases of Dovecot's lib-imap/test-imap-envelope.c (from imaptest). */
class EnvelopeTest {

    private static String envelope(String message) {
        byte[] b = MemoryMailStore.crlf(message.getBytes(StandardCharsets.US_ASCII));
        StringBuilder sb = new StringBuilder();
        Envelope.write(sb, MessageHeader.parse(b, 0, MessageHeader.headerEnd(b, 0, b.length)));
        return sb.toString();
    }

    @Test
    void allFields() {
        assertEquals("(\"Thu, 15 Feb 2007 01:02:03 +0200\" \"subject header\" ((\"From Real\" NIL \"fromuser\""
                + " \"fromdomain.org\")) ((\"Sender Real\" NIL \"senderuser\" \"senderdomain.org\")) ((\"ReplyTo Real\" NIL"
                + " \"replytouser\" \"replytodomain.org\")) ((\"To Real\" NIL \"touser\" \"todomain.org\")) ((\"Cc Real\" NIL"
                + " \"ccuser\" \"ccdomain.org\")) ((\"Bcc Real\" NIL \"bccuser\" \"bccdomain.org\")) \"<reply@to.id>\""
                + " \"<msg@id>\")", envelope("Message-ID: <msg@id>\n"
                + "In-Reply-To: <reply@to.id>\n"
                + "Date: Thu, 15 Feb 2007 01:02:03 +0200\n"
                + "Subject: subject header\n"
                + "From: From Real <fromuser@fromdomain.org>\n"
                + "To: To Real <touser@todomain.org>\n"
                + "Cc: Cc Real <ccuser@ccdomain.org>\n"
                + "Bcc: Bcc Real <bccuser@bccdomain.org>\n"
                + "Sender: Sender Real <senderuser@senderdomain.org>\n"
                + "Reply-To: ReplyTo Real <replytouser@replytodomain.org>\n"
                + "\n"
                + "body\n"));
    }

    @Test
    void bareAddressFillsSenderAndReplyTo() {
        assertEquals("(\"Thu, 15 Feb 2007 01:02:03 +0200\" NIL ((NIL NIL \"user\" \"domain\")) ((NIL NIL \"user\""
                + " \"domain\")) ((NIL NIL \"user\" \"domain\")) NIL NIL NIL NIL NIL)",
                envelope("Date: Thu, 15 Feb 2007 01:02:03 +0200\nFrom: user@domain\n\nbody\n"));
    }

    @Test
    void groupsAndComments() {
        assertEquals("(\"Thu, 15 Feb 2007 01:02:03 +0200\" NIL ((\"Real Name\" NIL \"user\" \"domain\")) ((\"Real Name\""
                + " NIL \"user\" \"domain\")) ((\"Real Name\" NIL \"user\" \"domain\")) ((NIL NIL \"group\" NIL)(NIL NIL"
                + " \"g1\" \"d1.org\")(NIL NIL \"g2\" \"d2.org\")(NIL NIL NIL NIL)(NIL NIL \"group2\" NIL)(NIL NIL \"g3\""
                + " \"d3.org\")(NIL NIL NIL NIL)) ((NIL NIL \"group\" NIL)(NIL NIL NIL NIL)(NIL NIL \"group2\" NIL)(NIL NIL"
                + " NIL NIL)) NIL NIL NIL)", envelope("Date: Thu, 15 Feb 2007 01:02:03 +0200\n"
                + "From: user@domain (Real Name)\n"
                + "To: group: g1@d1.org, g2@d2.org;, group2: g3@d3.org;\n"
                + "Cc: group:;, group2: (foo) ;\n"
                + "\n"
                + "body\n"));
    }

    @Test
    void emptySenderAndReplyToFallBackToFrom() {
        assertEquals("(\"Thu, 15 Feb 2007 01:02:03 +0200\" NIL ((\"Real Name\" NIL \"user\" \"domain\")) ((\"Real Name\""
                + " NIL \"user\" \"domain\")) ((\"Real Name\" NIL \"user\" \"domain\")) NIL NIL NIL NIL NIL)",
                envelope("Date: Thu, 15 Feb 2007 01:02:03 +0200\nFrom: user@domain (Real Name)\nSender: \n"
                        + "Reply-To: \n\nbody\n"));
    }

    @Test
    void sourceRoute() {
        assertEquals("(\"Thu, 15 Feb 2007 01:02:03 +0200\" NIL ((NIL \"@route\" \"user\" \"domain\")) ((NIL \"@route\""
                + " \"user\" \"domain\")) ((NIL \"@route\" \"user\" \"domain\")) NIL NIL NIL NIL NIL)",
                envelope("Date: Thu, 15 Feb 2007 01:02:03 +0200\nFrom: <@route:user@domain>\n\nbody\n"));
    }
}
