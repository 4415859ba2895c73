package org.jmail.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class AuthPenaltyTest {

    long now = 1_000_000;
    AuthPenalty p = new AuthPenalty(() -> now);

    @Test
    void secondsDoubleFromTwoUpToFifteen() {
        assertEquals(2, AuthPenalty.toSeconds(0));
        assertEquals(4, AuthPenalty.toSeconds(1));
        assertEquals(8, AuthPenalty.toSeconds(2));
        assertEquals(15, AuthPenalty.toSeconds(3));
        assertEquals(15, AuthPenalty.toSeconds(13));
    }

    @Test
    void failuresRaiseThePenaltyAndSuccessClearsIt() throws Exception {
        InetAddress ip = InetAddress.getByName("192.0.2.7");
        assertEquals(0, p.delayMillis(ip));
        p.failed(ip, "alex", "a");
        assertEquals(4000, p.delayMillis(ip));
        p.failed(ip, "alex", "b");
        assertEquals(8000, p.delayMillis(ip));
        p.failed(ip, "alex", "b"); // the same password again: no extra penalty
        assertEquals(2, p.penalty(ip));
        p.failed(ip, "root", "c");
        assertEquals(15000, p.delayMillis(ip));
        assertEquals(0, p.delayMillis(InetAddress.getByName("192.0.2.8")), "other addresses are not affected");
        p.succeeded(ip);
        assertEquals(0, p.delayMillis(ip));
    }

    @Test
    void thePenaltyDecaysWithTime() throws Exception {
        InetAddress ip = InetAddress.getByName("192.0.2.9");
        for (int i = 0; i < 3; i++) {
            p.failed(ip, "u", "p" + i);
        }
        assertEquals(3, p.penalty(ip));
        // Dovecot compares the whole idle time with toSeconds(13), toSeconds(12), ...: all 15 s
        // or less, so 15 quiet seconds clear the penalty
        now += 14_999;
        assertEquals(3, p.penalty(ip));
        now += 1;
        assertEquals(0, p.penalty(ip));
    }

    @Test
    void ipv6IsTrackedPerSlash48() throws Exception {
        p.failed(InetAddress.getByName("2001:db8:1:2::5"), "u", "x");
        assertEquals(1, p.penalty(InetAddress.getByName("2001:db8:1:ffff::9")));
        assertEquals(0, p.penalty(InetAddress.getByName("2001:db8:2::1")));
    }
}
