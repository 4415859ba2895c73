package org.jmail.table;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CidrTableTest {

    @TempDir
    Path dir;

    private final TableTestSupport support = new TableTestSupport();

    @AfterEach
    void tearDown() {
        support.close();
    }

    private LookupTable table(String text) throws IOException {
        Path p = dir.resolve("cidr");
        Files.writeString(p, text);
        return Tables.openUncached("cidr:" + p);
    }

    @Test
    void ipv4NetworksFirstMatchWins() throws IOException {
        LookupTable t = table("192.168.1.1 exact\n192.168.0.0/16 lan\n0.0.0.0/0 any\n");
        assertEquals("exact", t.find("192.168.1.1"));
        assertEquals("lan", t.find("192.168.200.3"));
        assertEquals("any", t.find("8.8.8.8"));
        assertNull(t.find("not-an-address"));
        assertNull(t.find("2001:db8::1"), "an IPv6 key never matches an IPv4 rule");
    }

    @Test
    void ipv6NetworksWithOrWithoutBrackets() throws IOException {
        LookupTable t = table("[2001:db8::]/32 doc\n[::1] loop\nfe80::/10 link\n::ffff:127.0.0.0/104 mapped\n");
        assertEquals("doc", t.find("2001:db8:1::5"));
        assertEquals("loop", t.find("::1"));
        assertEquals("link", t.find("fe80::1"));
        assertEquals("mapped", t.find("::ffff:127.0.0.1"));
        assertNull(t.find("2001:db9::1"));
    }

    @Test
    void negationAndIfBlocks() throws IOException {
        LookupTable t = table("if 10.0.0.0/8\n!10.1.0.0/16 not-10.1\nendif\n10.1.2.3 exact\n");
        assertEquals("not-10.1", t.find("10.2.0.1"));
        assertEquals("exact", t.find("10.1.2.3"));
        assertNull(t.find("11.0.0.1"));
    }

    @Test
    void badRulesAreSkippedWithPostfixWarnings() throws IOException {
        Path p = dir.resolve("cidr");
        LookupTable t = table("10.0.0.1/8 bad-host-bits\n300.1.1.1 bad\n1.2.3.0/33 badmask\n1.2.3.4\n1.2.3.4 ok\n");
        assertEquals("ok", t.find("1.2.3.4"));
        assertTrue(support.warned("cidr map " + p + ", line 1: non-null host address bits in \"10.0.0.1/8\", "
                + "perhaps you should use \"10.0.0.0/8\" instead: skipping this rule"), support.warnings.toString());
        assertTrue(support.warned("line 2: bad address pattern: \"300.1.1.1\": skipping this rule"));
        assertTrue(support.warned("line 3: bad mask length in \"1.2.3.0/33\": skipping this rule"));
        assertTrue(support.warned("line 4: no lookup result: skipping this rule"));
    }

    @Test
    void ifTakesTheWholeRestAsPatternAndBadEndifsAreSkipped() throws IOException {
        Path p = dir.resolve("cidr");
        LookupTable t = table("if 10.0.0.0/8 extra\n10.1.0.0/16 in\nendif junk\nendif\nif 192.168.0.0/16\n");
        assertEquals("in", t.find("10.1.1.1"));
        String prefix = "cidr map " + p + ", line ";
        assertTrue(support.warned(prefix + "1: bad mask value in \"10.0.0.0/8 extra\": skipping this rule"),
                support.warnings.toString());
        assertTrue(support.warned(prefix + "3: garbage after ENDIF: skipping this rule"));
        assertTrue(support.warned(prefix + "4: ENDIF without IF: skipping this rule"));
        assertTrue(support.warned(prefix + "5: IF has no matching ENDIF"));
    }

    @Test
    void addressParserHandlesIpv6Forms() {
        assertArrayEquals(new byte[16], InetText.parse("::"));
        byte[] a = InetText.parse("::ffff:1.2.3.4");
        assertEquals(4, a[15]);
        assertEquals((byte) 0xff, a[10]);
        assertNull(InetText.parse("1:2:3:4:5:6:7:8:9"));
        assertNull(InetText.parse("1::2::3"));
        assertNull(InetText.parse("01.2.3.4"));
        assertNull(InetText.parse("example.com"));
        assertEquals("2001:db8::1", InetText.format(InetText.parse("2001:0db8:0:0:0:0:0:1")));
    }
}
