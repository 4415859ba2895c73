package org.jmail.cleanup;

/**
 * Cleanup refused or could not store a message. {@link #reply()} is the full SMTP reply text,
 * e.g. {@code 552 5.3.4 Message size exceeds fixed limit} or {@code 451 4.3.0 Error: queue file write error}.
 */
public class CleanupException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String reply;

    public CleanupException(String reply) {
        super(reply);
        this.reply = reply;
    }

    public CleanupException(String reply, Throwable cause) {
        super(reply, cause);
        this.reply = reply;
    }

    public String reply() {
        return reply;
    }
}
