package org.jmail.util;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class InetCidrTest {

    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void ipv4NetworkMatchesItsHostsOnly() throws Exception {
        InetCidr c = InetCidr.parse("127.0.0.0/8");
        assertTrue(c.matches(ip("127.0.0.1")));
        assertTrue(c.matches(ip("127.255.1.2")));
        assertFalse(c.matches(ip("128.0.0.1")));
        assertFalse(c.matches(ip("::1")));
    }

    @Test
    void oddPrefixLengths() throws Exception {
        InetCidr c = InetCidr.parse("192.168.1.64/27");
        assertTrue(c.matches(ip("192.168.1.95")));
        assertFalse(c.matches(ip("192.168.1.96")));
        assertFalse(c.matches(ip("192.168.1.63")));
    }

    @Test
    void bareAddressIsAHostRoute() throws Exception {
        InetCidr c = InetCidr.parse("10.1.2.3");
        assertTrue(c.matches(ip("10.1.2.3")));
        assertFalse(c.matches(ip("10.1.2.4")));
    }

    @Test
    void bracketedIpv6() throws Exception {
        InetCidr c = InetCidr.parse("[::1]/128");
        assertTrue(c.matches(ip("::1")));
        assertFalse(c.matches(ip("::2")));
        InetCidr net = InetCidr.parse("[2001:db8::]/32");
        assertTrue(net.matches(ip("2001:db8:ffff::1")));
        assertFalse(net.matches(ip("2001:db9::1")));
        assertTrue(InetCidr.parse("2001:db8::/32").matches(ip("2001:db8::5")));
    }

    @Test
    void ipv4MappedNetworkMatchesIpv4Clients() throws Exception {
        InetCidr c = InetCidr.parse("[::ffff:127.0.0.0]/104");
        assertTrue(c.isIpv4());
        assertTrue(c.matches(ip("127.0.0.1")));
        assertFalse(c.matches(ip("10.0.0.1")));
    }

    @Test
    void hostBitsAreClearedAndReported() throws Exception {
        InetCidr c = InetCidr.parse("192.168.1.7/24");
        assertTrue(c.hadHostBits());
        assertTrue(c.matches(ip("192.168.1.200")));
        assertFalse(InetCidr.parse("192.168.1.0/24").hadHostBits());
    }

    @Test
    void garbageIsRefusedWithoutDns() {
        assertThrows(IllegalArgumentException.class, () -> InetCidr.parse("example.com"));
        assertThrows(IllegalArgumentException.class, () -> InetCidr.parse("1.2.3/8"));
        assertThrows(IllegalArgumentException.class, () -> InetCidr.parse("1.2.3.4/33"));
        assertThrows(IllegalArgumentException.class, () -> InetCidr.parse("[::1]/129"));
        assertThrows(IllegalArgumentException.class, () -> InetCidr.parse("256.1.1.1"));
        assertThrows(IllegalArgumentException.class, () -> InetCidr.parse("[zz::1]"));
    }
}
