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

/**
 * Group commit for queue directory entries. A rename into {@code active/} (or an unlink)
 * becomes durable only when the directory is fsync'd; one fsync covers every entry changed
 * before it started. Callers hand their directory to {@link #sync} and block. There is no
 * committer thread: the first caller that finds no fsync running becomes the leader, takes
 * everything queued so far, fsyncs each distinct directory once and releases the whole
 * batch; callers that came meanwhile wait, and one of them leads the next batch. Under load
 * N concurrent sessions share one directory fsync instead of paying N, and the leader pays
 * no thread hand-off.
 *
 * <p>Correctness: a request is released only by an fsync that began after the request was
 * queued, hence after the caller's rename or unlink returned. An fsync failure is reported to
 * every caller of that batch as an IOException (their change may not be durable).
 */
final class GroupCommitter implements AutoCloseable {

    private static final class Request {
        final Path dir;
        boolean done;
        IOException failure;

        Request(Path dir) {
            this.dir = dir;
        }
    }

    private final Object lock = new Object();
    private List<Request> pending = new ArrayList<>();
    private boolean syncing;
    private boolean running = true;
    /** Directory channels; used only by the current leader (one at a time). */
    private final Map<Path, FileChannel> channels = new HashMap<>();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();

    GroupCommitter(String name) {
        // name kept for the callers' sake: there is no thread any more
    }

    /** Returns once an fsync of {@code dir} that started after this call has completed. */
    void sync(Path dir) throws IOException {
        Request r = new Request(dir);
        boolean interrupted = false;
        synchronized (lock) {
            if (!running) {
                throw new IOException("queue is closed");
            }
            pending.add(r);
        }
        while (true) {
            List<Request> batch;
            synchronized (lock) {
                while (!r.done && syncing) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        interrupted = true; // the change is in flight; wait for its fate anyway
                    }
                }
                if (r.done) {
                    break;
                }
                syncing = true;
                batch = pending;
                pending = new ArrayList<>();
            }
            Map<Path, IOException> failures = syncAll(batch);
            synchronized (lock) {
                for (Request q : batch) {
                    q.failure = failures.get(q.dir);
                    q.done = true;
                }
                syncing = false;
                lock.notifyAll();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (r.failure != null) {
            throw new IOException("fsync " + dir + ": " + r.failure.getMessage(), r.failure);
        }
    }

    private Map<Path, IOException> syncAll(List<Request> batch) {
        Set<Path> dirs = new LinkedHashSet<>();
        for (Request q : batch) {
            dirs.add(q.dir);
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
        return failures;
    }

    /** Directory fsyncs done so far. */
    long batches() {
        return batches.get();
    }

    /** Sync requests served so far (requests / batches = average group size). */
    long requests() {
        return requests.get();
    }

    private FileChannel channel(Path dir) throws IOException {
        FileChannel ch = channels.get(dir);
        if (ch == null) {
            ch = FileChannel.open(dir, StandardOpenOption.READ);
            channels.put(dir, ch);
        }
        return ch;
    }

    /** Later syncs fail; one in progress completes. */
    @Override
    public void close() {
        synchronized (lock) {
            running = false;
            while (syncing) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            for (FileChannel ch : channels.values()) {
                closeQuietly(ch);
            }
            channels.clear();
        }
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
