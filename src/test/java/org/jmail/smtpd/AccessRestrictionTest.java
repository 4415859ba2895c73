package org.jmail.smtpd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AccessRestrictionTest {

    private LogCapture log;

    @BeforeEach
    void captureLog() {
        log = LogCapture.install();
    }

    @AfterEach
    void restoreLog() {
        log.uninstall();
    }

    private static Harness client(Map<String, String> entries, String... kv) throws Exception {
        String[] all = new String[kv.length + 2];
        all[0] = "smtpd_client_restrictions";
        all[1] = "check_client_access hash:/etc/jmail/access";
        System.arraycopy(kv, 0, all, 2, kv.length);
        Harness h = Harness.withTables(List.of(new MapTable("hash:/etc/jmail/access", entries)), null, all);
        h.outside();
        h.replies();
        h.send("EHLO client.example.net");
        h.send("MAIL FROM:<s@example.net>");
        return h;
    }

    @Test
    void rejectActionUsesAccessMapCodeAndClientHostClass() throws Exception {
        Harness h = client(Map.of("192.0.2.10", "REJECT"));
        assertEquals("554 5.7.1 <client.example.net[192.0.2.10]>: Client host rejected: Access denied\r\n",
                h.send("RCPT TO:<alice@example.tst>"));
        assertTrue(log.hasContaining("NOQUEUE: reject: RCPT from client.example.net[192.0.2.10]: 554 5.7.1"),
                log.toString());
    }

    @Test
    void addressPrefixAndParentDomainsAreLookedUp() throws Exception {
        assertEquals("554 5.7.1 <client.example.net[192.0.2.10]>: Client host rejected: go away\r\n",
                client(Map.of("192.0.2", "REJECT go away")).send("RCPT TO:<alice@example.tst>"));
        assertEquals("554 5.7.1 <client.example.net[192.0.2.10]>: Client host rejected: nope\r\n",
                client(Map.of("example.net", "REJECT nope")).send("RCPT TO:<alice@example.tst>"));
        assertEquals("250 2.1.5 Ok\r\n",
                client(Map.of("192.0.2.1", "REJECT")).send("RCPT TO:<alice@example.tst>"));
    }

    @Test
    void numericActionsCarryTheirCodeAndOptionalDsn() throws Exception {
        assertEquals("450 4.7.1 <client.example.net[192.0.2.10]>: Client host rejected: later\r\n",
                client(Map.of("192.0.2.10", "450 later")).send("RCPT TO:<alice@example.tst>"));
        assertEquals("550 5.7.26 <client.example.net[192.0.2.10]>: Client host rejected: bad\r\n",
                client(Map.of("192.0.2.10", "550 5.7.26 bad")).send("RCPT TO:<alice@example.tst>"));
        assertEquals("450 4.7.1 <client.example.net[192.0.2.10]>: Client host rejected: Access denied\r\n",
                client(Map.of("192.0.2.10", "DEFER")).send("RCPT TO:<alice@example.tst>"));
    }

    @Test
    void okPermitsTheListAndDunnoGoesOn() throws Exception {
        Harness ok = client(Map.of("192.0.2.10", "OK"), "smtpd_client_restrictions",
                "check_client_access hash:/etc/jmail/access, reject");
        assertEquals("250 2.1.5 Ok\r\n", ok.send("RCPT TO:<alice@example.tst>"));
        Harness dunno = client(Map.of("192.0.2.10", "DUNNO", "192.0.2", "OK"), "smtpd_client_restrictions",
                "check_client_access hash:/etc/jmail/access, reject");
        assertEquals("554 5.7.1 <client.example.net[192.0.2.10]>: Client host rejected: Access denied\r\n",
                dunno.send("RCPT TO:<alice@example.tst>"), "DUNNO stops the lookup of shorter keys");
    }

    @Test
    void restrictionNameAsAction() throws Exception {
        Harness h = client(Map.of("192.0.2.10", "permit_mynetworks, reject"));
        assertEquals("554 5.7.1 <client.example.net[192.0.2.10]>: Client host rejected: Access denied\r\n",
                h.send("RCPT TO:<alice@example.tst>"));
        Harness bad = client(Map.of("192.0.2.10", "no_such_thing"));
        assertEquals("451 4.3.5 Server configuration error\r\n", bad.send("RCPT TO:<alice@example.tst>"));
    }

    @Test
    void cidrTablesSeeTheFullAddressOnly() throws Exception {
        Harness h = Harness.withTables(List.of(new MapTable("cidr:/etc/jmail/ranges", Map.of("192.0.2", "REJECT"))),
                null, "smtpd_client_restrictions", "check_client_access cidr:/etc/jmail/ranges");
        h.outside();
        h.replies();
        h.send("MAIL FROM:<s@example.net>");
        assertEquals("250 2.1.5 Ok\r\n", h.send("RCPT TO:<alice@example.tst>"));
    }

    @Test
    void senderLookupOrderIsAddressDomainParentsThenLocalPart() throws Exception {
        String[] cf = {"smtpd_sender_restrictions", "check_sender_access hash:/etc/jmail/senders"};
        assertEquals("554 5.7.1 <s@sub.bad.tst>: Sender address rejected: Access denied\r\n",
                sender(Map.of("bad.tst", "REJECT"), "s@sub.bad.tst", cf));
        assertEquals("554 5.7.1 <spam@ok.tst>: Sender address rejected: Access denied\r\n",
                sender(Map.of("spam@", "REJECT"), "spam@ok.tst", cf));
        assertEquals("250 2.1.5 Ok\r\n",
                sender(Map.of("spam@", "REJECT", "spam@ok.tst", "OK"), "spam@ok.tst", cf));
        assertEquals("554 5.7.1 <spam+x@ok.tst>: Sender address rejected: Access denied\r\n",
                sender(Map.of("spam@ok.tst", "REJECT"), "spam+x@ok.tst", "smtpd_sender_restrictions",
                        "check_sender_access hash:/etc/jmail/senders", "recipient_delimiter", "+"));
        assertEquals("250 2.1.5 Ok\r\n", sender(Map.of("bad.tst", "REJECT"), "s@sub.bad.tst",
                "smtpd_sender_restrictions", "check_sender_access hash:/etc/jmail/senders",
                "parent_domain_matches_subdomains", ""), "without parent matching only .bad.tst matches");
        assertEquals("554 5.7.1 <s@sub.bad.tst>: Sender address rejected: Access denied\r\n",
                sender(Map.of(".bad.tst", "REJECT"), "s@sub.bad.tst", "smtpd_sender_restrictions",
                        "check_sender_access hash:/etc/jmail/senders", "parent_domain_matches_subdomains", ""));
        assertEquals("550 5.7.1 <>: Sender address rejected: no bounces\r\n",
                sender(Map.of("<>", "550 no bounces"), "", cf));
    }

    @Test
    void recipientAndHeloAccess() throws Exception {
        Harness h = Harness.withTables(List.of(new MapTable("hash:/r", Map.of("bob@example.tst", "REJECT gone")),
                new MapTable("hash:/h", Map.of("evil.tst", "REJECT"))), null,
                "smtpd_recipient_restrictions", "check_recipient_access hash:/r",
                "smtpd_helo_restrictions", "check_helo_access hash:/h");
        h.outside();
        h.replies();
        h.send("EHLO good.tst");
        h.send("MAIL FROM:<s@example.net>");
        assertEquals("554 5.7.1 <bob@example.tst>: Recipient address rejected: gone\r\n",
                h.send("RCPT TO:<bob@example.tst>"));
        assertEquals("250 2.1.5 Ok\r\n", h.send("RCPT TO:<alice@example.tst>"));
        h.send("RSET");
        h.send("EHLO mx.evil.tst");
        h.send("MAIL FROM:<s@example.net>");
        assertEquals("554 5.7.1 <mx.evil.tst>: Helo command rejected: Access denied\r\n",
                h.send("RCPT TO:<alice@example.tst>"));
    }

    @Test
    void warnIfRejectOnlyLogs() throws Exception {
        Harness h = client(Map.of("192.0.2.10", "REJECT"), "smtpd_client_restrictions",
                "warn_if_reject check_client_access hash:/etc/jmail/access");
        assertEquals("250 2.1.5 Ok\r\n", h.send("RCPT TO:<alice@example.tst>"));
        assertTrue(log.hasContaining("NOQUEUE: reject_warning: RCPT from client.example.net[192.0.2.10]: 554 5.7.1"),
                log.toString());
    }

    @Test
    void withoutDelayRejectTheClientIsRefusedAtConnect() throws Exception {
        Harness h = Harness.withTables(List.of(new MapTable("hash:/a", Map.of("192.0.2.10", "REJECT"))), null,
                "smtpd_client_restrictions", "check_client_access hash:/a", "smtpd_delay_reject", "no");
        h.outside();
        h.replies();
        assertTrue(log.hasContaining("NOQUEUE: reject: CONNECT from client.example.net[192.0.2.10]: 554 5.7.1"
                + " <client.example.net[192.0.2.10]>: Client host rejected: Access denied"), log.toString());
        assertEquals("503 5.7.0 Error: access denied for client.example.net[192.0.2.10]\r\n",
                h.send("MAIL FROM:<s@example.net>"), "Postfix's access_denied answer to later commands");
    }

    private static String sender(Map<String, String> entries, String sender, String... cf) throws Exception {
        Harness h = Harness.withTables(List.of(new MapTable("hash:/etc/jmail/senders", entries)), null, cf);
        h.outside();
        h.replies();
        h.send("MAIL FROM:<" + sender + ">");
        return h.send("RCPT TO:<alice@example.tst>");
    }

    @Test
    void unauthPipeliningRejectsAClientThatTalkedAhead() throws Exception {
        Harness h = Harness.with("smtpd_client_restrictions", "reject_unauth_pipelining");
        h.outside();
        h.replies();
        h.session.command("HELO client.example.net", false, false, () -> "MAIL FROM:<s@example.net>");
        h.replies();
        h.send("MAIL FROM:<s@example.net>");
        assertEquals("503 5.5.0 <client.example.net[192.0.2.10]>: Client host rejected: Improper use of SMTP"
                + " command pipelining\r\n", h.send("RCPT TO:<alice@example.tst>"));
        Harness polite = Harness.with("smtpd_client_restrictions", "reject_unauth_pipelining");
        polite.outside();
        polite.replies();
        polite.session.command("HELO client.example.net", false, false, () -> null);
        polite.replies();
        polite.send("MAIL FROM:<s@example.net>");
        assertEquals("250 2.1.5 Ok\r\n", polite.send("RCPT TO:<alice@example.tst>"));
    }

    @Test
    void restrictionAsRecipientActionRunsInPlace() throws Exception {
        Harness h = Harness.withTables(List.of(new MapTable("hash:/r", Map.of("remote.tst", "reject_unauth_destination"))),
                null, "smtpd_relay_restrictions", "check_recipient_access hash:/r, defer_unauth_destination");
        h.outside();
        h.replies();
        h.send("MAIL FROM:<s@example.net>");
        assertEquals("554 5.7.1 <x@remote.tst>: Relay access denied\r\n", h.send("RCPT TO:<x@remote.tst>"));
        assertEquals("454 4.7.1 <x@other.tst>: Relay access denied\r\n", h.send("RCPT TO:<x@other.tst>"),
                "other domains reach the list's own defer_unauth_destination");
    }
}
