package org.jmail.qmgr;

/**
 * A delivery agent as the queue manager sees it: Postfix's local(8), smtp(8), error(8),
 * discard(8). One call delivers one message to a group of recipients that resolved to the
 * same transport and next hop, and reports the outcome of every recipient to the request.
 *
 * <p>Agents are called on qmgr's worker threads and may block (disk, locks, network). An agent
 * must report every recipient exactly once; a recipient it did not report is deferred by qmgr
 * with "delivery agent did not report".
 */
public interface DeliveryAgent {

    /** The master.cf transport name this agent serves: "local", "error", "discard", "smtp". */
    String transport();

    /**
     * Delivers and reports. Reports are made durable by qmgr only after this returns; an agent
     * that keeps crash-recovery state for the request (local's delivery journal) must keep it
     * until {@link #afterCommit} is called.
     */
    void deliver(DeliveryRequest request);

    /** Called by qmgr once the outcome of {@code request} is durable in the queue. */
    default void afterCommit(DeliveryRequest request) {
    }
}
