package org.jmail.log;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Decouples log writers from the log's I/O: a mail session appends a record to a queue and
 * goes on; one thread writes records in batches. Bounded so that a stuck log can't eat the
 * heap: when full, the caller writes synchronously (slower, never lost).
 *
 * <p>Wake-ups are what cost under load (a futex wake and a context switch per line), so the
 * writer, after writing a batch, sleeps {@link #LINGER_NANOS} and takes whatever came
 * meanwhile; a writer only has to be woken when it found the queue empty and went to sleep
 * for good. A line therefore reaches the log at most a few milliseconds after it was written,
 * and an idle daemon's writer does not wake at all.
 */
abstract class AsyncSink implements LogSink {

    record Rec(long millis, int severity, String tag, String message) {
    }

    private static final int CAPACITY = 100_000;
    private static final long LINGER_NANOS = 5_000_000L;

    private final ConcurrentLinkedQueue<Rec> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final Thread writer;
    private volatile boolean closed;
    /** Set by the writer before it parks without a timeout; writers of records then unpark it. */
    private volatile boolean idle;

    AsyncSink(String name) {
        writer = new Thread(this::run, name);
        writer.setDaemon(true);
    }

    void startWriter() {
        writer.start();
    }

    @Override
    public void write(int severity, String tag, String message) {
        Rec r = new Rec(System.currentTimeMillis(), severity, tag, message);
        if (closed || size.incrementAndGet() > CAPACITY) {
            if (!closed) {
                size.decrementAndGet();
            }
            synchronized (this) {
                writeBatch(List.of(r));
            }
            return;
        }
        queue.add(r);
        if (idle) {
            idle = false;
            LockSupport.unpark(writer);
        }
    }

    private void run() {
        List<Rec> batch = new ArrayList<>();
        while (true) {
            try {
                synchronized (this) { // drain and write under one lock: flush() must not overtake
                    drain(batch, 1000);
                    if (!batch.isEmpty()) {
                        writeBatch(batch);
                    }
                }
                if (batch.isEmpty()) {
                    if (closed) {
                        return;
                    }
                    idle = true;
                    if (queue.isEmpty() && !closed) { // re-check: a record may have come before idle was set
                        LockSupport.parkNanos(this, 200_000_000L);
                    }
                    idle = false;
                    continue;
                }
                batch.clear();
                LockSupport.parkNanos(this, LINGER_NANOS); // let more lines gather
            } catch (RuntimeException e) {
                batch.clear();
            }
        }
    }

    private void drain(List<Rec> into, int max) {
        Rec r;
        while (into.size() < max && (r = queue.poll()) != null) {
            size.decrementAndGet();
            into.add(r);
        }
    }

    /** Writes and flushes the records, in order. */
    abstract void writeBatch(List<Rec> records);

    /** Writes what is queued, then stops the writer. */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(writer);
        List<Rec> rest = new ArrayList<>();
        synchronized (this) {
            drain(rest, Integer.MAX_VALUE);
            if (!rest.isEmpty()) {
                writeBatch(rest);
            }
            closeOutput();
        }
    }

    /** Flushes everything queued so far (tests, shutdown). */
    public void flush() {
        List<Rec> rest = new ArrayList<>();
        synchronized (this) {
            drain(rest, Integer.MAX_VALUE);
            if (!rest.isEmpty()) {
                writeBatch(rest);
            }
        }
    }

    abstract void closeOutput();
}
