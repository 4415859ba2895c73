package org.jmail.smtp;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Postfix's scache for one daemon: idle SMTP connections by next hop, so that the next message
 * to the same destination skips connect, greeting, EHLO, STARTTLS and AUTH. A connection stays
 * at most {@code smtp_connection_cache_time_limit} (2s) idle and is used for at most
 * {@code smtp_connection_reuse_time_limit} (300s) in all; then it gets QUIT and is closed.
 * Unlike Postfix (smtp_tls_connection_reuse = no), TLS connections are cached too: one process
 * keeps the TLS state, so nothing stands in the way. Thread-safe; one shared reaper thread.
 */
final class ConnectionCache {

    private static final ScheduledExecutorService REAPER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "smtp-connection-cache");
        t.setDaemon(true);
        return t;
    });

    private final Map<String, Deque<SmtpConnection>> idle = new ConcurrentHashMap<>();
    private final long idleLimitNanos;
    private final long reuseLimitNanos;

    ConnectionCache(Duration idleLimit, Duration reuseLimit) {
        this.idleLimitNanos = idleLimit.toNanos();
        this.reuseLimitNanos = reuseLimit.toNanos();
        long period = Math.max(100, Math.min(1000, idleLimit.toMillis() / 2));
        java.lang.ref.WeakReference<ConnectionCache> self = new java.lang.ref.WeakReference<>(this);
        java.util.concurrent.ScheduledFuture<?>[] task = new java.util.concurrent.ScheduledFuture<?>[1];
        task[0] = REAPER.scheduleWithFixedDelay(() -> {
            ConnectionCache c = self.get();
            if (c == null) {
                task[0].cancel(false); // the agent was dropped (reload)
            } else {
                c.reap();
            }
        }, period, period, TimeUnit.MILLISECONDS);
    }

    /** An idle connection for this next hop, or null; the caller owns it until {@link #put}. */
    SmtpConnection take(String key) {
        Deque<SmtpConnection> q = idle.get(key);
        if (q == null) {
            return null;
        }
        long now = System.nanoTime();
        while (true) {
            SmtpConnection c;
            synchronized (q) {
                c = q.pollLast(); // the most recently used: the least likely to have timed out
            }
            if (c == null) {
                return null;
            }
            if (now - c.idleSince < idleLimitNanos && now - c.createdAt < reuseLimitNanos) {
                return c;
            }
            c.quit();
        }
    }

    /** Keeps a connection in step for the next message, or closes it when it is too old. */
    void put(String key, SmtpConnection c) {
        long now = System.nanoTime();
        if (now - c.createdAt >= reuseLimitNanos || idleLimitNanos <= 0) {
            c.quit();
            return;
        }
        c.idleSince = now;
        Deque<SmtpConnection> q = idle.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (q) {
            q.addLast(c);
        }
    }

    int idleCount() {
        int n = 0;
        for (Deque<SmtpConnection> q : idle.values()) {
            synchronized (q) {
                n += q.size();
            }
        }
        return n;
    }

    void reap() {
        long now = System.nanoTime();
        for (Deque<SmtpConnection> q : idle.values()) {
            synchronized (q) {
                for (Iterator<SmtpConnection> it = q.iterator(); it.hasNext(); ) {
                    SmtpConnection c = it.next();
                    if (now - c.idleSince >= idleLimitNanos) {
                        it.remove();
                        REAPER.execute(c::quit);
                    }
                }
            }
        }
    }

    void closeAll() {
        for (Deque<SmtpConnection> q : idle.values()) {
            synchronized (q) {
                q.forEach(SmtpConnection::quit);
                q.clear();
            }
        }
    }
}
