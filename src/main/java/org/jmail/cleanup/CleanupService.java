package org.jmail.cleanup;

import java.io.IOException;

/**
 * Postfix's cleanup(8) seen from its clients (smtpd, sendmail, local's forwarding): opens a new
 * queue file, takes envelope and content, and makes the message durable in the queue.
 */
public interface CleanupService {

    /**
     * Opens a queue file for a new message. smtpd calls this at the first accepted RCPT TO,
     * as Postfix does, so the queue id exists for the {@code ID: client=...} log line, which
     * this method writes.
     *
     * @param sender envelope sender; "" for the null sender {@code <>}
     */
    CleanupSession open(MessageOrigin origin, String sender) throws IOException;

    /**
     * As {@link #open(MessageOrigin, String)} with a service's own {@code receive_override_options}
     * (e.g. {@code no_header_body_checks, no_address_mappings} on the smtpd that takes mail
     * back from a content filter), in place of main.cf's.
     */
    default CleanupSession open(MessageOrigin origin, String sender, java.util.Set<String> overrides)
            throws IOException {
        return open(origin, sender);
    }
}
