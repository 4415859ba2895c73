package org.jmail.posix;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Remembers getpwnam(3) answers (positive and negative) while {@code /etc/passwd} is
 * unchanged. glibc's NSS "files" backend opens and reads {@code /etc/passwd} on every call;
 * smtpd's recipient check and local delivery ask for the same few names hundreds of times a
 * second.
 *
 * <p>Validity: the file's identity (inode, size, mtime, ctime) is looked at, at most once per
 * {@code checkNanos}; when it changed (useradd, vipw and adduser replace or rewrite the file)
 * every answer is forgotten. So a new or removed account is seen within a second. Accounts
 * that come from other NSS sources (LDAP…) are cached until the file changes or
 * {@code maxAgeNanos} passes. Thread-safe; lookups of a cached name take no lock.
 */
final class PasswdCache<V> {

    private record Stamped<V>(Optional<V> value, long loadedAt) {
    }

    private final Supplier<Object> fileStamp;
    private final Function<String, V> lookup;
    private final LongSupplier clock;
    private final long checkNanos;
    private final long maxAgeNanos;
    private final ConcurrentHashMap<String, Stamped<V>> entries = new ConcurrentHashMap<>();
    private volatile Object stamp;
    private volatile long checkedAt;

    /**
     * @param fileStamp what identifies the current passwd file version (null when unreadable:
     *                  then nothing is cached)
     * @param lookup    the real lookup; null means "no such account"
     */
    PasswdCache(Supplier<Object> fileStamp, Function<String, V> lookup, LongSupplier clock, long checkNanos,
                long maxAgeNanos) {
        this.fileStamp = fileStamp;
        this.lookup = lookup;
        this.clock = clock;
        this.checkNanos = checkNanos;
        this.maxAgeNanos = maxAgeNanos;
        this.checkedAt = clock.getAsLong() - checkNanos - 1;
    }

    V get(String name) {
        long now = clock.getAsLong();
        if (now - checkedAt > checkNanos) {
            revalidate(now);
        }
        Stamped<V> s = entries.get(name);
        if (s != null && now - s.loadedAt() <= maxAgeNanos) {
            return s.value().orElse(null);
        }
        V v = lookup.apply(name);
        if (stamp != null) {
            entries.put(name, new Stamped<>(Optional.ofNullable(v), now));
        }
        return v;
    }

    private synchronized void revalidate(long now) {
        if (now - checkedAt <= checkNanos) {
            return; // another thread just did
        }
        Object current = fileStamp.get();
        if (current == null || !current.equals(stamp)) {
            entries.clear();
        }
        stamp = current;
        checkedAt = now;
    }
}
