package org.jmail.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ImapParserTest {

    private int continuations;

    private ImapParser parser(String input, int maxLine, long appendLimit) {
        return parser(input.getBytes(StandardCharsets.ISO_8859_1), maxLine, appendLimit);
    }

    private ImapParser parser(byte[] input, int maxLine, long appendLimit) {
        return new ImapParser(new ImapInput(new ByteArrayInputStream(input)), maxLine, appendLimit,
                () -> continuations++);
    }

    @Test
    void parsesAtomsStringsListsAndLiterals() throws Exception {
        ImapParser p = parser("a1 uid fetch 1:* (FLAGS BODY.PEEK[HEADER.FIELDS (FROM TO)]<0.10>) \"q\\\"x\" {3}\r\nabc"
                + " NIL\r\n", 1000, 1000);
        ImapCommand c = p.read();
        assertEquals("a1", c.tag());
        assertEquals("UID FETCH", c.name());
        assertEquals(5, c.args().size());
        ImapArg.ListArg l = (ImapArg.ListArg) c.args().get(1);
        assertEquals("BODY.PEEK[HEADER.FIELDS (FROM TO)]<0.10>", l.items().get(1).astring());
        assertEquals("q\"x", c.args().get(2).astring());
        assertEquals("abc", c.args().get(3).astring());
        assertTrue(c.args().get(4).isNil());
        assertEquals(1, continuations);
        assertNull(p.read());
    }

    @Test
    void nonSynchronizingLiteralNeedsNoContinuation() throws Exception {
        ImapCommand c = parser("a APPEND INBOX {3+}\r\nabc\r\n", 1000, 1000).read();
        assertEquals("abc", c.args().get(1).astring());
        assertEquals(0, continuations);
    }

    @Test
    void deepNestingIsRefused() {
        String deep = "(".repeat(200) + ")".repeat(200);
        ImapParser.Error e = assertThrows(ImapParser.Error.class, () -> parser("a SEARCH " + deep + "\r\n", 100000,
                10).read());
        assertEquals("Too deep parenthesis nesting.", e.getMessage());
        assertFalse(e.fatal);
    }

    @Test
    void synchronizingLiteralOverTheLimitIsRefusedWithoutContinuation() {
        ImapParser.Error e = assertThrows(ImapParser.Error.class, () -> parser("a LOGIN {999999}\r\n", 1000, 1000)
                .read());
        assertTrue(e.literalTooBig);
        assertFalse(e.fatal);
        assertTrue(e.getMessage().startsWith("[TOOBIG]"));
        assertEquals(0, continuations);
    }

    @Test
    void nonSynchronizingLiteralOverTheLimitIsFatal() {
        ImapParser.Error e = assertThrows(ImapParser.Error.class, () -> parser("a LOGIN {999999+}\r\n", 1000, 1000)
                .read());
        assertTrue(e.fatal);
    }

    @Test
    void tooLongLineIsSkippedAndTheNextCommandStillParses() throws Exception {
        ImapParser p = parser("a NOOP " + "x".repeat(5000) + "\r\nb NOOP\r\n", 1000, 1000);
        assertThrows(ImapParser.Error.class, p::read);
        assertEquals("b", p.read().tag());
    }

    @Test
    void invalidUtf8InQuotedStringIsRefused() {
        byte[] in = "a LOGIN \"\u00ff\u00fe\" x\r\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThrows(ImapParser.Error.class, () -> parser(in, 1000, 1000).read());
    }

    @Test
    void hostileBytesNeverEscapeAsExceptionsFromTheSession() throws Exception {
        java.util.Random r = new java.util.Random(42);
        for (int i = 0; i < 200; i++) {
            byte[] junk = new byte[r.nextInt(300)];
            r.nextBytes(junk);
            String in = "a0 LOGIN alice secret\r\n" + new String(junk, StandardCharsets.ISO_8859_1)
                    + "\r\nz LOGOUT\r\n";
            ImapTestKit.FakeTransport t = new ImapTestKit.FakeTransport(in.getBytes(StandardCharsets.ISO_8859_1), true);
            new ImapSession(ImapTestKit.settings(), ImapTestKit.AUTH, ImapTestKit.storeWith(), t, new UserIpLimiter())
                    .run();
            String out = t.out.toString(StandardCharsets.ISO_8859_1);
            assertFalse(out.contains("Exception"), out);
        }
    }

    @Test
    void unknownCommandAndTooManyBadCommandsAfterLogin() throws Exception {
        StringBuilder in = new StringBuilder("a LOGIN alice secret\r\nb FOO\r\n");
        for (int i = 0; i < 25; i++) {
            in.append("x").append(i).append(" BAR\r\n");
        }
        String out = ImapTestKit.run(ImapTestKit.storeWith(), in.toString());
        assertTrue(out.contains("b BAD Error in IMAP command FOO: Unknown command ("), out);
        assertTrue(out.contains("* BYE Too many invalid IMAP commands.\r\n"), out);
        assertFalse(out.contains("x20 "), out);
    }

    @Test
    void longNotChainsAndHostileListPatternsAreCheap() throws Exception {
        String nots = "NOT ".repeat(5000);
        String out = ImapTestKit.session(ImapTestKit.storeWith(ImapTestKit.message(1)),
                "s SELECT INBOX\r\nb SEARCH " + nots + "ALL\r\nc LIST \"\" \"" + "*a".repeat(40) + "*b\"\r\n");
        assertTrue(out.contains("b BAD Error in IMAP command SEARCH: Too deep nesting"), out);
        long t0 = System.nanoTime();
        assertFalse(MailboxCommands.matches("*a".repeat(200) + "*b", "a".repeat(200)));
        assertTrue((System.nanoTime() - t0) < 1_000_000_000L);
        assertTrue(out.contains("c OK List completed"), out);
    }

    @Test
    void sequenceSetsResolveBothWaysAndStar() {
        SequenceSet.Resolved r = SequenceSet.parse("5:3,9:*,1").resolve(12);
        assertTrue(r.contains(1) && r.contains(3) && r.contains(4) && r.contains(5) && r.contains(9)
                && r.contains(12));
        assertFalse(r.contains(2) || r.contains(6) || r.contains(8) || r.contains(13));
        assertThrows(IllegalArgumentException.class, () -> SequenceSet.parse("0"));
        assertThrows(IllegalArgumentException.class, () -> SequenceSet.parse("1:"));
    }

    @Test
    void dateTimeParsesAndFormats() {
        var t = ImapDate.parseDateTime(" 5-Jan-2024 10:11:12 +0100");
        assertEquals(java.time.Instant.parse("2024-01-05T09:11:12Z"), t);
        assertEquals("\"05-Jan-2024 09:11:12 +0000\"", ImapDate.format(t, java.time.ZoneOffset.UTC));
        assertNull(ImapDate.parseDateTime("garbage"));
    }
}
