package org.jmail.queue;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Queue ids in Postfix's short form: twelve upper-case hexadecimal digits, e.g.
 * {@code 0633F1A2B4C7}. An id is the low 48 bits of a strictly increasing microsecond
 * clock, so ids are unique across threads (one atomic counter) and across restarts (the
 * wall clock has moved on; {@link #observe} lifts the counter above ids already in the
 * queue in case the clock was stepped back). The 48-bit space wraps every 8.9 years, far
 * beyond any queue lifetime.
 *
 * <p>Because the id is time-ordered, {@code Message-Id: <YYYYMMDDhhmmss.ID@host>} built from
 * it is unique too.
 */
public final class QueueIds {

    static final int LENGTH = 12;
    private static final long MASK = (1L << 48) - 1;
    /** Existing ids this far "ahead" of the clock are taken as a clock step back (about 12 days). */
    private static final long FUTURE_WINDOW = 1L << 40;
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private final AtomicLong last = new AtomicLong();

    /** A new id, never returned before by this generator. */
    public String next() {
        long now = nowMicros();
        long v;
        while (true) {
            long prev = last.get();
            v = Math.max(prev + 1, now);
            if (last.compareAndSet(prev, v)) {
                break;
            }
        }
        return format(v & MASK);
    }

    /** Makes sure later ids sort after {@code existing} when it looks newer than the clock. */
    public void observe(String existing) {
        if (!isQueueId(existing)) {
            return;
        }
        long e = Long.parseLong(existing, 16);
        long now = nowMicros();
        long n = now & MASK;
        long ahead = (e - n) & MASK;
        if (ahead > 0 && ahead < FUTURE_WINDOW) {
            long target = now + ahead;
            last.accumulateAndGet(target, Math::max);
        }
    }

    /** True for a name that is a queue id as this class makes them. */
    public static boolean isQueueId(String s) {
        if (s == null || s.length() != LENGTH) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'A' && c <= 'F')) {
                return false;
            }
        }
        return true;
    }

    private static long nowMicros() {
        Instant t = Instant.now();
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
    }

    private static String format(long v) {
        char[] out = new char[LENGTH];
        for (int i = LENGTH - 1; i >= 0; i--) {
            out[i] = HEX[(int) (v & 0xF)];
            v >>>= 4;
        }
        return new String(out);
    }
}
