package org.jmail.smtpd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** anvil's limits as smtpd applies them: Postfix's replies and warnings, exceptions, time units. */
class ClientLimitsTest {

    LogCapture log;

    @BeforeEach
    void capture() {
        log = LogCapture.install();
    }

    @AfterEach
    void release() {
        log.uninstall();
    }

    @Test
    void concurrencyLimitRefusesTheExtraConnectionAndCountsDisconnects() throws Exception {
        Harness h = Harness.with("smtpd_client_connection_count_limit", "2");
        h.outside();
        h.outside();
        SmtpSession second = h.session;
        assertTrue(h.replies().startsWith("220 "));
        h.outside();
        assertEquals("421 4.7.0 mail.example.tst Error: too many connections from 192.0.2.10\r\n", h.replies());
        assertTrue(h.session.hangup());
        assertTrue(log.hasContaining("warning: Connection concurrency limit exceeded: 3 from client.example.net[192.0.2.10]"
                + " for service smtp"), log.lines.toString());
        h.session.close();
        second.close();
        h.outside();
        assertTrue(h.replies().startsWith("220 "), "a closed session frees its slot");
    }

    @Test
    void mynetworksAreExceptedByDefault() throws Exception {
        Harness h = Harness.with("smtpd_client_connection_count_limit", "1");
        h.loopback();
        h.loopback();
        assertTrue(h.replies().startsWith("220 "));
    }

    @Test
    void messageRecipientAndConnectionRates() throws Exception {
        Harness h = Harness.with("smtpd_client_message_rate_limit", "1", "smtpd_client_recipient_rate_limit", "2",
                "smtpd_client_connection_rate_limit", "3");
        h.outside().replies();
        h.send("EHLO client.example.net");
        assertTrue(h.send("MAIL FROM:<a@example.net>").startsWith("250 "));
        assertTrue(h.send("RCPT TO:<alice@example.tst>").startsWith("250 "));
        assertTrue(h.send("RCPT TO:<bob@example.tst>").startsWith("250 "));
        assertEquals("450 4.7.1 Error: too many recipients from 192.0.2.10\r\n", h.send("RCPT TO:<root@example.tst>"));
        h.send("RSET");
        assertEquals("450 4.7.1 Error: too much mail from 192.0.2.10\r\n", h.send("MAIL FROM:<a@example.net>"));
        assertTrue(log.hasContaining("warning: Message delivery request rate limit exceeded: 2 from "
                + "client.example.net[192.0.2.10] for service smtp"), log.lines.toString());
        assertTrue(log.hasContaining("warning: Recipient address rate limit exceeded: 3 from"));
        h.outside().replies();
        h.outside().replies(); // the third connection in this time unit
        h.outside();
        assertEquals("421 4.7.0 mail.example.tst Error: too many connections from 192.0.2.10\r\n", h.replies());
        assertTrue(log.hasContaining("warning: Connection rate limit exceeded: 4 from"));
    }

    @Test
    void ratesStartAgainInTheNextTimeUnit() {
        AtomicLong now = new AtomicLong();
        Anvil a = new Anvil(Duration.ofSeconds(60), now::get);
        assertEquals(1, a.count(Anvil.Rate.MAIL, "192.0.2.1"));
        assertEquals(2, a.count(Anvil.Rate.MAIL, "192.0.2.1"));
        assertEquals(1, a.count(Anvil.Rate.MAIL, "192.0.2.2"), "per address");
        now.addAndGet(Duration.ofSeconds(60).toNanos());
        assertEquals(1, a.count(Anvil.Rate.MAIL, "192.0.2.1"));
        assertEquals(1, a.count(Anvil.Rate.RCPT, "192.0.2.1"), "per kind");
    }

    @Test
    void theTableForgetsIdleClients() {
        AtomicLong now = new AtomicLong();
        Anvil a = new Anvil(Duration.ofSeconds(1), now::get);
        for (int i = 0; i < Anvil.SWEEP_AT; i++) {
            a.count(Anvil.Rate.CONNECT, "10.0." + (i / 256) + "." + (i % 256));
        }
        now.addAndGet(Duration.ofSeconds(2).toNanos());
        a.count(Anvil.Rate.CONNECT, "192.0.2.99");
        assertEquals(1, a.size());
    }
}
