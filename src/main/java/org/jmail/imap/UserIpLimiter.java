package org.jmail.imap;

import java.util.concurrent.ConcurrentHashMap;

/**
 * mail_max_userip_connections: how many sessions one user has open from one IP, shared by all
 * connections of one server. 0 or less means no limit.
 */
final class UserIpLimiter {

    private final ConcurrentHashMap<String, Integer> counts = new ConcurrentHashMap<>();

    boolean acquire(String key, int max) {
        boolean[] ok = {false};
        counts.compute(key, (k, v) -> {
            int n = v == null ? 0 : v;
            if (max > 0 && n >= max) {
                return v;
            }
            ok[0] = true;
            return n + 1;
        });
        return ok[0];
    }

    void release(String key) {
        counts.computeIfPresent(key, (k, v) -> v <= 1 ? null : v - 1);
    }

    int count(String key) {
        return counts.getOrDefault(key, 0);
    }
}
