package org.jmail.cleanup;

import java.io.IOException;
import java.time.Instant;
import org.jmail.config.MainConfig;
import org.jmail.log.MailLog;
import org.jmail.posix.Posix;
import org.jmail.posix.UnixUser;
import org.jmail.queue.MailQueue;
import org.jmail.queue.QueueFileWriter;

/**
 * Postfix's cleanup(8) for jmail: the one way into the queue for smtpd, sendmail(1) and
 * bounces. {@link #open} creates the queue file (so the queue id exists from the first
 * accepted recipient on) and logs the origin line Postfix logs at that moment:
 * {@code ID: client=name[addr]} (tagged smtpd) for SMTP, {@code ID: uid=N from=<sender>}
 * (tagged pickup) for sendmail(1) submissions, nothing for mail jmail generates itself
 * (protocol "local" without a submitting user, e.g. bounces).
 *
 * <p>Construct with {@code new Cleanup(config, queue)}; the queue manager learns about
 * committed messages through the queue's listener, so cleanup knows nothing of it. Thread-
 * safe: one instance serves every session.
 */
public final class Cleanup implements CleanupService {

    private final CleanupSettings settings;
    private final RewriteContext rewriteContext;
    private final AddressRewriter rewriter;
    private final MailQueue queue;
    private final ContentChecks checks;
    private final java.util.Set<String> overrides;

    /**
     * @param config main.cf (myhostname, myorigin, message_size_limit, header_size_limit,
     *               hopcount_limit, message_drop_headers, local_header_rewrite_clients,
     *               always_add_missing_headers, undisclosed_recipients_header)
     * @param queue  the opened queue that messages are committed to
     */
    public Cleanup(MainConfig config, MailQueue queue) {
        this.settings = new CleanupSettings(config);
        this.rewriteContext = new RewriteContext(config);
        this.rewriter = new AddressRewriter(config, org.jmail.resolve.TableOpener.standard());
        this.queue = queue;
        this.checks = ContentChecks.of(config);
        this.overrides = overrides(config.get("receive_override_options"));
    }

    /** A receive_override_options value as a set of lower-case words. */
    public static java.util.Set<String> overrides(String value) {
        java.util.Set<String> out = new java.util.HashSet<>();
        for (String w : MainConfig.splitList(value == null ? "" : value)) {
            out.add(w.toLowerCase(java.util.Locale.ROOT));
        }
        return out;
    }

    @Override
    public CleanupSession open(MessageOrigin origin, String sender) throws IOException {
        return open(origin, sender, overrides);
    }

    @Override
    public CleanupSession open(MessageOrigin origin, String sender, java.util.Set<String> overrides)
            throws IOException {
        // receive_override_options: no_address_mappings turns off canonical and virtual alias
        // mapping, no_header_body_checks the content checks (typically after a content filter)
        AddressRewriter rewriter = overrides.contains("no_address_mappings") ? null : this.rewriter;
        String s = CleanupTransaction.qualify(sender == null ? "" : sender, settings.myorigin);
        if (s.equalsIgnoreCase("MAILER-DAEMON@" + settings.myorigin)) {
            s = ""; // Postfix: bounce traffic is recognised by its null sender only
        }
        if (rewriter != null && !rewriter.isEmpty()) {
            s = CleanupTransaction.qualify(rewriter.sender(s), settings.myorigin);
        }
        QueueFileWriter w = queue.create(Instant.now(), s);
        try {
            attributes(w, origin);
        } catch (RuntimeException e) {
            w.discard();
            throw e;
        }
        boolean local = rewriteContext.isLocal(origin);
        String id = w.id();
        if (origin.localSubmitter() != null) {
            UnixUser u = Posix.getpwnam(origin.localSubmitter());
            int uid = u != null ? u.uid() : Posix.getuid();
            // Postfix logs the sender as submitted (from=<root>), before cleanup qualifies it
            MailLog.of("pickup").info(id + ": uid=" + uid + " from=<" + (sender == null ? "" : sender) + ">");
        } else if (!"local".equalsIgnoreCase(origin.protocol())) {
            StringBuilder b = new StringBuilder(id).append(": client=").append(origin.nameAddr());
            if (origin.saslUser() != null) {
                if (origin.saslMethod() != null) {
                    b.append(", sasl_method=").append(origin.saslMethod());
                }
                b.append(", sasl_username=").append(origin.saslUser());
            }
            MailLog.of("smtpd").info(b.toString());
        }
        // As Postfix's default internal_mail_filter_classes (empty): mail jmail makes itself
        // (bounces, notices, forwarded copies) is not inspected again
        boolean internal = "local".equalsIgnoreCase(origin.protocol()) && origin.localSubmitter() == null
                || overrides.contains("no_header_body_checks");
        return new CleanupTransaction(settings, queue, w, local, rewriter, internal ? null : checks, origin);
    }

    private static void attributes(QueueFileWriter w, MessageOrigin o) {
        w.attribute("client_name", o.clientName());
        w.attribute("client_address", o.clientAddr());
        if (o.clientPort() > 0) {
            w.attribute("client_port", Integer.toString(o.clientPort()));
        }
        w.attribute("helo_name", o.helo());
        w.attribute("protocol", o.protocol());
        w.attribute("sasl_username", o.saslUser());
        w.attribute("tls", o.tlsSummary());
        w.attribute("submitter", o.localSubmitter());
    }
}
