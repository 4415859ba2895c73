package org.jmail.qmgr;

import java.time.Duration;
import java.time.Instant;

/**
 * Postfix's per-recipient delivery log line (log_adhoc.c):
 * {@code ID: to=<rcpt>, orig_to=<orig>, relay=local, delay=0.12, delays=0.01/0.01/0/0.1,
 * dsn=2.0.0, status=sent (delivered to mailbox)}. {@code orig_to} appears only when it
 * differs (ignoring case). The four delays are: before the queue manager (arrival to
 * activation), in the queue manager (activation to hand-off), connection set-up (0: agents
 * do not report it), transmission (hand-off to report). Numbers are formatted like Postfix's
 * format_tv(3): two significant digits, at most {@code delay_logging_resolution_limit}
 * decimals, large values rounded to whole seconds.
 */
final class DeliveryLog {

    private static final int[] POW10 = {1, 10, 100, 1000, 10000, 100000, 1000000};

    private DeliveryLog() {
    }

    /**
     * @param handoff when the agent got the request, or null when the queue manager itself
     *                decided (no agent, resolver failure)
     */
    static String line(String id, String to, String orig, String relay, Instant arrival, Instant active,
                       Instant handoff, Instant now, String dsn, String status, String text, int maxDigits) {
        StringBuilder b = new StringBuilder(160);
        b.append(id).append(": to=<").append(to).append('>');
        if (orig != null && !orig.isEmpty() && !orig.equalsIgnoreCase(to)) {
            b.append(", orig_to=<").append(orig).append('>');
        }
        b.append(", relay=").append(relay);
        b.append(", delay=");
        tv(b, between(arrival, now), maxDigits);
        b.append(", delays=");
        tv(b, between(arrival, active), maxDigits);
        b.append('/');
        tv(b, between(active, handoff != null ? handoff : now), maxDigits);
        b.append("/0/");
        tv(b, handoff != null ? between(handoff, now) : Duration.ZERO, maxDigits);
        b.append(", dsn=").append(dsn).append(", status=").append(status).append(" (").append(text).append(')');
        return b.toString();
    }

    private static Duration between(Instant a, Instant b) {
        Duration d = Duration.between(a, b);
        return d.isNegative() ? Duration.ZERO : d;
    }

    private static void tv(StringBuilder b, Duration d, int maxDigits) {
        formatTv(b, d.getSeconds(), d.getNano() / 1000, 2, Math.max(0, Math.min(6, maxDigits)));
    }

    /** Postfix's format_tv(): limited significant digits, trailing zeros dropped. */
    static void formatTv(StringBuilder b, long sec, long usec, int sigDig, int maxDig) {
        long ures = 1_000_000 / POW10[maxDig];
        long wid = POW10[sigDig];
        if (ures < 1_000_000) {
            if (sec > 0) {
                long n = 1;
                while (sec >= n && n <= wid / 10) {
                    n *= 10;
                }
                ures = (1_000_000 / wid) * n;
            } else {
                while (usec >= wid * ures) {
                    ures *= 10;
                }
            }
        }
        if (ures > 1) {
            usec += ures / 2;
            if (usec >= 1_000_000) {
                sec += 1;
                usec -= 1_000_000;
            }
        }
        b.append(sec);
        if (usec >= ures) {
            b.append('.');
            long rem = usec;
            for (long n = 100_000; rem >= ures && n > 0; n /= 10) {
                b.append((char) ('0' + rem / n));
                rem %= n;
            }
        }
    }
}
