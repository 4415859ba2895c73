package org.jmail.resolve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class AddressesTest {

    @Test
    void splitsAtTheLastAt() {
        assertEquals("a@b", Addresses.localPart("a@b@c.tst"));
        assertEquals("c.tst", Addresses.domain("a@b@c.tst"));
        assertNull(Addresses.domain("root"));
        assertEquals("root", Addresses.localPart("root"));
    }

    @Test
    void canonicalDomainFoldsCaseAndTrailingDots() {
        assertEquals("example.tst", Addresses.canonicalDomain("Example.TST.."));
    }

    @Test
    void extensionStrippingFollowsPostfix() {
        assertEquals("user", Addresses.stripExtension("user+ext+more", "+", "double-bounce"));
        assertEquals("user", Addresses.stripExtension("user-ext", "+-", "double-bounce"));
        assertEquals("owner-list", Addresses.stripExtension("owner-list", "-", "double-bounce"));
        assertEquals("list-request", Addresses.stripExtension("list-request", "-", "double-bounce"));
        assertEquals("+user", Addresses.stripExtension("+user", "+", "double-bounce"));
        assertEquals("double-bounce", Addresses.stripExtension("double-bounce", "-", "double-bounce"));
        assertEquals("a+b", Addresses.stripExtension("a+b", "", "double-bounce"));
    }

    @Test
    void quotingOnlyWhenTheLocalPartIsNotADotAtom() {
        assertEquals("john.doe@x.tst", Addresses.quote("john.doe@x.tst"));
        assertEquals("\"john doe\"@x.tst", Addresses.quote("john doe@x.tst"));
        assertEquals("\"a\\\"b\"@x.tst", Addresses.quote("a\"b@x.tst"));
        assertEquals("\"a..b\"@x.tst", Addresses.quote("a..b@x.tst"));
        assertEquals("", Addresses.quote(""));
    }
}
