package org.jmail.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The small pieces of local(8): expansion syntax, alias tokens, extensions, exit codes, journal records. */
class LocalPartsTest {

    @TempDir
    Path dir;

    private static Map<String, String> attrs(String user, String ext, String delim) {
        Map<String, String> m = new HashMap<>();
        m.put("user", user);
        m.put("home", "/home/" + user);
        m.put("extension", ext);
        m.put("recipient_delimiter", delim);
        return m;
    }

    @Test
    void forwardPathExpandsConditionallyAndReportsUndefinedNames() {
        String fp = "$home/.forward${recipient_delimiter}${extension}";
        LocalExpander.Result with = LocalExpander.expand(fp, attrs("alex", "lists", "+"), LocalSettings.DEFAULT_FILTER);
        assertEquals("/home/alex/.forward+lists", with.text());
        assertFalse(with.undefined());
        assertTrue(with.extensionUsed());
        LocalExpander.Result without = LocalExpander.expand(fp, attrs("alex", null, null), LocalSettings.DEFAULT_FILTER);
        assertTrue(without.undefined(), "Postfix skips this forward_path entry");
        assertEquals("/home/alex/.forward+x", LocalExpander.expand("$home/.forward${extension?+$extension}",
                attrs("alex", "x", "+"), null).text());
        assertEquals("/home/alex/.forward", LocalExpander.expand("$home/.forward${extension?+$extension}",
                attrs("alex", null, null), null).text());
        assertEquals("none", LocalExpander.expand("${extension:none}", attrs("alex", null, null), null).text());
    }

    @Test
    void expansionFilterReplacesDangerousCharacters() {
        LocalExpander.Result r = LocalExpander.expand("$home/.forward+$extension", attrs("alex", "../x;rm", "+"),
                LocalSettings.DEFAULT_FILTER);
        assertEquals("/home/alex/.forward+../x_rm", r.text());
    }

    @Test
    void aliasValuesSplitLikeAliases5() {
        assertEquals(List.of("a", "b@x", "|/usr/bin/prog -f x", "/var/log/mail.copy", ":include:/etc/list"),
                AddressTokens.split(" a, b@x ,\"|/usr/bin/prog -f x\", /var/log/mail.copy, :include:/etc/list"));
        assertEquals(List.of("|cat > /tmp/x (args)", "bob"), AddressTokens.split("|cat > /tmp/x (args), bob"));
        assertEquals(List.of("joe@x", "ann@y"), AddressTokens.split("Joe Doe <joe@x>, ann@y (Ann)"));
        assertEquals(List.of("\"john doe\"@x"), AddressTokens.split("\"john doe\"@x"));
        assertEquals(List.of("\\alex"), AddressTokens.split("\\alex"));
        assertEquals(List.of(), AddressTokens.split("  "));
    }

    @Test
    void extensionsSplitAtTheFirstDelimiterExceptReservedNames() {
        assertEquals(4, Expansion.splitPoint("alex+foo+bar", "+", true));
        assertEquals(4, Expansion.splitPoint("alex-foo", "+-", true));
        assertEquals(-1, Expansion.splitPoint("+foo", "+", true));
        assertEquals(-1, Expansion.splitPoint("postmaster", "+", true));
        assertEquals(-1, Expansion.splitPoint("owner-list", "-", true));
        assertEquals(-1, Expansion.splitPoint("list-request", "-", true));
        assertEquals(5, Expansion.splitPoint("owner-list", "-", false));
        assertEquals(4, Expansion.splitPoint("alex+", "+", true));
    }

    @Test
    void sysexitsAndDsnOutputAreRecognised() {
        assertTrue(SysExits.detail(75).temporary());
        assertEquals("5.1.1", SysExits.detail(67).dsn());
        assertEquals("unknown mail system error 3", SysExits.detail(3).text());
        assertEquals("4.2.2", CommandDelivery.leadingDsn("4.2.2 over quota"));
        assertEquals("5.1.1", CommandDelivery.leadingDsn("5.1.1 no such user"));
        assertNull(CommandDelivery.leadingDsn("3.1.1 nope"));
        assertNull(CommandDelivery.leadingDsn("4.2 short"));
        assertNull(CommandDelivery.leadingDsn("error: 4.2.2"));
        assertEquals("a b _", CommandDelivery.printable("a\tb\n\u0001".getBytes(), 5));
    }

    @Test
    void cleanupRepliesMapToBounceOrDefer() {
        Status b = Forwarder.fromReply("552 5.3.4 Message size exceeds fixed limit");
        assertEquals(Status.Kind.BOUNCED, b.kind());
        assertEquals("5.3.4", b.dsn());
        Status d = Forwarder.fromReply("451 4.3.0 Error: queue file write error");
        assertEquals(Status.Kind.DEFERRED, d.kind());
        assertEquals("4.3.0", d.dsn());
        assertEquals("Error: queue file write error", d.text());
    }

    @Test
    void journalRecordsSurviveAReopenAndTornRecordsAreIgnored() throws Exception {
        Path jdir = dir.resolve("journal");
        DeliveryJournal j = new DeliveryJournal(jdir, Duration.ofDays(7));
        long now = System.currentTimeMillis() / 1000;
        DeliveryJournal.Record rec = new DeliveryJournal.Record("Q1", "mbox", "/var/mail/alex", 1234, now,
                List.of(new DeliveryJournal.Entry(0, 0, 100, 42), new DeliveryJournal.Entry(1, 0, 101, -7)), null);
        DeliveryJournal.Slot kept = j.write(rec);
        DeliveryJournal.Slot released = j.write(new DeliveryJournal.Record("Q2", "fwd", "", 0, now,
                List.of(new DeliveryJournal.Entry(0, 0, 0, 0)), "NEWID"));
        j.release(released);
        DeliveryJournal.Slot old = j.write(new DeliveryJournal.Record("Q3", "mbox", "/x", 0, now - 86400 * 30,
                List.of(new DeliveryJournal.Entry(0, 0, 1, 1)), null));
        assertTrue(kept != old);

        DeliveryJournal reopened = new DeliveryJournal(jdir, Duration.ofDays(7));
        assertEquals(List.of(rec), reopened.recovered("Q1"));
        assertEquals(List.of(), reopened.recovered("Q2"), "released records are gone");
        assertEquals(List.of(), reopened.recovered("Q3"), "records older than maxAge are dropped");
        reopened.releaseRecovered("Q1", Set.of(0));
        assertEquals(1, reopened.recovered("Q1").size(), "recipient 1 is not committed yet");
        reopened.releaseRecovered("Q1", Set.of(0, 1));
        assertEquals(List.of(), reopened.recovered("Q1"));

        byte[] enc = DeliveryJournal.encode(rec);
        enc[enc.length - 6] ^= 1;
        Path torn = jdir.resolve("torn");
        java.nio.file.Files.write(torn, enc);
        try (FileChannel ch = FileChannel.open(torn, StandardOpenOption.READ)) {
            assertNull(DeliveryJournal.read(ch));
        }
    }
}
