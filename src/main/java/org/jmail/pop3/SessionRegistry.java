package org.jmail.pop3;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The POP3 sessions alive in this daemon, for the two limits Dovecot enforces across
 * connections: {@code mail_max_userip_connections} (Dovecot's anvil: sessions per user and
 * client address) and {@code pop3_lock_session} (one POP3 session per user). Shared by every
 * POP3 listener (110 and 995) of the process; thread-safe.
 */
final class SessionRegistry {

    static final SessionRegistry SHARED = new SessionRegistry();

    private final Map<String, Integer> perUserIp = new HashMap<>();
    private final Set<String> lockedUsers = new HashSet<>();

    /** Counts a session of {@code user} from {@code ip}; false when {@code max} are already open (0 = no limit). */
    synchronized boolean enter(String user, String ip, int max) {
        String key = user + "\0" + ip;
        int n = perUserIp.getOrDefault(key, 0);
        if (max > 0 && n >= max) {
            return false;
        }
        perUserIp.put(key, n + 1);
        return true;
    }

    synchronized void leave(String user, String ip) {
        String key = user + "\0" + ip;
        Integer n = perUserIp.get(key);
        if (n == null || n <= 1) {
            perUserIp.remove(key);
        } else {
            perUserIp.put(key, n - 1);
        }
    }

    /** Takes the user's POP3 session lock; false when another session holds it. */
    synchronized boolean lock(String user) {
        return lockedUsers.add(user);
    }

    synchronized void unlock(String user) {
        lockedUsers.remove(user);
    }
}
