package org.jmail.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CredentialCacheTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private CredentialCache cache(long size) {
        return new CredentialCache(size, Duration.ofHours(1), Duration.ofMinutes(10), now::get);
    }

    @Test
    void hitOnlyForTheSamePasswordAndCredential() {
        CredentialCache c = cache(1 << 20);
        c.rememberSuccess("alice", "$6$salt$hash", "secret");
        assertTrue(c.verified("alice", "$6$salt$hash", "secret"));
        assertFalse(c.verified("alice", "$6$salt$hash", "Secret"));
        assertFalse(c.verified("alice", "$6$salt$other", "secret"));
        assertFalse(c.verified("bob", "$6$salt$hash", "secret"));
        assertEquals(1, c.hits());
    }

    @Test
    void positiveEntriesExpireAfterTheTtl() {
        CredentialCache c = cache(1 << 20);
        c.rememberSuccess("alice", "h", "pw");
        now.addAndGet(Duration.ofMinutes(59).toNanos());
        assertTrue(c.verified("alice", "h", "pw"));
        now.addAndGet(Duration.ofMinutes(2).toNanos());
        assertFalse(c.verified("alice", "h", "pw"));
    }

    @Test
    void negativeEntriesHonourTtlAndGeneration() {
        CredentialCache c = cache(1 << 20);
        c.rememberUnknown("ghost", "gen1");
        assertTrue(c.knownUnknown("ghost", "gen1"));
        assertFalse(c.knownUnknown("ghost", "gen2"));
        now.addAndGet(Duration.ofMinutes(11).toNanos());
        assertFalse(c.knownUnknown("ghost", "gen1"));
    }

    @Test
    void sizeBoundEvictsLeastRecentlyUsed() {
        CredentialCache c = cache(1000); // room for a handful of entries
        for (int i = 0; i < 100; i++) {
            c.rememberSuccess("user" + i, "h", "pw");
        }
        assertTrue(c.size() < 10, "size " + c.size());
        assertTrue(c.verified("user99", "h", "pw"));
        assertFalse(c.verified("user0", "h", "pw"));
    }

    @Test
    void sizeZeroDisablesCaching() {
        CredentialCache c = cache(0);
        c.rememberSuccess("alice", "h", "pw");
        c.rememberUnknown("ghost", null);
        assertFalse(c.verified("alice", "h", "pw"));
        assertFalse(c.knownUnknown("ghost", null));
        assertFalse(c.enabled());
    }
}
