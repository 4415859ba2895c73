package org.jmail.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PasswdCacheTest {

    private final AtomicLong clock = new AtomicLong(1_000);
    private final AtomicInteger version = new AtomicInteger(1);
    private final Map<String, String> passwd = new HashMap<>(Map.of("alice", "alice:1000"));
    private final AtomicInteger lookups = new AtomicInteger();
    private final PasswdCache<String> cache = new PasswdCache<>(() -> version.get(), n -> {
        lookups.incrementAndGet();
        return passwd.get(n);
    }, clock::get, 100, 10_000);

    @Test
    void repeatedLookupsOfAnUnchangedFileAskOnce() {
        assertEquals("alice:1000", cache.get("alice"));
        clock.addAndGet(500); // file checked again, unchanged
        assertEquals("alice:1000", cache.get("alice"));
        assertNull(cache.get("bob"));
        assertNull(cache.get("bob"));
        assertEquals(2, lookups.get());
    }

    @Test
    void aChangedFileIsNoticedAfterTheCheckInterval() {
        assertNull(cache.get("bob"));
        passwd.put("bob", "bob:1001");
        version.incrementAndGet();
        assertNull(cache.get("bob"), "within the check interval the old answer stands");
        clock.addAndGet(101);
        assertEquals("bob:1001", cache.get("bob"));
    }

    @Test
    void entriesExpireEvenWhenTheFileStaysTheSame() {
        cache.get("alice");
        passwd.put("alice", "alice:2000"); // e.g. an LDAP account changed
        clock.addAndGet(10_001);
        assertEquals("alice:2000", cache.get("alice"));
    }

    @Test
    void nothingIsCachedWhenTheFileCannotBeStatted() {
        PasswdCache<String> c = new PasswdCache<>(() -> null, n -> {
            lookups.incrementAndGet();
            return passwd.get(n);
        }, clock::get, 100, 10_000);
        c.get("alice");
        c.get("alice");
        assertEquals(2, lookups.get());
    }
}
