package org.jmail.imap;

import static org.jmail.imap.ImapTestKit.run;
import static org.jmail.imap.ImapTestKit.settings;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ImapSessionLoginTest {

    private final MemoryMailStore store = ImapTestKit.storeWith();

    @Test
    void greetingListsPreLoginCapabilitiesWithAuthOnLoopback() throws Exception {
        String out = run(store, "a LOGOUT\r\n");
        assertTrue(out.startsWith("* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+"
                + " AUTH=PLAIN] jmail ready.\r\n"), out);
        assertTrue(out.contains("* BYE Logging out\r\na OK Logout completed.\r\n"), out);
    }

    @Test
    void remotePlainTextConnectionAdvertisesLoginDisabledAndRefusesLogin() throws Exception {
        String out = run(settings(), store, false, "a CAPABILITY\r\nb LOGIN alice secret\r\n");
        assertTrue(out.contains("LITERAL+ LOGINDISABLED]"), out);
        assertFalse(out.contains("AUTH=PLAIN"), out);
        assertTrue(out.contains("* BAD [ALERT] Plaintext authentication not allowed without SSL/TLS, but your client"
                + " did it anyway. If anyone was listening, the password was exposed.\r\n"
                + "b NO [PRIVACYREQUIRED] Plaintext authentication disallowed on non-secure (SSL/TLS) connections.\r\n"),
                out);
    }

    @Test
    void remoteLoginAllowedWhenPlaintextAuthIsEnabled() throws Exception {
        String out = run(settings().withDisablePlaintextAuth(false), store, false, "b LOGIN alice secret\r\n");
        assertTrue(out.contains("b OK [CAPABILITY IMAP4rev1 "), out);
    }

    @Test
    void loginSucceedsWithPostLoginCapabilities() throws Exception {
        String out = run(store, "a LOGIN alice secret\r\nb CAPABILITY\r\n");
        assertTrue(out.contains("a OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE UNSELECT CHILDREN"
                + " NAMESPACE UIDPLUS LIST-EXTENDED MOVE LITERAL+ SPECIAL-USE] Logged in\r\n"), out);
        assertTrue(out.matches("(?s).*b OK Capability completed \\(\\d+\\.\\d{3} \\+ 0\\.000 secs\\)\\.\r\n.*"), out);
    }

    @Test
    void failedLoginsSayAuthenticationFailedAndDontDisconnect() throws Exception {
        // Dovecot 2.3 keeps the connection after any number of failures (its auth penalty,
        // jmail's AuthPenalty, slows them down instead)
        String out = run(store, "a LOGIN alice wrong\r\nb LOGIN alice wrong\r\nc LOGIN alice wrong\r\n"
                + "d LOGIN alice wrong\r\ne LOGIN alice secret\r\n");
        assertTrue(out.contains("a NO [AUTHENTICATIONFAILED] Authentication failed.\r\n"), out);
        assertTrue(out.contains("d NO [AUTHENTICATIONFAILED] Authentication failed.\r\n"), out);
        assertFalse(out.contains("* BYE"), out);
        assertTrue(out.contains("e OK"), out);
    }

    @Test
    void temporaryAuthFailureIsUnavailable() throws Exception {
        String out = run(store, "a LOGIN tmp x\r\n");
        assertTrue(out.contains("a NO [UNAVAILABLE] Temporary authentication failure.\r\n"), out);
    }

    @Test
    void authenticatePlainWithInitialResponse() throws Exception {
        String ir = java.util.Base64.getEncoder().encodeToString("\0alice\0secret".getBytes());
        String out = run(store, "a AUTHENTICATE PLAIN " + ir + "\r\nb NOOP\r\n");
        assertTrue(out.contains("a OK [CAPABILITY IMAP4rev1"), out);
        assertTrue(out.contains("b OK NOOP completed"), out);
    }

    @Test
    void authenticateLoginWithChallengesAndCancel() throws Exception {
        var enc = java.util.Base64.getEncoder();
        MemoryMailStore s = ImapTestKit.storeWith();
        String out = run(ImapTestKit.settings().withAuthMechanisms(List.of("PLAIN", "LOGIN")), s, true,
                "x AUTHENTICATE PLAIN\r\n*\r\na AUTHENTICATE LOGIN\r\n" + enc.encodeToString("alice".getBytes())
                        + "\r\n" + enc.encodeToString("secret".getBytes()) + "\r\n");
        assertTrue(out.contains("+ \r\nx BAD Authentication aborted by client.\r\n"), out);
        assertTrue(out.contains("+ VXNlcm5hbWU6\r\n+ UGFzc3dvcmQ6\r\na OK [CAPABILITY"), out);
    }

    @Test
    void unknownMechanismIsRefused() throws Exception {
        String out = run(store, "a AUTHENTICATE CRAM-MD5\r\n");
        assertTrue(out.contains("a NO Unsupported authentication mechanism."), out);
    }

    @Test
    void commandsBeforeLoginAreBadAndThreeEndTheConnection() throws Exception {
        String out = run(store, "a SELECT INBOX\r\nb FOO\r\nc BAR\r\nd NOOP\r\n");
        assertTrue(out.contains("a BAD Error in IMAP command received by server.\r\n"), out);
        assertTrue(out.contains("* BYE Too many invalid IMAP commands.\r\n"), out);
        assertFalse(out.contains("d OK"), out);
    }

    @Test
    void idAnswersWithServerName() throws Exception {
        String out = run(store, "a ID (\"name\" \"test\")\r\n");
        assertTrue(out.contains("* ID (\"name\" \"jmail\")\r\na OK ID completed.\r\n"), out);
    }

    @Test
    void userIpLimitRefusesExtraSessions() {
        UserIpLimiter l = new UserIpLimiter();
        assertTrue(l.acquire("k", 2));
        assertTrue(l.acquire("k", 2));
        assertFalse(l.acquire("k", 2));
        l.release("k");
        assertTrue(l.acquire("k", 2));
    }
}
