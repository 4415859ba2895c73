package org.jmail.qmgr;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jmail.queue.QueuedMessage;

/**
 * A message in the active queue during one delivery attempt: the outcome of each recipient
 * (first report wins), the delivery requests made for it, and how many are still running.
 * The worker that finishes the last request finalizes the message.
 */
final class ActiveMessage {

    final QueuedMessage message;
    /** When the message entered the active queue this time (Postfix's active_arrival). */
    final Instant activeAt;
    private final Outcome[] outcomes;
    private final List<Delivery> deliveries = new ArrayList<>();
    private int running;

    ActiveMessage(QueuedMessage message, Instant activeAt) {
        this.message = message;
        this.activeAt = activeAt;
        this.outcomes = new Outcome[message.recipients().size()];
    }

    /** Records an outcome; false when the recipient already has one. */
    synchronized boolean record(int index, Outcome o) {
        if (outcomes[index] != null) {
            return false;
        }
        outcomes[index] = o;
        return true;
    }

    synchronized Outcome outcome(int index) {
        return outcomes[index];
    }

    synchronized boolean hasOutcome(int index) {
        return outcomes[index] != null;
    }

    void add(Delivery d) {
        deliveries.add(d);
    }

    List<Delivery> deliveries() {
        return deliveries;
    }

    synchronized void start(int count) {
        running = count;
    }

    /** True when this was the last running request of the message. */
    synchronized boolean finished() {
        return --running == 0;
    }
}
