package org.jmail.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jmail.dns.TestDnsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * smtpd's restrictions against the running daemon with swaks as the client, each client from
 * its own loopback address (127.0.0.x all route on Linux): the open-relay tester's matrix from
 * outside mynetworks, a DNSBL-listed client (test DNS zone), an IP range refused by a cidr:
 * table, and a client without a reverse name.
 */
class RestrictionsIT {

    static TestDnsServer dns;
    /** Default restrictions; mynetworks holds only 127.0.0.9, so other loopback clients are outside. */
    static JmailInstance open;
    /** Client restrictions: cidr range, DNSBL, forward-confirmed client name. */
    static JmailInstance guarded;

    @BeforeAll
    static void start() throws Exception {
        dns = new TestDnsServer()
                .add("2.0.0.127.zen.test. 300 IN A 127.0.0.2")
                .add("2.0.0.127.zen.test. 300 IN TXT \"https://zen.test/query/ip/127.0.0.2\"")
                // a PTR that does not forward-confirm: the name's A record is another address
                .add("7.0.0.127.in-addr.arpa. 300 IN PTR liar.test.")
                .add("liar.test. 300 IN A 192.0.2.1")
                .add("remote.tst. 300 IN A 192.0.2.1")
                .add("exists.test. 300 IN MX 10 liar.test.");
        open = new JmailInstance()
                .set("mynetworks", "127.0.0.9/32")
                .set("jmail_dns_servers", dns.address())
                .set("jmail_dns_timeout", "2s");
        open.start();
        guarded = new JmailInstance();
        Path cidr = guarded.dir.resolve("client_access.cidr");
        Files.writeString(cidr, "# the IP range filter\n127.0.0.4/31 REJECT IP range blocked\n");
        guarded.set("mynetworks", "127.0.0.9/32")
                .set("jmail_dns_servers", dns.address())
                .set("jmail_dns_timeout", "2s")
                .set("smtpd_client_restrictions", "check_client_access cidr:" + cidr
                        + ", reject_rbl_client zen.test, reject_unknown_client_hostname")
                .set("smtpd_sender_restrictions", "reject_unknown_sender_domain");
        guarded.start();
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {open, guarded, dns}) {
            if (c != null) {
                c.close();
            }
        }
    }

    /** One SMTP dialogue up to RCPT from {@code source}; returns swaks' transcript. */
    static JmailInstance.Result swaks(JmailInstance j, String source, String from, String to) throws Exception {
        return JmailInstance.run(List.of("swaks", "--server", "127.0.0.1", "--port", Integer.toString(j.smtpPort),
                "--local-interface", source, "--timeout", "20", "--ehlo", "relaytest.example.net",
                "--from", from, "--to", to, "--quit-after", "RCPT"), null);
    }

    /** True once the daemon's log holds {@code text} (waits up to 5 s). */
    static boolean logShows(JmailInstance j, String text) throws Exception {
        return JmailInstance.waitFor(5000, () -> {
            try {
                return j.logText().contains(text);
            } catch (java.io.IOException e) {
                return false;
            }
        });
    }

    /** The server's reply to RCPT TO in a swaks transcript (the line after "-> RCPT TO"). */
    static String rcptReply(String transcript) {
        String[] lines = transcript.split("\n");
        for (int i = 0; i < lines.length - 1; i++) {
            if (lines[i].contains("RCPT TO:")) {
                return lines[i + 1].replaceFirst("^\\s*<[*~-]*\\s*", "").strip();
            }
        }
        return "";
    }

    @Test
    void openRelayMatrixIsRefusedFromOutsideMynetworks() throws Exception {
        List<String> recipients = List.of(
                "root@remote.tst",
                "root%remote.tst@example.tst",
                "\"root@remote.tst\"@example.tst",
                "root@remote.tst@example.tst",
                "@example.tst:root@remote.tst",
                "@mail.example.tst,@example.tst:root@remote.tst",
                "remote.tst!root@example.tst",
                "remote.tst!root",
                "root%remote.tst",
                "root%remote.tst@[127.0.0.1]",
                "root@remote.tst@[127.0.0.1]",
                "\"root%remote.tst\"@example.tst",
                "\"remote.tst!root\"@example.tst",
                "root%remote.tst@mail.example.tst",
                "root%remote.tst%example.tst@example.tst",
                "root@remote.tst.",
                "root@[192.0.2.1]",
                "root%[192.0.2.1]@example.tst",
                "root@localhost%remote.tst",
                "root%remote.tst@localhost");
        List<String> senders = List.of("spammer@remote.tst", "root@example.tst", "postmaster@example.tst", "");
        int tried = 0;
        int refused = 0;
        List<String> accepted = new ArrayList<>();
        StringBuilder table = new StringBuilder();
        for (String from : senders) {
            for (String to : recipients) {
                JmailInstance.Result r = swaks(open, "127.0.0.3", from, to);
                String reply = rcptReply(r.output());
                tried++;
                if (reply.startsWith("4") || reply.startsWith("5")) {
                    refused++;
                } else {
                    accepted.add("<" + from + "> -> <" + to + ">: " + reply + "\n" + r.output());
                }
                table.append(String.format("  %-24s %-48s %s%n", "<" + from + ">", "<" + to + ">", reply));
            }
        }
        System.out.println("RestrictionsIT relay matrix:\n" + table);
        System.out.println("RestrictionsIT relay attempts: tried " + tried + ", refused " + refused);
        assertTrue(accepted.isEmpty(), "relayed: " + accepted + "\nlog:\n" + open.logText());
        assertEquals(tried, refused);
        // a positive control: a local recipient from the same client is accepted
        assertTrue(rcptReply(swaks(open, "127.0.0.3", "x@remote.tst", "root@example.tst").output()).startsWith("250"));
        // and mynetworks may relay
        assertTrue(rcptReply(swaks(open, "127.0.0.9", "x@example.tst", "root@remote.tst").output()).startsWith("250"));
    }

    @Test
    void dnsblListedClientGets554() throws Exception {
        JmailInstance.Result r = swaks(guarded, "127.0.0.2", "x@remote.tst", "root@example.tst");
        assertEquals("554 5.7.1 Service unavailable; Client host [127.0.0.2] blocked using zen.test;"
                + " https://zen.test/query/ip/127.0.0.2", rcptReply(r.output()), r.output());
        // the log line may reach the file a moment after the reply
        assertTrue(logShows(guarded, "NOQUEUE: reject: RCPT from unknown[127.0.0.2]: 554 5.7.1 Service"
                + " unavailable; Client host [127.0.0.2] blocked using zen.test;"), guarded.logText());
    }

    @Test
    void cidrTableRefusesAnAddressRange() throws Exception {
        for (String source : List.of("127.0.0.4", "127.0.0.5")) {
            JmailInstance.Result r = swaks(guarded, source, "x@remote.tst", "root@example.tst");
            assertEquals("554 5.7.1 <unknown[" + source + "]>: Client host rejected: IP range blocked",
                    rcptReply(r.output()), r.output());
        }
    }

    @Test
    void clientWithoutReverseNameIsRefused() throws Exception {
        JmailInstance.Result r = swaks(guarded, "127.0.0.6", "x@remote.tst", "root@example.tst");
        assertEquals("450 4.7.25 Client host rejected: cannot find your hostname, [127.0.0.6]",
                rcptReply(r.output()), r.output());
        JmailInstance.Result mine = swaks(guarded, "127.0.0.1", "x@remote.tst", "root@example.tst");
        assertTrue(rcptReply(mine.output()).startsWith("250"), mine.output() + "\n" + guarded.logText());
    }

    @Test
    void ptrThatDoesNotForwardConfirmIsRefusedWith450() throws Exception {
        JmailInstance.Result r = swaks(guarded, "127.0.0.7", "x@remote.tst", "root@example.tst");
        assertEquals("450 4.7.25 Client host rejected: cannot find your hostname, [127.0.0.7]",
                rcptReply(r.output()), r.output());
        assertTrue(logShows(guarded, "connect from unknown[127.0.0.7]"), guarded.logText());
        assertTrue(logShows(guarded, "warning: hostname liar.test does not resolve to address 127.0.0.7"),
                guarded.logText());
    }

    @Test
    void sendmailBsAsksTheTestDnsForTheSenderDomain() throws Exception {
        java.nio.file.Path sendmail = SendmailIT.installScript();
        JmailInstance.Result ok = JmailInstance.run(List.of(sendmail.toString(), "-C", guarded.dir.toString(), "-bs"),
                "EHLO me.example.tst\r\nMAIL FROM:<app@exists.test>\r\nRCPT TO:<root@example.tst>\r\nQUIT\r\n");
        assertTrue(ok.output().contains("250 2.1.5 Ok"), ok.output());
        JmailInstance.Result missing = JmailInstance.run(List.of(sendmail.toString(), "-C", guarded.dir.toString(), "-bs"),
                "EHLO me.example.tst\r\nMAIL FROM:<app@nosuch.test>\r\nRCPT TO:<root@example.tst>\r\nQUIT\r\n");
        assertTrue(missing.output().contains("450 4.1.8 <app@nosuch.test>: Sender address rejected: Domain not found"),
                missing.output());
    }
}
