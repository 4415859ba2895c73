package org.jmail.queue;

/**
 * One envelope recipient of a queued message: its address as stored by cleanup, the original
 * recipient (RCPT TO as given, or the DSN ORCPT), whether it is finished (delivered or
 * bounced, durably recorded), and the latest deferral reason if any.
 */
public final class QueuedRecipient {

    private final int index;
    private final String address;
    private final String original;
    private volatile boolean done;
    private volatile String deferDsn;
    private volatile String deferRelay;
    private volatile String deferText;
    private volatile boolean warned;

    public QueuedRecipient(int index, String address, String original) {
        this.index = index;
        this.address = address;
        this.original = original;
    }

    /** Position in the queue file; stable for the message's life. */
    public int index() {
        return index;
    }

    public String address() {
        return address;
    }

    /** The original recipient, or null when it is the same as {@link #address()}. */
    public String original() {
        return original;
    }

    public boolean isDone() {
        return done;
    }

    void markDone() {
        done = true;
    }

    /** The DSN status of the latest deferral ("4.4.1"), or null when never deferred. */
    public String deferDsn() {
        return deferDsn;
    }

    public String deferRelay() {
        return deferRelay;
    }

    /** The text of the latest deferral, as logged in {@code status=deferred (text)}. */
    public String deferText() {
        return deferText;
    }

    void setDeferral(String dsn, String relay, String text) {
        deferDsn = dsn;
        deferRelay = relay;
        deferText = text;
    }

    /** A delay warning (delay_warning_time) already told the sender about this recipient. */
    public boolean isWarned() {
        return warned;
    }

    void markWarned() {
        warned = true;
    }
}
