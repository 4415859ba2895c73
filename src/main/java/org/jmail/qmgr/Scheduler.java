package org.jmail.qmgr;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;

/**
 * Postfix's per-destination concurrency, simplified: delivery requests wait in a FIFO per
 * destination (transport + next hop, or transport + recipient for transports with a
 * recipient limit of 1, such as local); a destination runs at most its concurrency limit of
 * requests at once, and all destinations together at most {@code maxInFlight}. Ready
 * destinations are served round-robin, so one busy destination does not starve the others:
 * deliveries to different mailboxes run in parallel, to the same mailbox at most
 * {@code local_destination_concurrency_limit} at a time.
 */
final class Scheduler {

    private static final class Destination {
        final String key;
        final int limit;
        final ArrayDeque<Delivery> waiting = new ArrayDeque<>();
        int busy;
        boolean ready;

        Destination(String key, int limit) {
            this.key = key;
            this.limit = Math.max(1, limit);
        }
    }

    private final Object lock = new Object();
    private final Map<String, Destination> destinations = new HashMap<>();
    private final ArrayDeque<Destination> ready = new ArrayDeque<>();
    private final int maxInFlight;
    private final ToIntFunction<String> concurrencyOfTransport;
    private final Executor executor;
    private final Consumer<Delivery> run;
    private int inFlight;

    /**
     * @param run what a worker does with a dispatched request; it must call {@link #completed}
     */
    Scheduler(int maxInFlight, ToIntFunction<String> concurrencyOfTransport, Executor executor, Consumer<Delivery> run) {
        this.maxInFlight = Math.max(1, maxInFlight);
        this.concurrencyOfTransport = concurrencyOfTransport;
        this.executor = executor;
        this.run = run;
    }

    void submit(List<Delivery> requests) {
        List<Delivery> start;
        synchronized (lock) {
            for (Delivery d : requests) {
                Destination dest = destinations.computeIfAbsent(d.destinationKey,
                        k -> new Destination(k, concurrencyOfTransport.applyAsInt(d.transport)));
                dest.waiting.add(d);
                makeReady(dest);
            }
            start = dispatch();
        }
        launch(start);
    }

    void completed(Delivery d) {
        List<Delivery> start;
        synchronized (lock) {
            inFlight--;
            Destination dest = destinations.get(d.destinationKey);
            if (dest != null) {
                dest.busy--;
                if (dest.waiting.isEmpty() && dest.busy == 0) {
                    destinations.remove(dest.key);
                } else {
                    makeReady(dest);
                }
            }
            start = dispatch();
        }
        launch(start);
    }

    int inFlight() {
        synchronized (lock) {
            return inFlight;
        }
    }

    private void makeReady(Destination dest) {
        if (!dest.ready && !dest.waiting.isEmpty() && dest.busy < dest.limit) {
            dest.ready = true;
            ready.add(dest);
        }
    }

    private List<Delivery> dispatch() {
        List<Delivery> out = null;
        while (inFlight < maxInFlight && !ready.isEmpty()) {
            Destination dest = ready.poll();
            dest.ready = false;
            Delivery d = dest.waiting.poll();
            if (d == null) {
                continue;
            }
            dest.busy++;
            inFlight++;
            makeReady(dest); // back of the line: round-robin
            if (out == null) {
                out = new ArrayList<>();
            }
            out.add(d);
        }
        return out;
    }

    private void launch(List<Delivery> start) {
        if (start != null) {
            for (Delivery d : start) {
                try {
                    executor.execute(() -> run.accept(d));
                } catch (java.util.concurrent.RejectedExecutionException stopping) {
                    // qmgr is stopping: the message stays in active/ and is recovered at next start
                    return;
                }
            }
        }
    }
}
