package org.jmail.mailbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class MboxFormatTest {

    private static String body(String content, MboxFormat.BodyOptions opts) {
        byte[] b = content.getBytes(StandardCharsets.UTF_8);
        return new String(MboxFormat.body(b, 0, b.length, opts), StandardCharsets.UTF_8);
    }

    @Test
    void fromLineHasTwoSpacesAndAsctimeDateLikePostfix() {
        Instant t = Instant.parse("1970-01-01T00:00:00Z");
        assertEquals("From alice@example.org  Thu Jan  1 00:00:00 1970",
                MboxFromLine.format("alice@example.org", t, ZoneOffset.UTC));
        assertEquals("From MAILER-DAEMON  Fri Dec 31 23:59:59 1999",
                MboxFromLine.format("", Instant.parse("1999-12-31T23:59:59Z"), ZoneOffset.UTC));
    }

    @Test
    void fromLineParsesCommonVariants() {
        MboxFromLine.Parsed p = MboxFromLine.parse("From alice@example.org  Thu Jan  1 00:00:00 1970\n");
        assertNotNull(p);
        assertEquals("alice@example.org", p.sender());
        assertEquals(LocalDateTime.of(1970, 1, 1, 0, 0, 0), p.date());
        assertEquals(LocalDateTime.of(2024, 3, 15, 8, 1, 2),
                MboxFromLine.parse("From bob Fri Mar 15 08:01:02 2024").date());
        assertEquals("\"a b\"@x", MboxFromLine.parse("From \"a b\"@x  Fri Mar 15 08:01:02 2024").sender());
        assertNull(MboxFromLine.parse(">From bob Fri Mar 15 08:01:02 2024"));
        assertNull(MboxFromLine.parse("From here to eternity"));
    }

    @Test
    void envelopeHasReturnPathOriginalRecipientAndDeliveredTo() {
        byte[] e = MboxFormat.envelope("bob@example.org", Instant.parse("2024-03-15T08:01:02Z"), ZoneOffset.UTC,
                "alias@host.example", "alex+foo@host.example");
        assertEquals("From bob@example.org  Fri Mar 15 08:01:02 2024\n"
                + "Return-Path: <bob@example.org>\n"
                + "X-Original-To: alias@host.example\n"
                + "Delivered-To: alex+foo@host.example\n", new String(e, StandardCharsets.UTF_8));
        String nullSender = new String(MboxFormat.envelope("", Instant.EPOCH, ZoneId.of("UTC"), null, "a@b"),
                StandardCharsets.UTF_8);
        assertEquals("From MAILER-DAEMON  Thu Jan  1 00:00:00 1970\nReturn-Path: <>\nDelivered-To: a@b\n", nullSender);
    }

    @Test
    void localPartsThatAreNotDotStringsAreQuoted() {
        assertEquals("plain.user@example.org", MboxFormat.quoteLocalPart("plain.user@example.org"));
        assertEquals("\"john doe\"@example.org", MboxFormat.quoteLocalPart("john doe@example.org"));
        assertEquals("\"a\\\"b\"@x", MboxFormat.quoteLocalPart("a\"b@x"));
        assertEquals("\"a..b\"@x", MboxFormat.quoteLocalPart("a..b@x"));
    }

    @Test
    void linesStartingWithFromAreQuotedOnlyExactly() {
        String out = body("Subject: hi\n\nFrom the start\n>From already\nfrom lower\n From indented\nFrom\n",
                MboxFormat.BodyOptions.MBOX);
        assertEquals("Subject: hi\n\n>From the start\n>From already\nfrom lower\n From indented\nFrom\n\n", out);
    }

    @Test
    void missingFinalNewlineIsAddedBeforeTheBlankLine() {
        assertEquals("Subject: x\n\nno newline\n\n", body("Subject: x\n\nno newline", MboxFormat.BodyOptions.MBOX));
        assertEquals("Subject: x\n\nno newline\n", body("Subject: x\n\nno newline", MboxFormat.BodyOptions.COMMAND));
    }

    @Test
    void metadataHeadersAreStrippedFromHeadersButNotFromTheBody() {
        String in = "Status: RO\nX-UID: 17\nSubject: hello\nX-Keywords: $Forged\n  continued\n"
                + "content-length: 999\nX-IMAPbase: 1 2\nX-Status: A\nX-IMAP: 1 2\nX-Statusbar: kept\n"
                + "\nStatus: body text stays\nX-UID: 5\n";
        assertEquals("Subject: hello\nX-Statusbar: kept\n\nStatus: body text stays\nX-UID: 5\n\n",
                body(in, MboxFormat.BodyOptions.MBOX));
    }

    @Test
    void commandBodyIsUnquotedAndUnstripped() {
        assertEquals("Status: RO\n\nFrom x\n", body("Status: RO\n\nFrom x\n", MboxFormat.BodyOptions.COMMAND));
    }
}
