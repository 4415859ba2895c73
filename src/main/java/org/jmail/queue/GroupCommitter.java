package org.jmail.queue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Group commit for queue directory entries. A rename into {@code active/} (or an unlink)
 * becomes durable only when the directory is fsync'd; one fsync covers every entry changed
 * before it started. Callers hand their directory to {@link #sync} and block; one committer
 * thread takes everything that queued up while the previous fsync ran, fsyncs each distinct
 * directory once, and releases the whole batch. Under load N concurrent sessions share one
 * directory fsync instead of paying N.
 *
 * <p>Correctness: a request is released only by an fsync that began after the request was
 * queued, hence after the caller's rename or unlink returned. An fsync failure is reported to
 * every caller of that batch as an IOException (their change may not be durable).
 */
final class GroupCommitter implements AutoCloseable {

    private static final class Request {
        final Path dir;
        final Thread waiter;
        volatile boolean done;
        volatile IOException failure;

        Request(Path dir) {
            this.dir = dir;
            this.waiter = Thread.currentThread();
        }
    }

    private final Object lock = new Object();
    private List<Request> pending = new ArrayList<>();
    private final Map<Path, FileChannel> channels = new HashMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();

    GroupCommitter(String name) {
        thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Returns once an fsync of {@code dir} that started after this call has completed. */
    void sync(Path dir) throws IOException {
        Request r = new Request(dir);
        synchronized (lock) {
            if (!running) {
                throw new IOException("queue is closed");
            }
            pending.add(r);
            lock.notify();
        }
        boolean interrupted = false;
        while (!r.done) {
            LockSupport.park(this);
            if (Thread.interrupted()) {
                interrupted = true; // the change is in flight; wait for its fate anyway
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (r.failure != null) {
            throw new IOException("fsync " + dir + ": " + r.failure.getMessage(), r.failure);
        }
    }

    /** Directory fsyncs done so far. */
    long batches() {
        return batches.get();
    }

    /** Sync requests served so far (requests / batches = average group size). */
    long requests() {
        return requests.get();
    }

    private void run() {
        while (true) {
            List<Request> batch;
            synchronized (lock) {
                while (pending.isEmpty() && running) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        // keep serving: callers are waiting
                    }
                }
                if (pending.isEmpty()) {
                    return;
                }
                batch = pending;
                pending = new ArrayList<>();
            }
            Set<Path> dirs = new LinkedHashSet<>();
            for (Request r : batch) {
                dirs.add(r.dir);
            }
            Map<Path, IOException> failures = new HashMap<>();
            for (Path d : dirs) {
                try {
                    channel(d).force(true);
                } catch (IOException e) {
                    failures.put(d, e);
                    closeQuietly(channels.remove(d));
                }
            }
            batches.incrementAndGet();
            requests.addAndGet(batch.size());
            for (Request r : batch) {
                r.failure = failures.get(r.dir);
                r.done = true;
                LockSupport.unpark(r.waiter);
            }
        }
    }

    private FileChannel channel(Path dir) throws IOException {
        FileChannel ch = channels.get(dir);
        if (ch == null) {
            ch = FileChannel.open(dir, StandardOpenOption.READ);
            channels.put(dir, ch);
        }
        return ch;
    }

    @Override
    public void close() {
        synchronized (lock) {
            running = false;
            lock.notifyAll();
        }
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (FileChannel ch : channels.values()) {
            closeQuietly(ch);
        }
        channels.clear();
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing left to do
            }
        }
    }
}
