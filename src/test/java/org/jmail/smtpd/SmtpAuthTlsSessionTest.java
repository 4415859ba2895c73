package org.jmail.smtpd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jmail.auth.AuthService;
import org.jmail.config.MainConfig;
import org.jmail.resolve.AddressResolver;
import org.jmail.resolve.LocalRecipientCheck;
import org.jmail.resolve.TableOpener;
import org.jmail.tls.ServerTls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * STARTTLS and AUTH as protocol states, lines in and replies out: what EHLO offers before and
 * after TLS, the encrypt level's 530, the AUTH exchanges and refusals with Postfix's texts, the
 * fail2ban-shaped failure line, and the sender login checks. The TLS handshake itself is the
 * shell's job (see {@link SmtpdTlsSocketTest}); here {@code tlsStarted} stands in for it.
 */
class SmtpAuthTlsSessionTest {

    private static final String TLS = "TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)";

    @TempDir
    Path dir;

    private final FakeCleanup cleanup = new FakeCleanup();
    private final List<Duration> pauses = new ArrayList<>();
    private LogCapture log;
    private SmtpSession session;

    @BeforeEach
    void captureLog() {
        log = LogCapture.install();
    }

    @AfterEach
    void restoreLog() {
        log.uninstall();
    }

    /** A session with a passwd-file passdb (alex/secret, sam/other) and a certificate "available". */
    private SmtpSession connect(String addr, String... kv) throws IOException {
        Path users = dir.resolve("users");
        Files.writeString(users, "alex:{PLAIN}secret:1000:1000::/home/alex::\nsam:{PLAIN}other:1001:1001::/home/sam::\n");
        Map<String, String> m = new HashMap<>();
        m.put("myhostname", "mail.example.tst");
        m.put("mydomain", "example.tst");
        m.put("mydestination", "$myhostname, localhost, example.tst");
        m.put("local_recipient_maps", "hash:/etc/aliases");
        m.put("passdb_driver", "passwd-file");
        m.put("passdb_args", users.toString());
        m.put("userdb_driver", "passwd-file");
        m.put("auth_mechanisms", "plain login");
        m.put("smtpd_sasl_auth_enable", "yes");
        m.put("smtpd_tls_security_level", "may");
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        MainConfig config = MainConfig.of(dir, m);
        MapTable aliases = new MapTable("hash:/etc/aliases", Map.of("alice", "x", "bob", "x"));
        MapTable logins = new MapTable("hash:/etc/jmail/sender_logins",
                Map.of("alex@example.tst", "alex", "sam@example.tst", "sam, alex", "@team.example", "sam"));
        TableOpener opener = MapTable.opener(aliases, logins);
        ServerTls tls = plain -> {
            throw new IOException("not used by session tests");
        };
        Smtpd smtpd = new Smtpd(config, cleanup, new AddressResolver(config, opener),
                new LocalRecipientCheck(config, opener), opener, a -> "unknown", pauses::add,
                Clock.fixed(Harness.NOW, ZoneId.of("UTC")), AuthService.fromConfig(config), tls);
        session = smtpd.newSession(ClientInfo.of("unknown", InetAddress.getByName(addr), 40000));
        session.greet();
        session.replies().take();
        return session;
    }

    private String send(String line) {
        session.command(line, false, false, null);
        return session.replies().take();
    }

