package org.jmail.local;

import java.util.concurrent.ConcurrentHashMap;
import org.jmail.posix.Posix;
import org.jmail.posix.UnixUser;

/**
 * passwd lookups for local delivery, with a short cache of positive answers: glibc re-reads
 * {@code /etc/passwd} on every getpwnam(3), which adds up at hundreds of deliveries a second.
 * Absent users are not cached, so a freshly added account receives mail at once.
 */
class Accounts {

    private static final long TTL_NANOS = 10_000_000_000L;

    private record Cached(UnixUser user, long expires) {
    }

    private final ConcurrentHashMap<String, Cached> byName = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Integer, Cached> byUid = new ConcurrentHashMap<>();

    /** getpwnam(3) of {@code name}, or null. */
    UnixUser byName(String name) {
        long now = System.nanoTime();
        Cached c = byName.get(name);
        if (c != null && now - c.expires < 0) {
            return c.user;
        }
        UnixUser u = Posix.getpwnam(name);
        if (u != null) {
            byName.put(name, new Cached(u, now + TTL_NANOS));
        } else {
            byName.remove(name);
        }
        return u;
    }

    /** getpwuid(3) of {@code uid}, or null. */
    UnixUser byUid(int uid) {
        long now = System.nanoTime();
        Cached c = byUid.get(uid);
        if (c != null && now - c.expires < 0) {
            return c.user;
        }
        UnixUser u = Posix.getpwuid(uid);
        if (u != null) {
            byUid.put(uid, new Cached(u, now + TTL_NANOS));
        }
        return u;
    }
}
