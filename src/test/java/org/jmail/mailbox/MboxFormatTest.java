package org.jmail.mailbox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Random;
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

    @Test
    void bodyMatchesTheLineByLineRenderingOnRandomContent() {
        // Pieces that exercise the header rules, From_ quoting, empty lines and missing newlines
        String[] pieces = {"From ", "From", "F", "rom ", "\n", "\n\n", ":", " ", "\t", "Status: RO\n",
            "X-UID: 1\n", "Subject: x\n", "  cont\n", ">From ", "x", "Fr", "content-length:9\n", "\u00e9"};
        Random rnd = new Random(20261128);
        MboxFormat.BodyOptions[] all = {MboxFormat.BodyOptions.MBOX, MboxFormat.BodyOptions.COMMAND,
            new MboxFormat.BodyOptions(true, false, false), new MboxFormat.BodyOptions(false, true, true)};
        for (int n = 0; n < 20000; n++) {
            StringBuilder sb = new StringBuilder();
            for (int k = rnd.nextInt(40); k > 0; k--) {
                sb.append(pieces[rnd.nextInt(pieces.length)]);
            }
            byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
            int off = b.length == 0 ? 0 : rnd.nextInt(Math.min(4, b.length + 1));
            int len = b.length - off - (b.length - off == 0 ? 0 : rnd.nextInt(Math.min(3, b.length - off + 1)));
            for (MboxFormat.BodyOptions o : all) {
                assertArrayEquals(lineByLine(b, off, len, o), MboxFormat.body(b, off, len, o),
                        () -> "content " + sb + " off " + off + " len " + len + " " + o);
            }
        }
    }

    @Test
    void longBodiesAreQuotedAtEveryLineStartAndNowhereElse() {
        StringBuilder sb = new StringBuilder("Subject: big\n\n");
        for (int i = 0; i < 5000; i++) {
            sb.append(i % 7 == 0 ? "From line " : i % 5 == 0 ? "xFrom not " : "plain text ").append(i).append('\n');
        }
        byte[] b = sb.toString().getBytes(StandardCharsets.US_ASCII);
        assertArrayEquals(lineByLine(b, 0, b.length, MboxFormat.BodyOptions.MBOX),
                MboxFormat.body(b, 0, b.length, MboxFormat.BodyOptions.MBOX));
    }

    /** The rendering as the earlier line-by-line implementation did it: the reference. */
    private static byte[] lineByLine(byte[] content, int off, int len, MboxFormat.BodyOptions opts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int end = off + len;
        boolean inHeaders = true;
        boolean skipping = false;
        int i = off;
        while (i < end) {
            int nl = i;
            while (nl < end && content[nl] != '\n') {
                nl++;
            }
            int lineEnd = nl;
            int next = nl < end ? nl + 1 : end;
            String line = new String(content, i, lineEnd - i, StandardCharsets.ISO_8859_1);
            if (inHeaders) {
                if (line.isEmpty()) {
                    inHeaders = false;
                    skipping = false;
                } else if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                    if (skipping) {
                        i = next;
                        continue;
                    }
                } else {
                    int colon = line.indexOf(':');
                    String name = colon < 0 ? "" : line.substring(0, colon).replaceAll("[ \t]+$", "")
                            .toLowerCase(java.util.Locale.ROOT);
                    skipping = opts.stripMetadataHeaders() && colon >= 0 && java.util.List.of("status", "x-status",
                            "x-keywords", "x-uid", "x-imap", "x-imapbase", "content-length").contains(name);
                    if (skipping) {
                        i = next;
                        continue;
                    }
                    if (colon < 0) {
                        inHeaders = false;
                    }
                }
            }
            if (opts.quoteFrom() && line.startsWith("From ")) {
                out.write('>');
            }
            out.write(content, i, lineEnd - i);
            out.write('\n');
            i = next;
        }
        if (opts.blankLineAfter()) {
            out.write('\n');
        }
        return out.toByteArray();
    }
}
