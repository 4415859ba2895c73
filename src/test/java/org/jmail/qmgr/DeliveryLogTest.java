package org.jmail.qmgr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class DeliveryLogTest {

    private static String tv(long sec, long usec) {
        StringBuilder b = new StringBuilder();
        DeliveryLog.formatTv(b, sec, usec, 2, 2);
        return b.toString();
    }

    @Test
    void delaysAreFormattedLikePostfixFormatTv() {
        assertEquals("0", tv(0, 0));
        assertEquals("0", tv(0, 4000), "below the resolution of 2 decimals");
        assertEquals("0.01", tv(0, 5000), "rounded up");
        assertEquals("0.12", tv(0, 123400));
        assertEquals("0.1", tv(0, 100000), "trailing zeros dropped");
        assertEquals("1.5", tv(1, 500000), "two significant digits");
        assertEquals("12", tv(12, 300000), "large values are whole seconds");
        assertEquals("13", tv(12, 600000));
        assertEquals("3600", tv(3600, 0));
    }

    @Test
    void lineHasPostfixsFieldsAndOrigToOnlyWhenDifferent() {
        Instant arrival = Instant.parse("2024-01-01T00:00:00Z");
        Instant active = arrival.plusMillis(10);
        Instant handoff = active.plusMillis(10);
        Instant now = handoff.plusMillis(100);
        assertEquals("ABC: to=<u@x>, orig_to=<alias@x>, relay=local, delay=0.12, delays=0.01/0.01/0/0.1, dsn=2.0.0, "
                + "status=sent (delivered to mailbox)",
                DeliveryLog.line("ABC", "u@x", "alias@x", "local", arrival, active, handoff, now, "2.0.0", "sent",
                        "delivered to mailbox", 2));
        assertEquals("ABC: to=<u@x>, relay=none, delay=0.12, delays=0.01/0.11/0/0, dsn=4.3.0, "
                + "status=deferred (mail transport unavailable)",
                DeliveryLog.line("ABC", "u@x", "U@X", "none", arrival, active, null, now, "4.3.0", "deferred",
                        "mail transport unavailable", 2));
    }

    @Test
    void dsnSplitTakesALeadingDetailCode() {
        assertEquals(new Dsn("5.1.1", "no such user"), Dsn.split("5.0.0", "5.1.1 no such user"));
        assertEquals(new Dsn("5.0.0", "go away"), Dsn.split("5.0.0", "go away"));
        assertEquals(new Dsn("4.0.0", "5.1 is not a code"), Dsn.split("4.0.0", "5.1 is not a code"));
        assertEquals(new Dsn("2.0.0", ""), Dsn.split("2.0.0", ""));
        assertEquals(new Dsn("4.7.1", ""), Dsn.split("5.0.0", "4.7.1"));
        assertEquals(new Dsn("5.0.0", "3.1.1 bad class"), Dsn.split("5.0.0", "3.1.1 bad class"));
    }
}
