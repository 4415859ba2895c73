package org.jmail.util;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class EnhancedStatusTest {

    @Test
    void findsACodeFollowedByBlankOrEnd() {
        assertEquals(5, EnhancedStatus.length("2.1.0 Ok", 0));
        assertEquals(9, EnhancedStatus.length("550 5.123.456 text", 4));
        assertEquals(5, EnhancedStatus.length("4.7.1", 0));
        assertEquals(5, EnhancedStatus.length("5.1.1\tx", 0));
    }

    @Test
    void refusesWhatIsNotACode() {
        assertEquals(0, EnhancedStatus.length("3.1.0 Ok", 0), "class 3 does not exist");
        assertEquals(0, EnhancedStatus.length("2.1234.0 Ok", 0), "at most three digits");
        assertEquals(0, EnhancedStatus.length("2..0 Ok", 0));
        assertEquals(0, EnhancedStatus.length("2.1. Ok", 0));
        assertEquals(0, EnhancedStatus.length("2.1.0Ok", 0), "a blank or the end must follow");
        assertEquals(0, EnhancedStatus.length("2.1", 0));
        assertEquals(0, EnhancedStatus.length("2.\u0661.0 Ok", 0), "ASCII digits only");
    }
}
