package org.jmail.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class NextHopTest {

    @Test
    void bracketsSkipMxLookup() {
        NextHop h = NextHop.parse("[Relay.Example.com]:587", 25);
        assertEquals("relay.example.com", h.host());
        assertEquals(587, h.port());
        assertFalse(h.mxLookup());
        assertEquals("[Relay.Example.com]:587", h.text());
    }

    @Test
    void bareDomainUsesMxAndTheDefaultPort() {
        NextHop h = NextHop.parse("example.com", 2525);
        assertTrue(h.mxLookup());
        assertEquals(2525, h.port());
        assertEquals(26, NextHop.parse("example.com:26", 25).port());
        assertEquals(587, NextHop.parse("inet:[mail.tst]:submission", 25).port());
    }

    @Test
    void ipv6LiteralAndBadPorts() {
        NextHop h = NextHop.parse("[ipv6:2001:db8::1]:25", 25);
        assertEquals("2001:db8::1", h.host());
        assertTrue(h.isAddressLiteral());
        assertThrows(IllegalArgumentException.class, () -> NextHop.parse("[x]:99999", 25));
        assertThrows(IllegalArgumentException.class, () -> NextHop.parse("", 25));
    }

}
