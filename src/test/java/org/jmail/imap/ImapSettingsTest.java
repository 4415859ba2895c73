package org.jmail.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jmail.config.MainConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImapSettingsTest {

    @TempDir
    Path dir;

    @Test
    void defaultsAreDovecotsWithJmailGreeting() {
        ImapSettings s = ImapSettings.from(MainConfig.of(dir, Map.of()));
        assertEquals(65536, s.maxLineLength());
        assertEquals(10240000, s.appendLimit());
        assertEquals(Duration.ofMinutes(2), s.idleNotifyInterval());
        assertEquals(Duration.ofSeconds(1), s.idleCheckInterval());
        assertEquals("jmail ready.", s.greeting());
        assertEquals(Duration.ofSeconds(2), s.authFailureDelay());
        assertEquals(List.of("PLAIN"), s.authMechanisms());
        assertEquals(10, s.maxUserIpConnections());
    }

    @Test
    void dovecotStyleValuesAreRead() {
        ImapSettings s = ImapSettings.from(MainConfig.of(dir, Map.of("imap_max_line_length", "128k",
                "imap_idle_notify_interval", "5 mins", "mailbox_idle_check_interval", "30 secs",
                "login_greeting", "Hello.", "disable_plaintext_auth", "no", "auth_failure_delay", "0",
                "auth_mechanisms", "plain login cram-md5", "mail_max_userip_connections", "3",
                "message_size_limit", "0")));
        assertEquals(131072, s.maxLineLength());
        assertEquals(Duration.ofMinutes(5), s.idleNotifyInterval());
        assertEquals(Duration.ofSeconds(30), s.idleCheckInterval());
        assertEquals("Hello.", s.greeting());
        assertFalse(s.disablePlaintextAuth());
        assertEquals(Duration.ZERO, s.authFailureDelay());
        assertEquals(List.of("PLAIN", "LOGIN"), s.authMechanisms());
        assertEquals(3, s.maxUserIpConnections());
        assertEquals(Integer.MAX_VALUE - 64, s.appendLimit());
    }
}
