package org.jmail.mailbox;

import java.time.Duration;

/**
 * How hard to try for a mailbox lock, and which locks to take.
 *
 * @param maxWait        give up after this long (Postfix: deliver_lock_attempts x deliver_lock_delay)
 * @param maxDelay       longest pause between two attempts (backoff starts at a few ms)
 * @param staleAfter     a dotlock without a live owner pid older than this is removed
 *                       (liblockfile: 5 minutes)
 * @param dotlock        create {@code <file>.lock} (Debian's mail tools expect it)
 * @param dotlockMayFail when the lock file can't be created for a reason other than "exists"
 *                       (no write permission in the directory), go on with the kernel lock
 *                       only, as Postfix does for /file deliveries
 */
public record LockPolicy(Duration maxWait, Duration maxDelay, Duration staleAfter, boolean dotlock,
                         boolean dotlockMayFail) {

    /** Postfix's defaults (20 attempts, 1 s apart) and liblockfile's 5-minute stale time. */
    public static LockPolicy defaults() {
        return new LockPolicy(Duration.ofSeconds(20), Duration.ofSeconds(1), Duration.ofMinutes(5), true, false);
    }

    public LockPolicy withDotlockMayFail(boolean mayFail) {
        return new LockPolicy(maxWait, maxDelay, staleAfter, dotlock, mayFail);
    }

    public LockPolicy withMaxWait(Duration wait) {
        return new LockPolicy(wait, maxDelay, staleAfter, dotlock, dotlockMayFail);
    }
}
