package org.jmail.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AddressesTest {

    @Test
    void localPartsThatAreNotDotAtomsAreQuoted() {
        assertEquals("a.b+c@x.tst", Addresses.quote("a.b+c@x.tst"));
        assertEquals("\"john doe\"@x.tst", Addresses.quote("john doe@x.tst"));
        assertEquals("\"a\\\"b\"@x.tst", Addresses.quote("a\"b@x.tst"));
        assertEquals("", Addresses.quote(""));
        assertEquals("jörg@x.tst", Addresses.quote("jörg@x.tst"));
    }
}
