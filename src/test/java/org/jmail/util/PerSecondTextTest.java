package org.jmail.util;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PerSecondTextTest {

    @Test
    void formatsOncePerSecond() {
        AtomicInteger calls = new AtomicInteger();
        PerSecondText t = new PerSecondText(s -> {
            calls.incrementAndGet();
            return "t" + s;
        });
        assertEquals("t10", t.at(10));
        assertEquals("t10", t.at(10));
        assertEquals(1, calls.get());
        assertEquals("t11", t.at(11));
        assertEquals("t10", t.at(10), "an earlier second is formatted again, not taken from the cache");
        assertEquals(3, calls.get());
    }
}
