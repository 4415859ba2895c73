package org.jmail.smtpd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.jmail.dns.DnsResolver;
import org.jmail.dns.TestDnsServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The name checks and DNS lists, with their Postfix reply codes and texts, against a test DNS server. */
class DnsRestrictionsTest {

    private LogCapture log;
    private TestDnsServer dnsServer;
    private DnsResolver dns;

    @BeforeEach
    void start() throws Exception {
        log = LogCapture.install();
        dnsServer = new TestDnsServer()
                .add("good.tst. 300 IN A 192.0.2.1")
                .add("mx-only.tst. 300 IN MX 10 good.tst.")
                .add("10.2.0.192.zen.tst. 300 IN A 127.0.0.2")
                .add("10.2.0.192.zen.tst. 300 IN TXT \"listed, see http://zen.tst/q?192.0.2.10\"")
                .add("11.2.0.192.zen.tst. 300 IN A 127.0.0.4")
                .add("spam.tst.dbl.tst. 300 IN A 127.0.1.2")
                .add("10.2.0.192.in-addr.arpa. 300 IN PTR nowhere.tst.")
                .add("nomail.tst. 300 IN MX 0 .")
                .add("20.2.0.192.in-addr.arpa. 300 IN PTR mail.good.tst.")
                .add("mail.good.tst. 300 IN A 192.0.2.20")
                .add("31.2.0.192.in-addr.arpa. 300 IN PTR host.broken.tst.")
                .servfail("30.2.0.192.in-addr.arpa")
                .servfail("host.broken.tst")
                .servfail("broken.tst");
        dns = new DnsResolver(List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), dnsServer.port())),
                Duration.ofSeconds(2), 1);
    }

    @AfterEach
    void stop() {
        dnsServer.close();
        log.uninstall();
    }

    private Harness session(String name, String addr, String... cf) throws Exception {
        Harness h = Harness.withTables(List.of(), dns, cf);
        h.connect(name, addr);
        h.replies();
        return h;
    }

    private String rcpt(Harness h, String helo, String sender) {
        h.send("EHLO " + helo);
        h.send("MAIL FROM:<" + sender + ">");
        return h.send("RCPT TO:<alice@example.tst>");
    }

    @Test
    void rblListedClientGets554WithTheTxtReason() throws Exception {
        Harness h = session("client.example.net", "192.0.2.10", "smtpd_client_restrictions", "reject_rbl_client zen.tst");
        assertEquals("554 5.7.1 Service unavailable; Client host [192.0.2.10] blocked using zen.tst;"
                + " listed, see http://zen.tst/q?192.0.2.10\r\n", rcpt(h, "good.tst", "s@good.tst"));
        Harness clean = session("c.example.net", "192.0.2.99", "smtpd_client_restrictions", "reject_rbl_client zen.tst");
        assertEquals("250 2.1.5 Ok\r\n", rcpt(clean, "good.tst", "s@good.tst"));
    }

    @Test
    void rblFilterAddressMustMatchAndTxtIsOptional() throws Exception {
        String cf = "reject_rbl_client zen.tst=127.0.0.4";
        assertEquals("250 2.1.5 Ok\r\n",
                rcpt(session("a.example.net", "192.0.2.10", "smtpd_client_restrictions", cf), "good.tst", "s@good.tst"));
        assertEquals("554 5.7.1 Service unavailable; Client host [192.0.2.11] blocked using zen.tst\r\n",
                rcpt(session("b.example.net", "192.0.2.11", "smtpd_client_restrictions", cf), "good.tst", "s@good.tst"));
    }

    @Test
    void rhsblSenderNamesTheSenderDomain() throws Exception {
        Harness h = session("c.example.net", "192.0.2.99", "smtpd_sender_restrictions", "reject_rhsbl_sender dbl.tst");
        assertEquals("554 5.7.1 Service unavailable; Sender address [spam.tst] blocked using dbl.tst\r\n",
                rcpt(h, "good.tst", "x@spam.tst"));
    }

    @Test
    void unknownSenderDomainIs450ByDefaultAnd450OnTemporaryFailure() throws Exception {
        String[] cf = {"smtpd_sender_restrictions", "reject_unknown_sender_domain"};
        assertEquals("450 4.1.8 <s@nowhere.tst>: Sender address rejected: Domain not found\r\n",
                rcpt(session("c.example.net", "192.0.2.99", cf), "good.tst", "s@nowhere.tst"));
        assertEquals("250 2.1.5 Ok\r\n", rcpt(session("c.example.net", "192.0.2.99", cf), "good.tst", "s@mx-only.tst"));
        assertEquals("450 4.1.8 <s@broken.tst>: Sender address rejected: Domain not found\r\n",
                rcpt(session("c.example.net", "192.0.2.99", cf), "good.tst", "s@broken.tst"));
        assertEquals("554 5.7.1 <s@broken.tst>: Sender address rejected: Access denied\r\n",
                rcpt(session("c.example.net", "192.0.2.99", "smtpd_sender_restrictions",
                        "reject_unknown_sender_domain, reject"), "good.tst", "s@broken.tst"),
                "a temporary failure defers only if permitted: a later reject wins (defer_if_permit)");
        assertEquals("550 5.1.8 <s@nowhere.tst>: Sender address rejected: Domain not found\r\n",
                rcpt(session("c.example.net", "192.0.2.99", "smtpd_sender_restrictions", "reject_unknown_sender_domain",
                        "unknown_address_reject_code", "550"), "good.tst", "s@nowhere.tst"));
        assertEquals("550 5.7.27 <s@nomail.tst>: Sender address rejected: Domain nomail.tst does not accept mail"
                + " (nullMX)\r\n", rcpt(session("c.example.net", "192.0.2.99", cf), "good.tst", "s@nomail.tst"));
        assertEquals("250 2.1.5 Ok\r\n", rcpt(session("c.example.net", "192.0.2.99", cf), "good.tst", ""),
                "the null sender has no domain to check");
    }

    @Test
    void heloNameChecks() throws Exception {
        String[] cf = {"smtpd_helo_restrictions",
            "reject_invalid_helo_hostname, reject_non_fqdn_helo_hostname, reject_unknown_helo_hostname"};
        assertEquals("501 5.5.2 <bad_name!>: Helo command rejected: Invalid name\r\n",
                rcpt(session("c.example.net", "192.0.2.99", cf), "bad_name!", "s@good.tst"));
        assertEquals("504 5.5.2 <localhost>: Helo command rejected: need fully-qualified hostname\r\n",
                rcpt(session("c.example.net", "192.0.2.99", cf), "localhost", "s@good.tst"));
        assertEquals("450 4.7.1 <host.nowhere.tst>: Helo command rejected: Host not found\r\n",
                rcpt(session("c.example.net", "192.0.2.99", cf), "host.nowhere.tst", "s@good.tst"));
        assertEquals("250 2.1.5 Ok\r\n", rcpt(session("c.example.net", "192.0.2.99", cf), "good.tst", "s@good.tst"));
        assertEquals("250 2.1.5 Ok\r\n", rcpt(session("c.example.net", "192.0.2.99", cf), "[192.0.2.99]", "s@good.tst"));
        assertEquals("504 5.5.2 <192.0.2.99>: Helo command rejected: need fully-qualified hostname\r\n",
                rcpt(session("c.example.net", "192.0.2.99", cf), "192.0.2.99", "s@good.tst"),
                "a bare address is a valid name to reject_invalid_helo_hostname, not a FQDN");
    }

    /** A session whose client names come from DnsClientNames over the test DNS server. */
    private Harness looked(String addr, String... cf) throws Exception {
        Harness h = Harness.withTables(List.of(), dns, cf);
        h.connect(new DnsClientNames(dns).lookup(InetAddress.getByName(addr)), addr);
        h.replies();
        return h;
    }

    @Test
    void forwardConfirmedPtrIsTheClientName() throws Exception {
        PeerNames n = new DnsClientNames(dns).lookup(InetAddress.getByName("192.0.2.20"));
        assertEquals(new PeerNames("mail.good.tst", PeerNames.Status.OK, "mail.good.tst", PeerNames.Status.OK), n);
        assertEquals("250 2.1.5 Ok\r\n", rcpt(looked("192.0.2.20", "smtpd_client_restrictions",
                "reject_unknown_client_hostname, reject_unknown_reverse_client_hostname"), "good.tst", "s@good.tst"));
    }

    @Test
    void ptrThatDoesNotConfirmLeavesNameUnknownButReverseNameSet() throws Exception {
        PeerNames n = new DnsClientNames(dns).lookup(InetAddress.getByName("192.0.2.10"));
        assertEquals(new PeerNames("unknown", PeerNames.Status.PERM, "nowhere.tst", PeerNames.Status.OK), n);
        assertEquals("450 4.7.25 Client host rejected: cannot find your hostname, [192.0.2.10]\r\n",
                rcpt(looked("192.0.2.10", "smtpd_client_restrictions", "reject_unknown_client_hostname"),
                        "good.tst", "s@good.tst"));
        assertEquals("550 4.7.25 Client host rejected: cannot find your hostname, [192.0.2.10]\r\n".replace("4.7.25", "5.7.25"),
                rcpt(looked("192.0.2.10", "smtpd_client_restrictions", "reject_unknown_client_hostname",
                        "unknown_client_reject_code", "550"), "good.tst", "s@good.tst"));
        assertEquals("250 2.1.5 Ok\r\n",
                rcpt(looked("192.0.2.10", "smtpd_client_restrictions", "reject_unknown_reverse_client_hostname"),
                        "good.tst", "s@good.tst"), "a PTR exists, even if it does not confirm");
    }

    @Test
    void noPtrLeavesBothNamesUnknown() throws Exception {
        PeerNames n = new DnsClientNames(dns).lookup(InetAddress.getByName("192.0.2.77"));
        assertEquals(PeerNames.UNKNOWN, n);
        assertEquals("450 4.7.1 Client host rejected: cannot find your reverse hostname, [192.0.2.77]\r\n",
                rcpt(looked("192.0.2.77", "smtpd_client_restrictions", "reject_unknown_reverse_client_hostname"),
                        "good.tst", "s@good.tst"));
    }

    @Test
    void dnsFailureIsTemporaryAnd450EvenWithA550RejectCode() throws Exception {
        PeerNames ptrFail = new DnsClientNames(dns).lookup(InetAddress.getByName("192.0.2.30"));
        assertEquals(new PeerNames("unknown", PeerNames.Status.TEMP, "unknown", PeerNames.Status.TEMP), ptrFail);
        PeerNames fwdFail = new DnsClientNames(dns).lookup(InetAddress.getByName("192.0.2.31"));
        assertEquals(new PeerNames("unknown", PeerNames.Status.TEMP, "host.broken.tst", PeerNames.Status.OK), fwdFail);
        assertEquals("450 4.7.25 Client host rejected: cannot find your hostname, [192.0.2.30]\r\n",
                rcpt(looked("192.0.2.30", "smtpd_client_restrictions", "reject_unknown_client_hostname",
                        "unknown_client_reject_code", "550"), "good.tst", "s@good.tst"));
        assertEquals("450 4.7.1 Client host rejected: cannot find your reverse hostname, [192.0.2.30]\r\n",
                rcpt(looked("192.0.2.30", "smtpd_client_restrictions", "reject_unknown_reverse_client_hostname",
                        "unknown_client_reject_code", "550"), "good.tst", "s@good.tst"));
        assertEquals("450 4.7.25 Client host rejected: cannot find your hostname, [192.0.2.31]\r\n",
                rcpt(looked("192.0.2.31", "smtpd_client_restrictions", "reject_unknown_client_hostname",
                        "unknown_client_reject_code", "550"), "good.tst", "s@good.tst"));
    }

    @Test
    void primaryLoopbackIsLocalhostWithoutAQuery() throws Exception {
        int before = dnsServer.queries();
        assertEquals("localhost", new DnsClientNames(dns).nameOf(InetAddress.getByName("127.0.0.1")));
        assertEquals(before, dnsServer.queries());
    }

    @Test
    void nonFqdnSenderAndRecipient() throws Exception {
        Harness h = session("c.example.net", "192.0.2.99", "smtpd_sender_restrictions", "reject_non_fqdn_sender");
        assertEquals("504 5.5.2 <s@localhost>: Sender address rejected: need fully-qualified address\r\n",
                rcpt(h, "good.tst", "s@localhost"));
        Harness r = session("c.example.net", "192.0.2.99", "smtpd_relay_restrictions",
                "reject_non_fqdn_recipient, reject_unauth_destination");
        r.send("MAIL FROM:<s@good.tst>");
        assertEquals("504 5.5.2 <bob@mail>: Recipient address rejected: need fully-qualified address\r\n",
                r.send("RCPT TO:<bob@mail>"));
    }
}
