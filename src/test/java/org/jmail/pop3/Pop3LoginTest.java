package org.jmail.pop3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jmail.log.MailLog;
import org.jmail.store.StoreException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class Pop3LoginTest {

    /** fail2ban's filter.d/dovecot.conf failregex (the part after "pop3-login: "). */
    static final Pattern FAIL2BAN = Pattern.compile("^(?:Aborted login|Disconnected|Remote closed connection|"
            + "Client has quit the connection)(?::(?: [^ \\(]+)+)? \\((?:auth failed, \\d+ attempts(?: in \\d+ secs)?|"
            + "tried to use (?:disabled|disallowed) \\S+ auth|proxy dest auth failed)\\):(?: user=<[^>]*>,)?"
            + "(?: method=\\S+,)? rip=(?<host>[0-9.]+)(?:[^>]*(?:, session=<\\S+>)?)\\s*$");

    LogCapture log;
    FakeStore store;
    FakeAuth auth;
    Pop3Settings settings;

    @BeforeEach
    void setUp() {
        log = LogCapture.install();
        store = new FakeStore();
        store.folder("alice").deliver("Subject: one\n\nbody one\n");
        auth = new FakeAuth(Map.of("alice", "secret", "bob", "pw"));
        settings = Pop3Settings.defaults().withAuthFailureDelay(Duration.ofMillis(1500))
                .withAuthMechanisms(List.of("PLAIN", "LOGIN"));
    }

    @AfterEach
    void tearDown() {
        log.uninstall();
    }

    Harness local() {
        return new Harness(settings, auth, store, "127.0.0.1", true, new SessionRegistry());
    }

    Harness remote() {
        return new Harness(settings, auth, store, "192.0.2.1", true, new SessionRegistry());
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void greetingIsDovecotsShapeWithJmailsName() throws Exception {
        assertEquals("+OK jmail ready.\r\n", local().greet());
    }

    @Test
    void capaOnLoopbackOffersUserAndSaslMechanismsAndStls() throws Exception {
        Harness h = local();
        h.greet();
        assertEquals("+OK\r\nCAPA\r\nTOP\r\nUIDL\r\nRESP-CODES\r\nPIPELINING\r\nAUTH-RESP-CODE\r\nSTLS\r\nUSER\r\n"
                + "SASL PLAIN LOGIN\r\n.\r\n", h.send("CAPA"));
    }

    @Test
    void capaOnInsecureConnectionHidesUserAndPlaintextMechanisms() throws Exception {
        Harness h = remote();
        h.greet();
        assertEquals("+OK\r\nCAPA\r\nTOP\r\nUIDL\r\nRESP-CODES\r\nPIPELINING\r\nAUTH-RESP-CODE\r\nSTLS\r\nSASL\r\n.\r\n",
                h.send("capa"));
    }

    @Test
    void capaAfterStlsNoLongerOffersStlsButOffersUser() throws Exception {
        Harness h = remote();
        h.greet();
        assertEquals("+OK Begin TLS negotiation now.\r\n", h.send("STLS"));
        assertEquals(Pop3Session.Next.STARTTLS, h.last);
        h.session.tlsStarted();
        assertEquals("+OK\r\nCAPA\r\nTOP\r\nUIDL\r\nRESP-CODES\r\nPIPELINING\r\nAUTH-RESP-CODE\r\nUSER\r\n"
                + "SASL PLAIN LOGIN\r\n.\r\n", h.send("CAPA"));
        assertEquals("-ERR TLS is already active.\r\n", h.send("STLS"));
    }

    @Test
    void stlsWithoutTlsContextIsRefused() throws Exception {
        Harness h = new Harness(settings, auth, store, "127.0.0.1", false, new SessionRegistry());
        h.greet();
        assertEquals("-ERR TLS support isn't enabled.\r\n", h.send("STLS"));
    }

    @Test
    void userOnInsecureConnectionIsRefusedAndLoggedAsDisallowedPlaintext() throws Exception {
        Harness h = remote();
        h.greet();
        assertEquals(Pop3Login.PLAINTEXT_DISABLED + "\r\n", h.send("USER alice"));
        assertEquals(Pop3Login.PLAINTEXT_DISABLED + "\r\n", h.send("PASS secret"));
        assertEquals(Pop3Login.PLAINTEXT_DISABLED + "\r\n", h.send("AUTH PLAIN " + b64("\0alice\0secret")));
        assertTrue(auth.requests.isEmpty(), "no password may reach the passdb");
        h.session.end();
        String line = log.find("dovecot: pop3-login: Disconnected");
        assertNotNull(line, log.toString());
        assertTrue(line.startsWith("dovecot: pop3-login: Disconnected (tried to use disallowed plaintext auth): "
                + "user=<alice>, method=PLAIN, rip=192.0.2.1, lip=192.0.2.2, session=<"), line);
        assertTrue(FAIL2BAN.matcher(line.substring("dovecot: pop3-login: ".length())).matches(), line);
    }

    @Test
    void userPassLogsInWithDovecotsLoginLine() throws Exception {
        Harness h = local().login("alice", "secret");
        assertTrue(h.session.loggedIn());
        String line = log.find("dovecot: pop3-login: Login:");
        assertEquals("dovecot: pop3-login: Login: user=<alice>, method=PLAIN, rip=127.0.0.1, lip=127.0.0.1, mpid="
                + MailLog.pid() + ", secured, session=<" + h.client.sessionId + ">", line);
        assertEquals("pop3", auth.requests.get(0).service());
        assertTrue(auth.requests.get(0).secured());
    }

    @Test
    void wrongPasswordIsDelayedAnsweredAndLoggedSoFail2banMatches() throws Exception {
        Harness h = local();
        h.greet();
        h.send("USER alice");
        h.nanos += 2_000_000_000L;
        assertEquals("-ERR [AUTH] Authentication failed.\r\n", h.send("PASS wrong"));
        assertEquals(List.of(Duration.ofMillis(1500)), h.pauses);
        assertEquals(Pop3Session.Next.CONTINUE, h.last);
        h.nanos += 3_000_000_000L;
        h.session.end();
        String line = log.find("dovecot: pop3-login: Disconnected");
        assertTrue(line.matches("dovecot: pop3-login: Disconnected \\(auth failed, 1 attempts in 3 secs\\): user=<alice>, "
                + "method=PLAIN, rip=127\\.0\\.0\\.1, lip=127\\.0\\.0\\.1, secured, session=<[A-Za-z0-9+/]{16}>"), line);
        var m = FAIL2BAN.matcher(line.substring("dovecot: pop3-login: ".length()));
        assertTrue(m.matches(), line);
        assertEquals("127.0.0.1", m.group("host"));
        assertNull(log.find("dovecot: pop3-login: Login:"));
    }

    @Test
    void quitBeforeLoginIsAbortedLogin() throws Exception {
        Harness h = local();
        h.greet();
        h.send("USER bob");
        h.send("PASS nope");
        assertEquals("+OK Logging out\r\n", h.send("QUIT"));
        assertEquals(Pop3Session.Next.CLOSE, h.last);
        h.session.end();
        String line = log.find("dovecot: pop3-login: Aborted login");
        assertTrue(line.startsWith("dovecot: pop3-login: Aborted login (auth failed, 1 attempts in 0 secs): user=<bob>, "
                + "method=PLAIN, rip=127.0.0.1"), line);
    }

    @Test
    void disconnectWithoutAttemptsSaysNoAuthAttempts() throws Exception {
        Harness h = remote();
        h.greet();
        h.nanos += 7_000_000_000L;
        h.session.end();
        assertEquals("dovecot: pop3-login: Disconnected (no auth attempts in 7 secs): user=<>, rip=192.0.2.1, "
                + "lip=192.0.2.2, session=<" + h.client.sessionId + ">", log.find("dovecot: pop3-login:"));
    }

    @Test
    void passWithoutUserAsksForUserName() throws Exception {
        Harness h = local();
        h.greet();
        assertEquals("-ERR No username given.\r\n", h.send("PASS secret"));
    }

    @Test
    void authPlainWithInitialResponseLogsIn() throws Exception {
        Harness h = local();
        h.greet();
        assertEquals("+OK Logged in.\r\n", h.send("AUTH PLAIN " + b64("\0alice\0secret")));
    }

    @Test
    void authPlainWithoutInitialResponseSendsEmptyChallenge() throws Exception {
        Harness h = local();
        h.greet();
        assertEquals("+ \r\n", h.send("AUTH plain"));
        assertEquals("+OK Logged in.\r\n", h.send(b64("alice\0alice\0secret")));
        assertEquals("alice", auth.requests.get(0).authzid());
    }

    @Test
    void authLoginAsksUsernameThenPassword() throws Exception {
        Harness h = local();
        h.greet();
        assertEquals("+ " + b64("Username:") + "\r\n", h.send("AUTH LOGIN"));
        assertEquals("+ " + b64("Password:") + "\r\n", h.send(b64("alice")));
        assertEquals("+OK Logged in.\r\n", h.send(b64("secret")));
        assertEquals("LOGIN", auth.requests.get(0).mechanism());
        String line = log.find("dovecot: pop3-login: Login:");
        assertTrue(line.contains("method=LOGIN"), line);
    }

    @Test
    void authStarAbortsTheExchange() throws Exception {
        Harness h = local();
        h.greet();
        h.send("AUTH PLAIN");
        assertEquals("-ERR Authentication aborted by client.\r\n", h.send("*"));
        assertEquals("+OK\r\n", h.send("USER alice"));
    }

    @Test
    void authWithUnknownMechanismOrBadBase64IsRefused() throws Exception {
        Harness h = local();
        h.greet();
        assertEquals("-ERR [AUTH] Unsupported authentication mechanism.\r\n", h.send("AUTH CRAM-MD5"));
        h.send("AUTH PLAIN");
        assertEquals("-ERR [AUTH] Invalid base64 data in continued response\r\n", h.send("!!!notbase64"));
        assertTrue(auth.requests.isEmpty());
    }

    @Test
    void authWithoutArgumentListsMechanismsForOutlook() throws Exception {
        Harness h = local();
        h.greet();
        assertEquals("+OK\r\nPLAIN\r\nLOGIN\r\n.\r\n", h.send("AUTH"));
    }

    @Test
    void temporaryPassdbFailureIsSysTemp() throws Exception {
        Harness h = local();
        h.greet();
        h.send("USER broken");
        assertEquals("-ERR [SYS/TEMP] Temporary authentication failure.\r\n", h.send("PASS x"));
    }

    @Test
    void threeUnknownCommandsBeforeLoginEndTheConnection() throws Exception {
        Harness h = local();
        h.greet();
        assertEquals("-ERR Unknown command.\r\n", h.send("STAT"));
        assertEquals(Pop3Session.Next.CONTINUE, h.last);
        h.send("LIST");
        assertEquals("-ERR Unknown command.\r\n-ERR Too many invalid bad commands.\r\n", h.send("HELO"));
        assertEquals(Pop3Session.Next.CLOSE, h.last);
        h.session.end();
        assertTrue(log.find("dovecot: pop3-login:").startsWith(
                "dovecot: pop3-login: Disconnected: Too many bad commands (no auth attempts in 0 secs): user=<>"));
    }

    @Test
    void storeFailureAtLoginIsSysTempAndEndsTheSession() throws Exception {
        store.failOpen = new StoreException(StoreException.Kind.TEMPORARY, "Timeout while waiting for lock");
        Harness h = local();
        h.greet();
        h.send("USER alice");
        assertEquals("-ERR [SYS/TEMP] Timeout while waiting for lock\r\n", h.send("PASS secret"));
        assertEquals(Pop3Session.Next.CLOSE, h.last);
        h.session.end();
        assertTrue(log.toString().contains("Couldn't open INBOX: Timeout while waiting for lock"), log.toString());
    }

    @Test
    void userIpLimitRefusesTheExtraSession() throws Exception {
        settings = new Pop3Settings("jmail ready.", settings.uidlFormat(), false, false, "", false, true,
                List.of("PLAIN"), Duration.ZERO, 1, Duration.ofMinutes(10), Duration.ofMinutes(3));
        SessionRegistry registry = new SessionRegistry();
        Harness first = new Harness(settings, auth, store, "127.0.0.1", false, registry).login("alice", "secret");
        Harness second = new Harness(settings, auth, store, "127.0.0.1", false, registry);
        second.greet();
        second.send("USER alice");
        assertEquals("-ERR [IN-USE] Maximum number of connections from user+IP exceeded "
                + "(mail_max_userip_connections=1)\r\n", second.send("PASS secret"));
        first.send("QUIT");
        first.session.end();
        second.send("USER alice");
        assertEquals("+OK Logged in.\r\n", second.send("PASS secret"));
        second.session.end();
    }

    @Test
    void lockSessionRefusesASecondPop3SessionOfTheUser() throws Exception {
        settings = new Pop3Settings("jmail ready.", settings.uidlFormat(), true, false, "", false, true,
                List.of("PLAIN"), Duration.ZERO, 0, Duration.ofMinutes(10), Duration.ofMinutes(3));
        SessionRegistry registry = new SessionRegistry();
        Harness first = new Harness(settings, auth, store, "127.0.0.1", false, registry).login("alice", "secret");
        Harness second = new Harness(settings, auth, store, "127.0.0.1", false, registry);
        second.greet();
        second.send("USER alice");
        assertEquals("-ERR [IN-USE] Mailbox is locked by another POP3 session.\r\n", second.send("PASS secret"));
        assertEquals(Pop3Session.Next.CLOSE, second.last);
        second.session.end();
        first.session.end();
        assertEquals(0, store.openMailboxes.get());
    }

    @Test
    void loginTimeoutSaysInactivity() throws Exception {
        Harness h = remote();
        h.greet();
        h.nanos += 180_000_000_000L;
        h.session.idleTimeout();
        assertEquals("-ERR Disconnected for inactivity.\r\n", h.take());
        h.session.end();
        assertEquals("dovecot: pop3-login: Disconnected: Inactivity (no auth attempts in 180 secs): user=<>, "
                + "rip=192.0.2.1, lip=192.0.2.2, session=<" + h.client.sessionId + ">", log.find("dovecot: pop3-login:"));
    }

    @Test
    void overlongLoginLineIsAnsweredAndEnds() throws Exception {
        Harness h = local();
        h.greet();
        h.session.lineTooLong();
        assertEquals("-ERR Input buffer full, aborting\r\n", h.take());
        h.session.end();
        assertTrue(log.find("dovecot: pop3-login:").startsWith("dovecot: pop3-login: Disconnected: Input buffer full (no auth"));
    }
}
