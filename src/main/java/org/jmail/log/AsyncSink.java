package org.jmail.log;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Decouples log writers from the log's I/O: a mail session appends a record to a queue and
 * goes on; one thread writes records in batches. Bounded so that a stuck log can't eat the
 * heap: when full, the caller writes synchronously (slower, never lost).
 */
abstract class AsyncSink implements LogSink {

    record Rec(long millis, int severity, String tag, String message) {
    }

    private final LinkedBlockingQueue<Rec> queue = new LinkedBlockingQueue<>(100_000);
    private final Thread writer;
    private volatile boolean closed;

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
        if (closed || !queue.offer(r)) {
            synchronized (this) {
                writeBatch(List.of(r));
            }
        }
    }

    private void run() {
        List<Rec> batch = new ArrayList<>();
        while (true) {
            try {
                Rec first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (closed) {
                        return;
                    }
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, 1000);
                synchronized (this) {
                    writeBatch(batch);
                }
                batch.clear();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                batch.clear();
            }
        }
    }

    /** Writes and flushes the records, in order. */
    abstract void writeBatch(List<Rec> records);

    /** Writes what is queued, then stops the writer. */
    @Override
    public void close() {
        closed = true;
        List<Rec> rest = new ArrayList<>();
        queue.drainTo(rest);
        synchronized (this) {
            if (!rest.isEmpty()) {
                writeBatch(rest);
            }
            closeOutput();
        }
    }

    /** Flushes everything queued so far (tests, shutdown). */
    public void flush() {
        List<Rec> rest = new ArrayList<>();
        queue.drainTo(rest);
        synchronized (this) {
            if (!rest.isEmpty()) {
                writeBatch(rest);
            }
        }
    }

    abstract void closeOutput();
}
