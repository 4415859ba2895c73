package org.jmail.pickup;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.jmail.cleanup.CleanupException;
import org.jmail.cleanup.CleanupService;
import org.jmail.cleanup.CleanupSession;
import org.jmail.cleanup.MessageOrigin;
import org.jmail.posix.Posix;
import org.jmail.posix.UnixUser;
import org.jmail.queue.CorruptQueueFileException;
import org.jmail.queue.MailQueue;
import org.jmail.queue.QueuedMessage;
import org.jmail.queue.QueuedRecipient;

/**
 * A queue file that {@code postsuper -r} moved into maildrop/, copied into a new queue file
 * through cleanup as Postfix's pickup does: same sender, arrival facts (client, protocol) and
 * content, only the recipients not yet delivered; address rewriting and header processing
 * happen again. The caller removes the old file after {@link #submit} returns.
 */
final class Requeue {

    private final CleanupService cleanup;
    private final MailQueue queue;

    Requeue(CleanupService cleanup, MailQueue queue) {
        this.cleanup = cleanup;
        this.queue = queue;
    }

    /** Returns the new queue id; throws when the file is unreadable or cleanup refuses it. */
    String submit(String queueName, String fileName) throws IOException, CorruptQueueFileException, CleanupException {
        QueuedMessage m = queue.read(queueName, fileName);
        try {
            Map<String, String> a = m.attributes();
            UnixUser self = Posix.getpwuid(Posix.geteuid());
            String submitter = a.getOrDefault("submitter", self != null ? self.name() : "root");
            int port = 0;
            try {
                port = Integer.parseInt(a.getOrDefault("client_port", "0"));
            } catch (NumberFormatException ignored) {
                // no port
            }
            MessageOrigin origin = new MessageOrigin(a.getOrDefault("client_name", "localhost"),
                    a.getOrDefault("client_address", "127.0.0.1"), port, a.get("helo_name"),
                    a.getOrDefault("protocol", "local"), a.get("tls"), a.get("sasl_username"), submitter);
            CleanupSession s = cleanup.open(origin, m.sender());
            boolean done = false;
            try {
                s.dsn(a.get("dsn_ret"), a.get("dsn_envid"));
                for (QueuedRecipient r : m.recipients()) {
                    if (!r.isDone()) {
                        s.addRecipient(r.address(), r.original(), r.dsnNotify(), r.orcpt());
                    }
                }
                try (InputStream in = m.openContent()) {
                    ContentLines lines = new ContentLines(in);
                    int n;
                    while ((n = lines.next()) >= 0) {
                        s.writeLine(lines.buffer(), 0, n);
                    }
                }
                s.commit();
                done = true;
                return s.queueId();
            } finally {
                if (!done) {
                    s.abort();
                }
            }
        } finally {
            m.releaseContent();
        }
    }
}
