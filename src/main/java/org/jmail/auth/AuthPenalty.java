package org.jmail.auth;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Dovecot's auth penalty (anvil's PENALTY-GET/INC, auth-penalty.c): every failed login from
 * an IP raises its penalty by one (not when the same user and password are retried), and the
 * next attempt from that IP waits {@code 2 << penalty} seconds, at most 15, before it is
 * checked. The penalty decays by one for every {@link #toSeconds}(13, 12, …) seconds without
 * a new failure and is cleared by a successful login. IPv6 clients are tracked per /48 so
 * that one host can't dodge it with fresh addresses. Instead of disconnecting after a few
 * failures (Dovecot doesn't), this makes password guessing slow.
 *
 * <p>Bounded: at most {@link #MAX_TRACKED} addresses are kept, the least recently failed go
 * first. Thread-safe.
 */
final class AuthPenalty {

    static final int INIT_SECS = 2;
    static final int MAX_SECS = 15;
    static final int MAX_PENALTY = 13;
    static final int MAX_TRACKED = 100_000;

    private record Entry(int penalty, long lastMillis, int checksum) {
    }

    interface Clock {
        long millis();
    }

    private final Clock clock;
    private final Map<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            return size() > MAX_TRACKED;
        }
    };

    AuthPenalty(Clock clock) {
        this.clock = clock;
    }

    AuthPenalty() {
        this(System::currentTimeMillis);
    }

    /** Dovecot's auth_penalty_to_secs(). */
    static int toSeconds(int penalty) {
        long secs = INIT_SECS;
        for (int i = 0; i < penalty && secs < MAX_SECS; i++) {
            secs *= 2;
        }
        return (int) Math.min(secs, MAX_SECS);
    }

    /** The current penalty of {@code ip} after decay (0 = none). */
    synchronized int penalty(InetAddress ip) {
        Entry e = entries.get(ident(ip));
        return e == null ? 0 : decayed(e);
    }

    /** How long an attempt from {@code ip} waits before it is checked; 0 without penalty. */
    long delayMillis(InetAddress ip) {
        int p = penalty(ip);
        return p == 0 ? 0 : toSeconds(p) * 1000L;
    }

    /** A failed login of {@code user} with {@code password} from {@code ip}. */
    synchronized void failed(InetAddress ip, String user, String password) {
        String key = ident(ip);
        Entry e = entries.get(key);
        int checksum = (user + "\0" + password).hashCode();
        int p = e == null ? 0 : decayed(e);
        if (e == null || e.checksum != checksum || p == 0) {
            p = Math.min(MAX_PENALTY, p + 1);
        }
        entries.put(key, new Entry(p, clock.millis(), checksum));
    }

    /** A successful login clears the address's penalty. */
    synchronized void succeeded(InetAddress ip) {
        entries.remove(ident(ip));
    }

    private int decayed(Entry e) {
        long idleSecs = (clock.millis() - e.lastMillis) / 1000;
        int penalty = e.penalty;
        int drop = MAX_PENALTY;
        while (penalty > 0 && idleSecs >= toSeconds(drop)) {
            drop--;
            penalty--;
        }
        return penalty;
    }

    private static String ident(InetAddress ip) {
        if (ip instanceof Inet6Address) {
            byte[] b = ip.getAddress();
            for (int i = 6; i < b.length; i++) {
                b[i] = 0;
            }
            try {
                return InetAddress.getByAddress(b).getHostAddress();
            } catch (java.net.UnknownHostException e) {
                return ip.getHostAddress();
            }
        }
        return ip.getHostAddress();
    }
}