    /** STARTTLS accepted, handshake "done" as the shell would report it. */
    private void startTls() {
        assertEquals("220 2.0.0 Ready to start TLS\r\n", send("STARTTLS"));
        assertTrue(session.takeStartTls());
        session.tlsStarted(TLS);
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void ehloOffersStartTlsAndNoAuthToAnOutsideClientBeforeTls() throws Exception {
        connect("192.0.2.1");
        String ehlo = send("EHLO client.example.net");
        assertTrue(ehlo.contains("250-STARTTLS\r\n"), ehlo);
        assertFalse(ehlo.contains("AUTH"), ehlo);
        startTls();
        ehlo = send("EHLO client.example.net");
        assertFalse(ehlo.contains("STARTTLS"), ehlo);
        assertTrue(ehlo.contains("250-AUTH PLAIN LOGIN\r\n"), ehlo);
        assertTrue(log.has("Anonymous TLS connection established from unknown[192.0.2.1]: " + TLS), log.toString());
    }

    @Test
    void plaintextAuthFromOutsideIsRefusedWith538EvenWithoutTlsAuthOnly() throws Exception {
        connect("192.0.2.1");
        send("EHLO client.example.net");
        assertEquals("538 5.7.11 Encryption required for requested authentication mechanism\r\n",
                send("AUTH PLAIN " + b64("\0alex\0secret")));
        assertNull(session.saslUser());
    }

    @Test
    void loopbackMayAuthenticateWithoutTlsUnlessTlsAuthOnly() throws Exception {
        connect("127.0.0.1");
        assertTrue(send("EHLO localhost").contains("250-AUTH PLAIN LOGIN\r\n"));
        assertEquals("235 2.7.0 Authentication successful\r\n", send("AUTH PLAIN " + b64("\0alex\0secret")));

        connect("127.0.0.1", "smtpd_tls_auth_only", "yes");
        assertFalse(send("EHLO localhost").contains("AUTH"));
        assertEquals("504 5.5.4 Encryption required for requested authentication mechanism\r\n",
                send("AUTH PLAIN " + b64("\0alex\0secret")));
    }

    @Test
    void authPlainOverTlsAuthenticatesAndRelaysAsEsmtpsa() throws Exception {
        connect("192.0.2.1", "smtpd_tls_received_header", "yes");
        startTls();
        send("EHLO client.example.net");
        assertEquals("235 2.7.0 Authentication successful\r\n", send("AUTH PLAIN " + b64("\0alex\0secret")));
        assertEquals("alex", session.saslUser());
        assertEquals("250 2.1.0 Ok\r\n", send("MAIL FROM:<alex@example.tst>"));
        // permit_sasl_authenticated in the default smtpd_relay_restrictions lets it relay
        assertEquals("250 2.1.5 Ok\r\n", send("RCPT TO:<friend@elsewhere.example>"));
        assertEquals("354 End data with <CR><LF>.<CR><LF>\r\n", send("DATA"));
        FakeCleanup.Message m = cleanup.messages.get(0);
        assertEquals("ESMTPSA", m.origin.protocol());
        assertEquals("alex", m.origin.saslUser());
        assertEquals("(using " + TLS + ")", m.origin.tlsSummary());
        String received = m.headers.get(0);
        assertTrue(received.startsWith("Received: from client.example.net (unknown [192.0.2.1])\n\t(using " + TLS
                + ")\n\t(No client certificate requested)\n\tby mail.example.tst (jmail) with ESMTPSA id "), received);
    }

    @Test
    void authLoginRunsItsTwoChallenges() throws Exception {
        connect("192.0.2.1");
        startTls();
        send("EHLO client.example.net");
        assertEquals("334 VXNlcm5hbWU6\r\n", send("AUTH LOGIN"));
        assertEquals("334 UGFzc3dvcmQ6\r\n", send(b64("alex")));
        assertEquals("235 2.7.0 Authentication successful\r\n", send(b64("secret")));
        assertEquals("503 5.5.1 Error: already authenticated\r\n", send("AUTH PLAIN " + b64("\0alex\0secret")));
        send("QUIT");
        session.close();
        assertTrue(log.hasContaining(" auth=1/2 "), log.toString());
    }

    @Test
    void badPasswordGets535AfterTheFailureDelayAndPostfixsWarning() throws Exception {
        connect("192.0.2.1");
        startTls();
        send("EHLO client.example.net");
        assertEquals("334 VXNlcm5hbWU6\r\n", send("AUTH LOGIN"));
        send(b64("alex"));
        assertEquals("535 5.7.8 Error: authentication failed: authentication failure\r\n", send(b64("wrong")));
        assertNull(session.saslUser());
        assertTrue(pauses.contains(Duration.ofSeconds(2)), pauses.toString());
        assertTrue(log.has("warning: unknown[192.0.2.1]: SASL LOGIN authentication failed: authentication failure"),
                log.toString());
    }

    @Test
    void authRefusalsUsePostfixsReplies() throws Exception {
        connect("192.0.2.1", "smtpd_sasl_auth_enable", "no");
        assertEquals("503 5.5.1 Error: authentication not enabled\r\n", send("AUTH PLAIN"));
        connect("192.0.2.1");
        startTls();
        send("EHLO client.example.net");
        assertEquals("501 5.5.4 Syntax: AUTH mechanism\r\n", send("AUTH"));
        assertEquals("504 5.5.4 Unsupported authentication mechanism\r\n", send("AUTH CRAM-MD5"));
        assertEquals("501 5.5.2 Invalid base64 data in initial response\r\n", send("AUTH PLAIN !!!"));
        assertEquals("334 \r\n", send("AUTH PLAIN"));
        assertEquals("501 5.7.0 Authentication aborted\r\n", send("*"));
        assertTrue(log.has("warning: unknown[192.0.2.1]: SASL PLAIN authentication aborted"), log.toString());
        send("MAIL FROM:<x@example.tst>");
        assertEquals("503 5.5.1 Error: MAIL transaction in progress\r\n", send("AUTH PLAIN"));
    }

    @Test
    void encryptLevelRefusesMailAndAuthBeforeStartTls() throws Exception {
        connect("127.0.0.1", "smtpd_tls_security_level", "encrypt");
        assertTrue(send("EHLO localhost").contains("250-STARTTLS"));
        assertEquals("530 5.7.0 Must issue a STARTTLS command first\r\n", send("MAIL FROM:<a@example.tst>"));
        assertEquals("530 5.7.0 Must issue a STARTTLS command first\r\n", send("AUTH PLAIN " + b64("\0alex\0secret")));
        assertEquals("250 2.0.0 Ok\r\n", send("NOOP"));
        startTls();
        send("EHLO localhost");
        assertEquals("250 2.1.0 Ok\r\n", send("MAIL FROM:<a@example.tst>"));
    }

    @Test
    void startTlsForgetsHeloTransactionAndLogin() throws Exception {
        connect("127.0.0.1");
        send("EHLO localhost");
        send("AUTH PLAIN " + b64("\0alex\0secret"));
        send("MAIL FROM:<alex@example.tst>");
        startTls();
        assertNull(session.helo());
        assertNull(session.sender());
        assertNull(session.saslUser());
        assertEquals("SMTP", session.protocol());
    }

    @Test
    void startTlsRefusals() throws Exception {
        connect("192.0.2.1", "smtpd_tls_security_level", "none");
        assertFalse(send("EHLO x.example").contains("STARTTLS"));
        assertEquals("502 5.5.1 Error: command not implemented\r\n", send("STARTTLS"));
        connect("192.0.2.1");
        assertEquals("501 5.5.4 Syntax: STARTTLS\r\n", send("STARTTLS now"));
        startTls();
        assertEquals("554 5.5.1 Error: TLS already active\r\n", send("STARTTLS"));
    }

    @Test
    void authenticatedUserCannotSendAsSomeoneElse() throws Exception {
        connect("192.0.2.1", "smtpd_sender_login_maps", "hash:/etc/jmail/sender_logins",
                "smtpd_sender_restrictions", "reject_sender_login_mismatch");
        startTls();
        send("EHLO client.example.net");
        send("AUTH PLAIN " + b64("\0alex\0secret"));
        send("MAIL FROM:<alice@example.tst>");
        assertEquals("553 5.7.1 <alice@example.tst>: Sender address rejected: not owned by user alex\r\n",
                send("RCPT TO:<bob@example.tst>"));
        assertTrue(log.hasContaining("NOQUEUE: reject: RCPT from unknown[192.0.2.1]: 553 5.7.1 <alice@example.tst>:"
                + " Sender address rejected: not owned by user alex; from=<alice@example.tst>"), log.toString());
        send("RSET");
        send("MAIL FROM:<alex@example.tst>");
        assertEquals("250 2.1.5 Ok\r\n", send("RCPT TO:<bob@example.tst>"));
        send("RSET");
        send("MAIL FROM:<sam@example.tst>"); // listed with two owners, alex one of them
        assertEquals("250 2.1.5 Ok\r\n", send("RCPT TO:<bob@example.tst>"));
    }

    @Test
    void unauthenticatedClientCannotUseAnOwnedSender() throws Exception {
        connect("127.0.0.1", "smtpd_sender_login_maps", "hash:/etc/jmail/sender_logins",
                "smtpd_sender_restrictions", "reject_sender_login_mismatch");
        send("EHLO localhost");
        send("MAIL FROM:<x@team.example>");
        assertEquals("553 5.7.1 <x@team.example>: Sender address rejected: not logged in\r\n",
                send("RCPT TO:<bob@example.tst>"));
        send("RSET");
        send("MAIL FROM:<nobody@unlisted.example>");
        assertEquals("250 2.1.5 Ok\r\n", send("RCPT TO:<bob@example.tst>"));
    }

    @Test
    void authenticatedOnlyVariantIgnoresUnauthenticatedClients() throws Exception {
        connect("127.0.0.1", "smtpd_sender_login_maps", "hash:/etc/jmail/sender_logins",
                "smtpd_sender_restrictions", "reject_authenticated_sender_login_mismatch");
        send("EHLO localhost");
        send("MAIL FROM:<x@team.example>");
        assertEquals("250 2.1.5 Ok\r\n", send("RCPT TO:<bob@example.tst>"));
        send("RSET");
        send("AUTH PLAIN " + b64("\0sam\0other"));
        send("MAIL FROM:<x@team.example>");
        assertEquals("250 2.1.5 Ok\r\n", send("RCPT TO:<bob@example.tst>"));
        send("RSET");
        send("MAIL FROM:<alex@example.tst>");
        assertEquals("553 5.7.1 <alex@example.tst>: Sender address rejected: not owned by user sam\r\n",
                send("RCPT TO:<bob@example.tst>"));
    }

    @Test
    void brokenClientsLineAndAuthenticatedSenderCommentAreOptIn() throws Exception {
        connect("127.0.0.1", "broken_sasl_auth_clients", "yes", "smtpd_sasl_authenticated_header", "yes");
        assertTrue(send("EHLO localhost").contains("250-AUTH PLAIN LOGIN\r\n250-AUTH=PLAIN LOGIN\r\n"));
        send("AUTH PLAIN " + b64("\0alex\0secret"));
        send("MAIL FROM:<alex@example.tst>");
        send("RCPT TO:<bob@example.tst>");
        send("DATA");
        String received = cleanup.messages.get(0).headers.get(0);
        assertTrue(received.startsWith("Received: from localhost (unknown [127.0.0.1])\n"
                + "\t(Authenticated sender: alex)\n\tby mail.example.tst (jmail) with ESMTPA id "), received);

        connect("127.0.0.1");
        String ehlo = send("EHLO localhost");
        assertFalse(ehlo.contains("AUTH="), ehlo);
    }
}
