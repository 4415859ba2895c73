package org.jmail.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConnectionCacheTest {

    @Test
    void connectionsAreKeptPerNextHopAndExpireWhenIdle() throws Exception {
        try (ScriptedSmtpServer peer = new ScriptedSmtpServer()) {
            SmtpServer s = new SmtpServer("peer.tst", InetAddress.getLoopbackAddress(), peer.port(), 0);
            ConnectionCache cache = new ConnectionCache(Duration.ofMillis(300), Duration.ofSeconds(300));
            SmtpConnection c = SmtpConnection.open(s, Duration.ofSeconds(5));
            cache.put("smtp\0a.tst", c);
            assertNull(cache.take("smtp\0b.tst"));
            assertSame(c, cache.take("smtp\0a.tst"));
            assertNull(cache.take("smtp\0a.tst"));
            cache.put("smtp\0a.tst", c);
            Thread.sleep(700);
            assertEquals(0, cache.idleCount());
            assertNull(cache.take("smtp\0a.tst"));
        }
    }

    @Test
    void aConnectionPastTheReuseTimeLimitIsClosedNotKept() throws Exception {
        try (ScriptedSmtpServer peer = new ScriptedSmtpServer()) {
            SmtpServer s = new SmtpServer("peer.tst", InetAddress.getLoopbackAddress(), peer.port(), 0);
            ConnectionCache cache = new ConnectionCache(Duration.ofSeconds(2), Duration.ZERO);
            cache.put("k", SmtpConnection.open(s, Duration.ofSeconds(5)));
            assertEquals(0, cache.idleCount());
        }
    }
}
