package org.jmail.cleanup;

import java.io.IOException;

/**
 * One message being written into the queue. Lifecycle: {@link #addRecipient} one or more
 * times, {@link #writeLine} for every content line (headers then body, as received, dot-
 * stuffing already undone, no line terminator), then exactly one of {@link #commit} or
 * {@link #abort}. Not thread-safe: one session belongs to one SMTP/sendmail conversation.
 */
public interface CleanupSession {

    /** The queue id, fixed when the session was opened. */
    String queueId();

    /**
     * Adds an envelope recipient.
     *
     * @param address  the recipient as given in RCPT TO (without angle brackets)
     * @param original the DSN ORCPT / original recipient, or null
     */
    void addRecipient(String address, String original) throws IOException;

    /**
     * Adds an envelope recipient with the DSN requests the client made for it: NOTIFY= flags
     * ({@code QueuedRecipient.NOTIFY_*}, 0 for none) and ORCPT= ("rfc822;addr" decoded, or
     * null). Sessions that keep no DSN requests (test doubles, the maildrop writer) take the
     * recipient without them.
     */
    default void addRecipient(String address, String original, int notify, String orcpt) throws IOException {
        addRecipient(address, original);
    }

    /**
     * The message's DSN RET= (FULL or HDRS) and ENVID= (decoded), either may be null. Call
     * before the first content line.
     */
    default void dsn(String ret, String envid) throws IOException {
        // sessions that keep no DSN requests ignore them
    }

    /** Appends one content line (without CR LF). Cleanup inserts missing headers itself. */
    void writeLine(byte[] line, int offset, int length) throws IOException;

    /**
     * Finishes the message: adds Received (given by the caller as the first line, see
     * {@link #prependHeader}), Message-ID and Date when missing, writes the queue file,
     * makes it durable (file and directory fsync'd) and hands it to the queue manager.
     * Returns only when the message is safe on disk; the caller may then say 250.
     *
     * @throws CleanupException with an SMTP status when the message is refused (too big,
     *         header too large) or cannot be stored (4xx)
     */
    void commit() throws CleanupException, IOException;

    /**
     * As {@link #commit()}, running {@code whenQueued} once the message is durable and before
     * the queue manager sees it, so that what it logs comes before qmgr's lines (a bounce's
     * "sender non-delivery notification: ID", as Postfix's order has it).
     */
    default void commit(Runnable whenQueued) throws CleanupException, IOException {
        commit();
        whenQueued.run();
    }

    /** Discards the queue file; safe to call at any time and more than once. */
    void abort();

    /** Adds a header line before the message's own headers (smtpd's Received:). Call before writeLine. */
    void prependHeader(String headerLine) throws IOException;

    /** Total content bytes written so far (for message_size_limit checks). */
    long size();
}
