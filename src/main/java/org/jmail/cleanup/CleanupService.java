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
}
