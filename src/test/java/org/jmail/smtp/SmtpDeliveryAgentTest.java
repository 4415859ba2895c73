package org.jmail.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jmail.config.MainConfig;
import org.jmail.dns.TestDnsServer;
import org.jmail.tls.SelfSignedCertificate;
import org.jmail.tls.ServerTlsContext;
import org.jmail.tls.TlsSettings;
import org.jmail.queue.QueuedRecipient;
import org.jmail.qmgr.DeliveryRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmtpDeliveryAgentTest {

    @TempDir
    Path dir;
    private ScriptedSmtpServer peer;
    private TestDnsServer dns;
    private final Map<String, String> cf = new HashMap<>();
    private SmtpDeliveryAgent agent;

    private static final String MESSAGE = "From: a@sender.tst\nTo: b@peer.tst\nSubject: hi\n\nHello\n.dot line\n";

    @BeforeEach
    void start() throws Exception {
        peer = new ScriptedSmtpServer();
        dns = new TestDnsServer();
        cf.put("myhostname", "client.tst");
        cf.put("jmail_dns_servers", dns.address());
        cf.put("jmail_dns_timeout", "1s");
        cf.put("smtp_tcp_port", Integer.toString(peer.port()));
        cf.put("inet_protocols", "ipv4");
    }

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
        peer.close();
        dns.close();
    }

    private SmtpDeliveryAgent agent() {
        if (agent == null) {
            agent = new SmtpDeliveryAgent(MainConfig.of(dir, cf), "smtp");
        }
        return agent;
    }

    private FakeRequest deliver(String nexthop, String... rcpts) {
        FakeRequest r = new FakeRequest("a@sender.tst", nexthop, MESSAGE, rcpts);
        agent().deliver(r);
        return r;
    }

    private String direct() {
        return "[127.0.0.1]:" + peer.port();
    }

    @Test
    void deliversAndReportsThePeersReplyAsPostfix() {
        FakeRequest r = deliver(direct(), "b@peer.tst");
        assertEquals(List.of("sent b@peer.tst 127.0.0.1[127.0.0.1]:" + peer.port()
                + " 2.0.0 250 2.0.0 Ok: queued as TEST1"), r.reports);
        ScriptedSmtpServer.Received m = peer.messages.get(0);
        assertEquals("<a@sender.tst> SIZE=" + MESSAGE.length(), m.mailFrom());
        assertEquals(List.of("b@peer.tst"), m.rcptTo());
        assertEquals(MESSAGE, m.text());
        assertTrue(new String(m.rawData()).contains("\r\n..dot line\r\n"), "dot-stuffed, CRLF");
        assertTrue(peer.commands.contains("EHLO client.tst"));
    }

    @Test
    void dsnRequestsGoToAServerThatOffersDsnAndNotToOneThatDoesNot() throws Exception {
        DeliveryRequest.Recipient notify = new DeliveryRequest.Recipient("b@peer.tst", "Orig=B@peer.tst", 0,
                QueuedRecipient.NOTIFY_SUCCESS | QueuedRecipient.NOTIFY_FAILURE, null);
        DeliveryRequest.Recipient orcpt = new DeliveryRequest.Recipient("c@peer.tst", "c@peer.tst", 1, 0,
                "rfc822;first+c@example.org");
        FakeRequest plain = new FakeRequest("a@sender.tst", direct(), MESSAGE).withDsn("HDRS", "id 1+2", notify, orcpt);
        agent().deliver(plain);
        assertTrue(peer.commands.contains("MAIL FROM:<a@sender.tst> SIZE=" + MESSAGE.length()), peer.commands.toString());
        assertTrue(peer.commands.contains("RCPT TO:<b@peer.tst>"), peer.commands.toString());
        assertTrue(plain.reports.get(0).startsWith("sent b@peer.tst "), plain.reports.toString());

        try (ScriptedSmtpServer dsnPeer = new ScriptedSmtpServer()) {
            dsnPeer.ehloKeywords = List.of("PIPELINING", "SIZE 10240000", "8BITMIME", "DSN");
            FakeRequest dsn = new FakeRequest("a@sender.tst", "[127.0.0.1]:" + dsnPeer.port(), MESSAGE)
                    .withDsn("HDRS", "id 1+2", notify, orcpt);
            agent().deliver(dsn);
            List<String> c = dsnPeer.commands;
            assertTrue(c.contains("MAIL FROM:<a@sender.tst> SIZE=" + MESSAGE.length() + " RET=HDRS ENVID=id+201+2B2"),
                    c.toString());
            assertTrue(c.contains("RCPT TO:<b@peer.tst> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;Orig+3DB@peer.tst"),
                    c.toString());
            assertTrue(c.contains("RCPT TO:<c@peer.tst> ORCPT=rfc822;first+2Bc@example.org"), c.toString());
            assertTrue(dsn.reports.get(0).startsWith("sent(dsn passed on) b@peer.tst "), dsn.reports.toString());
        }
    }

    @Test
    void mxLookupFindsTheServerAndTheNextMxAfterARefusedConnection() throws Exception {
        dns.add("peer.tst. 300 IN MX 10 down.peer.tst.")
                .add("peer.tst. 300 IN MX 20 up.peer.tst.")
                .add("down.peer.tst. 300 IN A 127.0.0.9")
                .add("up.peer.tst. 300 IN A 127.0.0.1");
        FakeRequest r = deliver("peer.tst", "b@peer.tst");
        assertEquals(List.of("sent b@peer.tst up.peer.tst[127.0.0.1]:" + peer.port()
                + " 2.0.0 250 2.0.0 Ok: queued as TEST1"), r.reports);
    }

    @Test
    void nullMxBouncesAtOnce() throws Exception {
        dns.add("nomail.tst. 300 IN MX 0 .");
        FakeRequest r = deliver("nomail.tst", "b@nomail.tst");
        assertEquals(List.of("bounced b@nomail.tst none 5.1.0 Domain nomail.tst does not accept mail (nullMX)"),
                r.reports);
    }

    @Test
    void missingDomainBouncesAndDnsTroubleDefers() {
        dns.servfail("broken.tst");
        FakeRequest r = deliver("missing.tst", "b@missing.tst");
        assertEquals(List.of("bounced b@missing.tst none 5.4.4 Host or domain name not found. Name service error "
                + "for name=missing.tst type=A: Host not found"), r.reports);
        FakeRequest t = deliver("broken.tst", "b@broken.tst");
        assertEquals(List.of("deferred b@broken.tst none 4.4.3 Host or domain name not found. Name service error "
                + "for name=broken.tst type=MX: Host not found, try again"), t.reports);
    }

    @Test
    void refusedConnectionDefersWithTheSystemsWords() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // nothing listens there once closed (no accept thread to defer the close)
        }
        FakeRequest r = deliver("[127.0.0.1]:" + port, "b@peer.tst");
        assertEquals(List.of("deferred b@peer.tst none 4.4.1 connect to 127.0.0.1[127.0.0.1]:" + port
                + ": Connection refused"), r.reports);
    }

    @Test
    void recipientRepliesDecideEachRecipient() {
        peer.rcptReply = a -> a.startsWith("bad") ? "550 5.1.1 <" + a + ">: Recipient address rejected: User unknown"
                : a.startsWith("later") ? "450 4.2.0 <" + a + ">: try later" : "250 2.1.5 Ok";
        FakeRequest r = deliver(direct(), "good@peer.tst", "bad@peer.tst", "later@peer.tst");
        String relay = "127.0.0.1[127.0.0.1]";
        assertTrue(r.reports.contains("bounced bad@peer.tst " + relay + ":" + peer.port() + " 5.1.1 host " + relay
                + " said: 550 5.1.1 <bad@peer.tst>: Recipient address rejected: User unknown (in reply to RCPT TO command)"),
                r.reports.toString());
        assertTrue(r.reports.contains("deferred later@peer.tst " + relay + ":" + peer.port() + " 4.2.0 host " + relay
                + " said: 450 4.2.0 <later@peer.tst>: try later (in reply to RCPT TO command)"), r.reports.toString());
        assertTrue(r.reports.get(2).startsWith("sent good@peer.tst"), r.reports.toString());
        assertEquals(List.of("good@peer.tst"), peer.messages.get(0).rcptTo());
    }

    @Test
    void mailFromRejectionBouncesEveryone() {
        peer.mailReply = "553 5.7.1 <a@sender.tst>: Sender address rejected: not welcome";
        FakeRequest r = deliver(direct(), "x@peer.tst", "y@peer.tst");
        assertEquals(2, r.reports.size());
        for (String s : r.reports) {
            assertTrue(s.startsWith("bounced") && s.endsWith("said: 553 5.7.1 <a@sender.tst>: Sender address "
                    + "rejected: not welcome (in reply to MAIL FROM command)"), s);
        }
        assertTrue(peer.messages.isEmpty());
    }

    @Test
    void endOfDataTemporaryFailureDefers() {
        peer.doneReply = n -> "451 4.3.0 Error: queue file write error";
        FakeRequest r = deliver(direct(), "x@peer.tst");
        assertTrue(r.reports.get(0).startsWith("deferred x@peer.tst")
                && r.reports.get(0).endsWith("451 4.3.0 Error: queue file write error (in reply to end of DATA command)"),
                r.reports.toString());
    }

    @Test
    void refusedGreetingTriesTheNextServerAndDefersAtTheLast() {
        peer.greeting = "554 5.7.1 go away";
        FakeRequest r = deliver(direct(), "x@peer.tst");
        // smtp_skip_5xx_greeting = yes: a 5xx greeting defers
        assertEquals(List.of("deferred x@peer.tst 127.0.0.1[127.0.0.1]:" + peer.port()
                + " 4.7.1 host 127.0.0.1[127.0.0.1] refused to talk to me: 554 5.7.1 go away"), r.reports);
    }

    @Test
    void tooBigForThePeersSizeBouncesBeforeMailFrom() {
        peer.ehloKeywords = List.of("PIPELINING", "SIZE 10");
        FakeRequest r = deliver(direct(), "x@peer.tst");
        assertEquals(List.of("bounced x@peer.tst 127.0.0.1[127.0.0.1]:" + peer.port() + " 5.3.4 message size "
                + MESSAGE.length() + " exceeds size limit 10 of server 127.0.0.1[127.0.0.1]"), r.reports);
        assertFalse(peer.commands.stream().anyMatch(c -> c.startsWith("MAIL")));
    }

    @Test
    void utf8AddressToPeerWithoutSmtputf8Bounces() {
        peer.ehloKeywords = List.of("PIPELINING", "8BITMIME");
        FakeRequest r = deliver(direct(), "jörg@peer.tst");
        assertEquals(List.of("bounced jörg@peer.tst 127.0.0.1[127.0.0.1]:" + peer.port()
                + " 5.6.7 SMTPUTF8 is required, but was not offered by host 127.0.0.1[127.0.0.1]"), r.reports);
    }

    @Test
    void eightBitBodyIsDowngradedForAPeerWithout8bitmime() {
        peer.ehloKeywords = List.of("PIPELINING");
        FakeRequest r = new FakeRequest("a@sender.tst", direct(),
                "Subject: x\nContent-Type: text/plain; charset=utf-8\n\nGrüße\n", "x@peer.tst");
        agent().deliver(r);
        String got = peer.messages.get(0).text();
        assertTrue(got.contains("Content-Transfer-Encoding: quoted-printable\n"), got);
        assertTrue(got.contains("Gr=C3=BC=C3=9Fe\n"), got);
        assertFalse(peer.messages.get(0).mailFrom().contains("BODY="));
    }

    @Test
    void eightBitBodyIsDeclaredToAn8bitmimePeer() {
        FakeRequest r = new FakeRequest("a@sender.tst", direct(), "Subject: x\n\nGrüße\n", "x@peer.tst");
        agent().deliver(r);
        assertTrue(peer.messages.get(0).mailFrom().contains(" BODY=8BITMIME"));
        assertTrue(peer.messages.get(0).text().contains("Grüße"));
    }

    @Test
    void secondMessageReusesTheConnection() {
        deliver(direct(), "x@peer.tst");
        deliver(direct(), "y@peer.tst");
        assertEquals(2, peer.messages.size());
        assertEquals(1, peer.connections.get());
        assertEquals(1, agent().idleConnections());
    }

    @Test
    void idleConnectionIsClosedAfterTheCacheTimeLimit() throws Exception {
        cf.put("smtp_connection_cache_time_limit", "1s");
        deliver(direct(), "x@peer.tst");
        assertEquals(1, agent().idleConnections());
        Thread.sleep(1800);
        assertEquals(0, agent().idleConnections());
        assertTrue(peer.commands.contains("QUIT"));
    }

    private ServerTlsContext serverTls() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        SelfSignedCertificate.write("peer.tst", cert, key);
        return new ServerTlsContext(new TlsSettings(cert, key, "TLSv1.2", ServerTlsContext.MODERN_CIPHERS, true));
    }

    @Test
    void opportunisticTlsIsUsedWhenOffered() throws Exception {
        peer.tls = serverTls();
        cf.put("smtp_tls_security_level", "may");
        deliver(direct(), "x@peer.tst");
        assertTrue(peer.messages.get(0).tls());
        assertTrue(peer.commands.contains("STARTTLS"));
    }

    @Test
    void encryptDefersWhenThePeerHasNoStarttls() {
        cf.put("smtp_tls_security_level", "encrypt");
        FakeRequest r = deliver(direct(), "x@peer.tst");
        assertEquals(List.of("deferred x@peer.tst 127.0.0.1[127.0.0.1]:" + peer.port()
                + " 4.7.4 TLS is required, but was not offered by host 127.0.0.1[127.0.0.1]"), r.reports);
    }

    @Test
    void saslAuthenticatesOverTlsWhenPlaintextMechanismsAreAllowed() throws Exception {
        peer.tls = serverTls();
        peer.authUser = "relayuser";
        peer.authPassword = "s3cret";
        Files.writeString(dir.resolve("sasl_passwd"), "[127.0.0.1]:" + peer.port() + " relayuser:s3cret\n");
        cf.put("smtp_tls_security_level", "encrypt");
        cf.put("smtp_sasl_auth_enable", "yes");
        cf.put("smtp_sasl_security_options", "noanonymous");
        cf.put("smtp_sasl_password_maps", "texthash:" + dir.resolve("sasl_passwd"));
        FakeRequest r = deliver(direct(), "x@peer.tst");
        assertTrue(r.reports.get(0).startsWith("sent"), r.reports.toString());
        assertEquals("relayuser", peer.messages.get(0).authUser());
    }

    @Test
    void saslWithPostfixDefaultsRefusesPlaintextMechanisms() throws Exception {
        peer.authUser = "relayuser";
        peer.authPassword = "s3cret";
        Files.writeString(dir.resolve("sasl_passwd"), "127.0.0.1 relayuser:s3cret\n");
        cf.put("smtp_sasl_auth_enable", "yes");
        cf.put("smtp_sasl_password_maps", "texthash:" + dir.resolve("sasl_passwd"));
        FakeRequest r = deliver(direct(), "x@peer.tst");
        assertEquals(List.of("deferred x@peer.tst 127.0.0.1[127.0.0.1]:" + peer.port() + " 4.7.0 SASL authentication "
                + "failed: server 127.0.0.1[127.0.0.1] offered no compatible authentication mechanisms for this type "
                + "of connection security"), r.reports);
    }

    @Test
    void wrongSaslPasswordDefersWithTheServersReply() throws Exception {
        peer.authUser = "relayuser";
        peer.authPassword = "other";
        Files.writeString(dir.resolve("sasl_passwd"), "[127.0.0.1]:" + peer.port() + " relayuser:s3cret\n");
        cf.put("smtp_sasl_auth_enable", "yes");
        cf.put("smtp_sasl_security_options", "noanonymous");
        cf.put("smtp_sasl_password_maps", "texthash:" + dir.resolve("sasl_passwd"));
        FakeRequest r = deliver(direct(), "x@peer.tst");
        assertEquals(List.of("deferred x@peer.tst 127.0.0.1[127.0.0.1]:" + peer.port() + " 4.7.8 SASL authentication "
                + "failed; server 127.0.0.1[127.0.0.1] said: 535 5.7.8 Error: authentication failed: authentication "
                + "failure"), r.reports);
    }

    @Test
    void heloIsUsedWhenEhloIsRefused() {
        peer.ehloRefused = true;
        FakeRequest r = deliver(direct(), "x@peer.tst");
        assertTrue(r.reports.get(0).startsWith("sent"), r.reports.toString());
        assertTrue(peer.commands.contains("HELO client.tst"));
        assertEquals("<a@sender.tst>", peer.messages.get(0).mailFrom());
    }

    @Test
    void nextMxIsTriedAfterATemporaryRcptFailure() throws Exception {
        try (ScriptedSmtpServer second = new ScriptedSmtpServer(InetAddress.getByName("127.0.0.2"), peer.port())) {
            peer.rcptReply = a -> "451 4.3.0 busy";
            dns.add("two.tst. 300 IN MX 10 first.two.tst.")
                    .add("two.tst. 300 IN MX 20 second.two.tst.")
                    .add("first.two.tst. 300 IN A 127.0.0.1")
                    .add("second.two.tst. 300 IN A 127.0.0.2");
            FakeRequest r = deliver("two.tst", "x@two.tst");
            assertEquals(List.of("sent x@two.tst second.two.tst[127.0.0.2]:" + peer.port()
                    + " 2.0.0 250 2.0.0 Ok: queued as TEST1"), r.reports);
        }
    }

    @Test
    void serverAnsweringWithOurOwnNameIsAMailLoop() {
        cf.put("myhostname", "peer.tst"); // the scripted peer's EHLO name
        FakeRequest r = deliver(direct(), "x@peer.tst");
        assertEquals(List.of("bounced x@peer.tst 127.0.0.1[127.0.0.1]:" + peer.port() + " 5.4.6 mail for "
                + direct() + " loops back to myself"), r.reports);
        assertTrue(peer.messages.isEmpty());
    }

    @Test
    void failedHandshakeAtLevelMayIsRetriedWithoutTls() {
        peer.breakTls = true;
        cf.put("smtp_tls_security_level", "may");
        FakeRequest r = deliver(direct(), "x@peer.tst");
        assertTrue(r.reports.get(0).startsWith("sent"), r.reports.toString());
        assertFalse(peer.messages.get(0).tls());
        assertEquals(2, peer.connections.get());
    }

    @Test
    void failedHandshakeAtLevelEncryptDefers() {
        peer.breakTls = true;
        cf.put("smtp_tls_security_level", "encrypt");
        FakeRequest r = deliver(direct(), "x@peer.tst");
        assertEquals(List.of("deferred x@peer.tst 127.0.0.1[127.0.0.1]:" + peer.port()
                + " 4.7.5 Cannot start TLS: handshake failure"), r.reports);
    }

    @Test
    void invalidTlsLevelDefersInsteadOfDelivering() {
        cf.put("smtp_tls_security_level", "sometimes");
        FakeRequest r = deliver(direct(), "x@peer.tst");
        assertEquals(List.of("deferred x@peer.tst none 4.3.5 mail system configuration error"), r.reports);
        assertEquals(0, peer.connections.get());
    }
}
