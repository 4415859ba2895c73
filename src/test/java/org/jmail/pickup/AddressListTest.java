package org.jmail.pickup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class AddressListTest {

    @Test
    void phraseAngleAndBareAddressesAreSplitAtCommas() {
        assertEquals(List.of("a@x.tst", "b@y.tst", "c@z.tst"),
                AddressList.parse("Joe <a@x.tst>, b@y.tst (Bob), \"Smith, C\" <c@z.tst>"));
    }

    @Test
    void groupsGiveTheirMembersAndEmptyGroupsNothing() {
        assertEquals(List.of("a@x.tst", "b@x.tst"), AddressList.parse("team: a@x.tst, B <b@x.tst>;"));
        assertEquals(List.of(), AddressList.parse("undisclosed-recipients:;"));
    }

    @Test
    void quotedLocalPartsAreUnquotedAndRoutesDropped() {
        assertEquals(List.of("joe@x.tst", "a b@x.tst", "r@y.tst"),
                AddressList.parse("\"joe\"@x.tst, \"a b\"@x.tst, <@relay.tst:r@y.tst>"));
    }

    @Test
    void nullSenderAndFirstAddressForDashF() {
        assertEquals("", AddressList.first("<>"));
        assertEquals("me@x.tst", AddressList.first("Me Myself <me@x.tst>"));
        assertEquals("alex", AddressList.first("alex"));
    }

    @Test
    void commentsWithCommasAndNestingDoNotSplit() {
        assertEquals(List.of("a@x.tst"), AddressList.parse("a@x.tst (one, (two), three)"));
    }
}
