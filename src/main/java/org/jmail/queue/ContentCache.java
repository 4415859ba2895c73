package org.jmail.queue;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory budget for message contents kept between cleanup and delivery. A message whose
 * content fits (and is small, see {@link #MAX_ENTRY}) is delivered from memory; otherwise the
 * delivery agent reads the queue file. The budget keeps a backlog of queued mail from
 * filling the heap.
 */
final class ContentCache {

    /** Largest content kept in memory. */
    static final int MAX_ENTRY = 256 * 1024;

    private final long limit;
    private final AtomicLong used = new AtomicLong();

    ContentCache(long limit) {
        this.limit = limit;
    }

    /** Reserves {@code n} bytes; false when the budget is exhausted or the entry too large. */
    boolean reserve(long n) {
        if (n > MAX_ENTRY) {
            return false;
        }
        while (true) {
            long u = used.get();
            if (u + n > limit) {
                return false;
            }
            if (used.compareAndSet(u, u + n)) {
                return true;
            }
        }
    }

    void release(long n) {
        used.addAndGet(-n);
    }

    long used() {
        return used.get();
    }
}
