package org.jmail.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jmail.config.MainConfig;
import org.jmail.dns.DnsResolver;
import org.jmail.dns.TestDnsServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerLookupTest {

    @TempDir
    Path dir;
    private TestDnsServer dns;

    @BeforeEach
    void start() throws Exception {
        dns = new TestDnsServer()
                .add("multi.tst. 300 IN MX 20 c.multi.tst.")
                .add("multi.tst. 300 IN MX 10 a.multi.tst.")
                .add("multi.tst. 300 IN MX 10 b.multi.tst.")
                .add("a.multi.tst. 300 IN A 192.0.2.1")
                .add("b.multi.tst. 300 IN A 192.0.2.2")
                .add("c.multi.tst. 300 IN A 192.0.2.3")
                .add("c.multi.tst. 300 IN AAAA 2001:db8::3")
                .add("v6only.tst. 300 IN AAAA 2001:db8::6")
                .add("deadmx.tst. 300 IN MX 10 gone.deadmx.tst.");
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    private ServerLookup lookup(String protocols) {
        MainConfig c = MainConfig.of(dir, Map.of("jmail_dns_servers", dns.address(), "inet_protocols", protocols,
                "jmail_dns_timeout", "1s"));
        return new ServerLookup(new DnsResolver(c), new SmtpSettings(c));
    }

    @Test
    void mxHostsComeByPreferenceWithEqualOnesShuffled() {
        Set<String> firsts = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            List<SmtpServer> s = lookup("ipv4").find(NextHop.parse("multi.tst", 25)).servers();
            assertEquals(3, s.size());
            assertEquals("c.multi.tst", s.get(2).host());
            firsts.add(s.get(0).host());
        }
        assertEquals(Set.of("a.multi.tst", "b.multi.tst"), firsts);
    }

    @Test
    void inetProtocolsChooseTheAddressFamilies() {
        assertEquals(4, lookup("all").find(NextHop.parse("multi.tst", 25)).servers().size());
        assertEquals("2001:db8:0:0:0:0:0:6", lookup("ipv6").find(NextHop.parse("v6only.tst", 25)).servers().get(0)
                .address().getHostAddress());
        ServerLookup.Result r = lookup("ipv4").find(NextHop.parse("v6only.tst", 25));
        assertEquals(new SmtpFailure("5.4.4", "Host or domain name not found. Name service error for name=v6only.tst "
                + "type=A: Host found but no data record of requested type"), r.failure());
    }

    @Test
    void bracketedHostSkipsTheMxLookup() {
        ServerLookup.Result r = lookup("ipv4").find(NextHop.parse("[a.multi.tst]:2525", 25));
        assertNull(r.failure());
        assertEquals("a.multi.tst[192.0.2.1]:2525", r.servers().get(0).namaddrport());
    }

    @Test
    void mxWithoutAddressesFails() {
        ServerLookup.Result r = lookup("all").find(NextHop.parse("deadmx.tst", 25));
        assertTrue(r.servers().isEmpty());
        assertEquals("5.4.4", r.failure().dsn());
        assertTrue(r.failure().text().contains("name=gone.deadmx.tst type=AAAA: Host not found"), r.failure().text());
    }
}
