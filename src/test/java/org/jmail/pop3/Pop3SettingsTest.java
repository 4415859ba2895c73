package org.jmail.pop3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jmail.config.MainConfig;
import org.junit.jupiter.api.Test;

class Pop3SettingsTest {

    @Test
    void defaultsAreDovecotsWithJmailsGreeting() {
        Pop3Settings s = Pop3Settings.from(MainConfig.of(Path.of("/nonexistent"), Map.of()));
        assertEquals("jmail ready.", s.loginGreeting());
        assertEquals(UidlFormat.DEFAULT, s.uidlFormat().toString());
        assertTrue(s.disablePlaintextAuth());
        assertEquals(List.of("PLAIN"), s.authMechanisms());
        assertEquals(Duration.ofSeconds(2), s.authFailureDelay());
        assertEquals(10, s.maxUserIpConnections());
        assertFalse(s.lockSession());
        assertFalse(s.noFlagUpdates());
        assertFalse(s.deleteByFlag());
        assertEquals(Duration.ofMinutes(10), s.idleTimeout());
    }

    @Test
    void dovecotKeysInMainCfAreRead() {
        Pop3Settings s = Pop3Settings.from(MainConfig.of(Path.of("/nonexistent"), Map.of(
                "login_greeting", "Mail here.",
                "pop3_uidl_format", "%v.%u",
                "pop3_lock_session", "yes",
                "pop3_no_flag_updates", "yes",
                "pop3_deleted_flag", "$POP3Deleted",
                "disable_plaintext_auth", "no",
                "auth_mechanisms", "plain login cram-md5",
                "auth_failure_delay", "0",
                "mail_max_userip_connections", "3")));
        assertEquals("Mail here.", s.loginGreeting());
        assertEquals("42.7", s.uidlFormat().format(7, 42));
        assertTrue(s.lockSession());
        assertTrue(s.noFlagUpdates());
        assertTrue(s.deleteByFlag(), "pop3_delete_type=default flags when pop3_deleted_flag is set");
        assertFalse(s.disablePlaintextAuth());
        assertEquals(List.of("PLAIN", "LOGIN"), s.authMechanisms(), "unsupported mechanisms are dropped");
        assertEquals(Duration.ZERO, s.authFailureDelay());
        assertEquals(3, s.maxUserIpConnections());
    }

    @Test
    void badNumbersFallBackToDefaultsWithAWarning() {
        LogCapture log = LogCapture.install();
        try {
            Pop3Settings s = Pop3Settings.from(MainConfig.of(Path.of("/nonexistent"), Map.of(
                    "mail_max_userip_connections", "many", "auth_failure_delay", "2 fortnights")));
            assertEquals(10, s.maxUserIpConnections());
            assertEquals(Duration.ofSeconds(2), s.authFailureDelay());
            assertTrue(log.toString().contains("mail_max_userip_connections"), log.toString());
        } finally {
            log.uninstall();
        }
    }

    @Test
    void badUidlFormatFallsBackToTheDefault() {
        LogCapture log = LogCapture.install();
        try {
            Pop3Settings s = Pop3Settings.from(MainConfig.of(Path.of("/nonexistent"), Map.of("pop3_uidl_format", "%m")));
            assertEquals(UidlFormat.DEFAULT, s.uidlFormat().toString());
            assertTrue(log.toString().contains("pop3_uidl_format"), log.toString());
        } finally {
            log.uninstall();
        }
    }
}
