package org.jmail.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DnsResolverTest {

    private TestDnsServer dns;
    private DnsResolver resolver;

    @BeforeEach
    void start() throws Exception {
        dns = new TestDnsServer()
                .add("example.tst. 300 IN MX 10 mx1.example.tst.")
                .add("example.tst. 300 IN MX 20 mx2.example.tst.")
                .add("mx1.example.tst. 300 IN A 127.0.0.2")
                .add("mx1.example.tst. 300 IN AAAA ::1")
                .add("alias.example.tst. 300 IN CNAME mx1.example.tst.")
                .add("nullmx.tst. 300 IN MX 0 .")
                .add("xn--bcher-kva.tst. 300 IN A 127.0.0.3")
                .add("text.tst. 300 IN TXT \"v=spf1 \" \"-all\"")
                .add("2.0.0.127.in-addr.arpa. 300 IN PTR mx1.example.tst.")
                .servfail("broken.tst")
                .silent("slow.tst");
        resolver = new DnsResolver(DnsServers.parse(dns.address()), Duration.ofMillis(300), 1);
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    @Test
    void mxRecordsComeWithPreferenceAndHost() {
        DnsAnswer<MxHost> a = resolver.mx("example.tst");
        assertEquals(DnsStatus.OK, a.status());
        assertTrue(a.records().contains(new MxHost(10, "mx1.example.tst")));
        assertTrue(a.records().contains(new MxHost(20, "mx2.example.tst")));
    }

    @Test
    void nullMxIsRecognised() {
        DnsAnswer<MxHost> a = resolver.mx("nullmx.tst");
        assertEquals(1, a.records().size());
        assertTrue(a.records().get(0).isNullMx());
    }

    @Test
    void addressesFollowCnames() throws Exception {
        assertEquals(List.of(InetAddress.getByName("127.0.0.2")), resolver.a("alias.example.tst").records());
        assertEquals(List.of(InetAddress.getByName("::1")), resolver.aaaa("mx1.example.tst").records());
    }

    @Test
    void missingDomainIsPermanentNotFoundWithPostfixText() {
        DnsAnswer<MxHost> a = resolver.mx("nowhere.tst");
        assertEquals(DnsStatus.NOT_FOUND, a.status());
        assertTrue(a.status().isNegative());
        assertEquals("Host or domain name not found. Name service error for name=nowhere.tst type=MX: Host not found",
                a.reason());
    }

    @Test
    void nameWithoutTheTypeIsNoData() {
        assertEquals(DnsStatus.NO_DATA, resolver.mx("mx1.example.tst").status());
    }

    @Test
    void serverFailureAndTimeoutAreTemporary() {
        DnsAnswer<MxHost> a = resolver.mx("broken.tst");
        assertEquals(DnsStatus.TRY_AGAIN, a.status());
        assertTrue(a.reason().endsWith("type=MX: Host not found, try again"));
        assertEquals(DnsStatus.TRY_AGAIN, resolver.a("slow.tst").status());
    }

    @Test
    void answersAreCachedAndFailuresAreNot() {
        resolver.mx("example.tst");
        int before = dns.queries();
        resolver.mx("example.tst");
        resolver.mx("nowhere.tst");
        resolver.mx("nowhere.tst"); // negative answer cached by the SOA minimum
        assertEquals(before + 1, dns.queries());
        resolver.mx("broken.tst");
        resolver.mx("broken.tst");
        assertEquals(before + 3, dns.queries());
    }

    @Test
    void txtJoinsStringsAndPtrReverses() throws Exception {
        assertEquals(List.of("v=spf1 -all"), resolver.txt("text.tst").records());
        assertEquals(List.of("mx1.example.tst"), resolver.ptr(InetAddress.getByName("127.0.0.2")).records());
    }

    @Test
    void serverListParsesPortsAndV6() {
        assertEquals(5353, DnsServers.parseOne("127.0.0.1:5353").getPort());
        assertEquals(53, DnsServers.parseOne("192.0.2.1").getPort());
        assertEquals(54, DnsServers.parseOne("[::1]:54").getPort());
        assertEquals(2, DnsServers.parse("127.0.0.1, [::1]:53").size());
    }

    @Test
    void unicodeNamesAreAskedAsALabels() throws Exception {
        assertEquals(List.of(InetAddress.getByName("127.0.0.3")), resolver.a("bücher.tst").records());
    }
}
