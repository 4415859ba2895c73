package org.jmail.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DovecotValuesTest {

    @Test
    void timesInDovecotAndPostfixSpelling() {
        assertEquals(Duration.ofHours(1), DovecotValues.parseTime("1 hour", Duration.ZERO));
        assertEquals(Duration.ofSeconds(2), DovecotValues.parseTime("2 secs", Duration.ZERO));
        assertEquals(Duration.ofSeconds(2), DovecotValues.parseTime("2s", Duration.ZERO));
        assertEquals(Duration.ofSeconds(30), DovecotValues.parseTime("30", Duration.ZERO));
        assertEquals(Duration.ofMillis(500), DovecotValues.parseTime("500 msecs", Duration.ZERO));
        assertEquals(Duration.ofMinutes(5), DovecotValues.parseTime("5 mins", Duration.ZERO));
        assertEquals(Duration.ofDays(1), DovecotValues.parseTime("", Duration.ofDays(1)));
        assertThrows(IllegalArgumentException.class, () -> DovecotValues.parseTime("1 fortnight", Duration.ZERO));
    }

    @Test
    void sizesAreBinary() {
        assertEquals(10L << 20, DovecotValues.parseSize("10M", 0));
        assertEquals(10L << 20, DovecotValues.parseSize("10 MB", 0));
        assertEquals(512L << 10, DovecotValues.parseSize("512k", 0));
        assertEquals(0, DovecotValues.parseSize("0", 5));
        assertEquals(5, DovecotValues.parseSize(" ", 5));
        assertThrows(IllegalArgumentException.class, () -> DovecotValues.parseSize("lots", 0));
    }

    @Test
    void booleans() {
        assertTrue(DovecotValues.parseBool("yes", false));
        assertFalse(DovecotValues.parseBool("no", true));
        assertTrue(DovecotValues.parseBool("", true));
        assertThrows(IllegalArgumentException.class, () -> DovecotValues.parseBool("maybe", true));
    }
}
