package org.jmail.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Dovecot's auth cache ({@code auth_cache_size}, {@code auth_cache_ttl},
 * {@code auth_cache_negative_ttl}), shaped so that a repeat login skips the slow password
 * hash (yescrypt costs ~80 ms; IMAP clients log in again and again).
 *
 * <p><b>Positive entries</b>: after a password verified against a credential, the cache keeps
 * HMAC-SHA256(key; user, credential, password) with a random key made per process, never the
 * password. A later login is a hit only when the passdb still returns the same credential
 * string (a changed hash in shadow or the passwd-file invalidates it at once) and the HMAC of
 * the offered password matches, within {@code auth_cache_ttl}. A wrong password is simply a
 * miss and goes to the real hash check, so a cached success never lets a different password in
 * and never refuses the right one.
 *
 * <p><b>Negative entries</b>, as Dovecot's: per user, for "unknown user" only, for
 * {@code auth_cache_negative_ttl}, and also dropped when the passdb's generation (its file
 * stamp) changes, so a newly added user is not refused for an hour. Password mismatches are
 * never cached: as in Dovecot (whose cache keeps the hash, not the verdict) the next attempt
 * with the corrected password is verified afresh.
 *
 * <p>Memory is bounded by {@code auth_cache_size} bytes (an estimate per entry); the least
 * recently used entries go first. Size 0 disables the cache. Thread-safe.
 */
public final class CredentialCache {

    /** Rough per-entry cost: map node, entry object, 32-byte MAC, key chars. */
    private static final int ENTRY_OVERHEAD = 160;

    private record Entry(byte[] mac, Object generation, long expiresNanos, int bytes) {
        boolean negative() {
            return mac == null;
        }
    }

    private final long maxBytes;
    private final long ttlNanos;
    private final long negativeTtlNanos;
    private final LongSupplier clock;
    private final byte[] key = new byte[32];
    private final ThreadLocal<Mac> macs;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(64, 0.75f, true);
    private long bytes;
    private long hits;
    private long misses;

    /**
     * @param maxBytes auth_cache_size; 0 disables
     * @param clock nanosecond clock ({@code System::nanoTime}; tests pass their own)
     */
    public CredentialCache(long maxBytes, Duration ttl, Duration negativeTtl, LongSupplier clock) {
        this.maxBytes = maxBytes;
        this.ttlNanos = ttl.toNanos();
        this.negativeTtlNanos = negativeTtl.toNanos();
        this.clock = clock;
        new SecureRandom().nextBytes(key);
        this.macs = ThreadLocal.withInitial(() -> {
            try {
                Mac m = Mac.getInstance("HmacSHA256");
                m.init(new SecretKeySpec(key, "HmacSHA256"));
                return m;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 unavailable", e);
            }
        });
    }

    public CredentialCache(long maxBytes, Duration ttl, Duration negativeTtl) {
        this(maxBytes, ttl, negativeTtl, System::nanoTime);
    }

    public boolean enabled() {
        return maxBytes > 0;
    }

    /** True when this exact password was verified against this exact credential within the TTL. */
    public boolean verified(String user, String credential, String password) {
        if (!enabled() || ttlNanos <= 0) {
            return false;
        }
        Entry e;
        synchronized (this) {
            e = entries.get(user);
            if (e == null || e.negative() || expired(e)) {
                misses++;
                return false;
            }
        }
        boolean hit = MessageDigest.isEqual(e.mac(), mac(user, credential, password));
        synchronized (this) {
            if (hit) {
                hits++;
            } else {
                misses++;
            }
        }
        return hit;
    }

    /** Remembers a successful verification. */
    public void rememberSuccess(String user, String credential, String password) {
        if (!enabled() || ttlNanos <= 0) {
            return;
        }
        byte[] mac = mac(user, credential, password);
        put(user, new Entry(mac, null, clock.getAsLong() + ttlNanos, ENTRY_OVERHEAD + 2 * user.length()));
    }

    /** True when {@code user} was unknown to the passdb in this generation, within the negative TTL. */
    public boolean knownUnknown(String user, Object generation) {
        if (!enabled() || negativeTtlNanos <= 0) {
            return false;
        }
        synchronized (this) {
            Entry e = entries.get(user);
            return e != null && e.negative() && !expired(e) && Objects.equals(e.generation(), generation);
        }
    }

    public void rememberUnknown(String user, Object generation) {
        if (!enabled() || negativeTtlNanos <= 0) {
            return;
        }
        put(user, new Entry(null, generation, clock.getAsLong() + negativeTtlNanos,
                ENTRY_OVERHEAD + 2 * user.length()));
    }

    /** Drops whatever is cached for {@code user} (a failed verification after a change). */
    public synchronized void forget(String user) {
        Entry e = entries.remove(user);
        if (e != null) {
            bytes -= e.bytes();
        }
    }

    /** Empties the cache (Dovecot's {@code doveadm auth cache flush}). */
    public synchronized void flush() {
        entries.clear();
        bytes = 0;
    }

    public synchronized int size() {
        return entries.size();
    }

    public synchronized long hits() {
        return hits;
    }

    public synchronized long misses() {
        return misses;
    }

    private synchronized void put(String user, Entry e) {
        Entry old = entries.put(user, e);
        if (old != null) {
            bytes -= old.bytes();
        }
        bytes += e.bytes();
        Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
        while (bytes > maxBytes && it.hasNext()) {
            bytes -= it.next().getValue().bytes();
            it.remove();
        }
    }

    private boolean expired(Entry e) {
        return clock.getAsLong() - e.expiresNanos() > 0;
    }

    private byte[] mac(String user, String credential, String password) {
        Mac m = macs.get();
        // length-prefixed fields: no two (user, credential, password) triples share an input
        update(m, user);
        update(m, credential);
        update(m, password);
        return m.doFinal();
    }

    private static void update(Mac m, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        m.update((byte) (b.length >>> 24));
        m.update((byte) (b.length >>> 16));
        m.update((byte) (b.length >>> 8));
        m.update((byte) b.length);
        m.update(b);
    }
}
