package org.jmail.mailbox;

import java.time.Duration;

/** Sleeps between lock attempts: 5 ms doubling up to a cap, until a deadline. */
final class Backoff {
    private final long deadlineNanos;
    private final long maxDelayMillis;
    private long nextMillis = 5;

    Backoff(Duration maxWait, Duration maxDelay) {
        this.deadlineNanos = System.nanoTime() + maxWait.toNanos();
        this.maxDelayMillis = Math.max(1, maxDelay.toMillis());
    }

    /** Sleeps and returns true, or returns false when the deadline has passed. */
    boolean pause() throws InterruptedException {
        long left = (deadlineNanos - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            return false;
        }
        long sleep = Math.min(Math.min(nextMillis, maxDelayMillis), left);
        Thread.sleep(sleep);
        nextMillis = Math.min(nextMillis * 2, maxDelayMillis);
        return true;
    }

    long remainingNanos() {
        return Math.max(0, deadlineNanos - System.nanoTime());
    }
}
