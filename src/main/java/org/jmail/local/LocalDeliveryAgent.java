package org.jmail.local;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jmail.cleanup.CleanupService;
import org.jmail.config.MainConfig;
import org.jmail.local.Destination.CommandRun;
import org.jmail.local.Destination.Forward;
import org.jmail.local.Destination.MailboxCopy;
import org.jmail.log.MailLog;
import org.jmail.posix.Posix;
import org.jmail.qmgr.DeliveryAgent;
import org.jmail.qmgr.DeliveryRequest;
import org.jmail.resolve.Resolver;

/**
 * Postfix's local(8) delivery agent, transport {@code local}: delivers each recipient of a
 * request to its alias expansion, its ~/.forward, or its Unix account's mbox
 * ({@code mail_spool_directory/USER}, or {@code ~/home_mailbox}); pipes to commands; appends to
 * files; forwards other destinations through cleanup; bounces unknown users with
 * {@code 5.1.1 unknown user: "name"} and looping mail with
 * {@code 5.4.6 mail forwarding loop for ADDRESS}.
 *
 * <p>Every recipient is reported exactly once (sent, deferred or bounced) with Postfix's
 * texts; qmgr writes the {@code to=<...>} log lines. Copies for the same mailbox within a
 * request are appended together (one lock, one write, one fsync). Mailbox appends are
 * exactly-once across a killed or crashed daemon through {@link DeliveryJournal}: records
 * written before each append are kept until {@link #afterCommit}, and a
 * {@linkplain DeliveryRequest#recovered() recovered} request checks them instead of appending
 * twice. After a power loss they are at-least-once, as Postfix's (the journal is not fsync'd).
 *
 * <p>Thread-safe: qmgr may call {@link #deliver} from several threads at once. Files are
 * opened with the recipient's identity on the calling thread (setfsuid), which needs root; a
 * non-root (development) instance writes as its own user.
 */
public final class LocalDeliveryAgent implements DeliveryAgent {

    private static final MailLog LOG = MailLog.of("local");

    private final LocalSettings settings;
    private final AliasMaps aliases;
    private final Accounts accounts = new Accounts();
    private final Resolver resolver;
    private final DeliveryJournal journal;
    private final MailboxDelivery mailboxes;
    private final CommandDelivery commands;
    private final Forwarder forwarder;
    private final Map<DeliveryRequest, List<DeliveryJournal.Slot>> pending =
            Collections.synchronizedMap(new IdentityHashMap<>());

    /** Production constructor: alias_maps through {@code Tables.openList}, mydestination for locality. */
    public LocalDeliveryAgent(MainConfig config, CleanupService cleanup) {
        this(config, cleanup, null, TableSource.TABLES);
    }

    /**
     * With the daemon's trivial-rewrite {@link Resolver}, which decides whether an address
     * found in an alias or .forward is local (transport "local") or is forwarded.
     */
    public LocalDeliveryAgent(MainConfig config, CleanupService cleanup, Resolver resolver) {
        this(config, cleanup, resolver, TableSource.TABLES);
    }

    LocalDeliveryAgent(MainConfig config, CleanupService cleanup, Resolver resolver, TableSource tables) {
        this.settings = new LocalSettings(config);
        this.aliases = new AliasMaps(settings.aliasMaps, tables);
        this.resolver = resolver != null ? resolver : new MydestinationResolver(config);
        this.journal = openJournal(settings);
        this.mailboxes = new MailboxDelivery(settings, journal);
        this.commands = new CommandDelivery(settings);
        this.forwarder = new Forwarder(settings, cleanup, journal);
        if (!Posix.isRoot()) {
            LOG.warn("local delivery runs as uid " + Posix.geteuid()
                    + ", not root: mailboxes, files and commands get that identity, not the recipient's");
        }
        long messageLimit;
        try {
            messageLimit = Long.parseLong(config.get("message_size_limit").strip());
        } catch (NumberFormatException e) {
            messageLimit = 0;
        }
        if (settings.mailboxSizeLimit > 0 && settings.mailboxSizeLimit < messageLimit) {
            LOG.warn("main.cf configuration error: mailbox_size_limit is smaller than message_size_limit");
        }
    }

    private static DeliveryJournal openJournal(LocalSettings s) {
        try {
            return DeliveryJournal.open(s.queueDirectory.resolve("jmail-local-journal"), s.journalMaxAge);
        } catch (IOException e) {
            LOG.warn("cannot open delivery journal in " + s.queueDirectory + ": " + e.getMessage()
                    + "; mailbox delivery is not crash-safe");
            return null;
        }
    }

    @Override
    public String transport() {
        return "local";
    }

    @Override
    public void deliver(DeliveryRequest request) {
        List<RecipientJob> jobs = new ArrayList<>();
        for (DeliveryRequest.Recipient r : request.recipients()) {
            jobs.add(new RecipientJob(r));
        }
        List<DeliveryJournal.Slot> slots = Collections.synchronizedList(new ArrayList<>());
        pending.put(request, slots);
        try {
            MessageContent msg;
            try {
                msg = MessageContent.read(request);
            } catch (IOException e) {
                LOG.warn(request.queueId() + ": cannot read message content: " + e.getMessage());
                for (RecipientJob j : jobs) {
                    j.add(Status.deferred("4.3.0", "error reading message: " + e.getMessage()));
                }
                return;
            }
            Instant now = Instant.ofEpochSecond(Instant.now().getEpochSecond());
            MailboxDelivery.Context ctx = new MailboxDelivery.Context(request.queueId(), request.recovered(), now, slots);

            Map<String, String> clientEnv = Expansion.clientEnvironment(request);
            List<MailboxCopy> copies = new ArrayList<>();
            for (RecipientJob job : jobs) {
                try {
                    new Expansion(settings, aliases, accounts, resolver, job, request.queueId(), msg.deliveredTo(),
                            clientEnv)
                            .run(request.sender());
                } catch (RuntimeException e) {
                    internalError(request, job, e);
                    job.destinations.clear();
                }
                for (Destination d : job.destinations) {
                    if (d instanceof MailboxCopy c) {
                        copies.add(c);
                    }
                }
            }
            if (!copies.isEmpty()) {
                mailboxes.deliver(copies, msg, ctx);
            }
            for (RecipientJob job : jobs) {
                List<Forward> forwards = new ArrayList<>();
                for (Destination d : job.destinations) {
                    if (d instanceof CommandRun c) {
                        try {
                            c.report(commands.run(c, msg, now));
                        } catch (RuntimeException e) {
                            internalError(request, job, e);
                        }
                    } else if (d instanceof Forward f) {
                        forwards.add(f);
                    }
                }
                if (!forwards.isEmpty()) {
                    try {
                        forwarder.forward(job, forwards, msg, ctx);
                    } catch (RuntimeException e) {
                        internalError(request, job, e);
                    }
                }
            }
        } catch (RuntimeException | Error e) {
            LOG.warn(request.queueId() + ": local delivery failed: " + e);
            for (RecipientJob j : jobs) {
                j.add(Status.deferred("4.3.0", "local delivery agent failure"));
            }
            if (e instanceof Error err) {
                reportAll(request, jobs);
                throw err;
            }
        } finally {
            reportAll(request, jobs);
        }
    }

    private static void internalError(DeliveryRequest request, RecipientJob job, RuntimeException e) {
        LOG.warn(request.queueId() + ": local delivery to " + job.recipient.address() + " failed: " + e);
        job.add(Status.deferred("4.3.0", "local delivery agent failure"));
    }

    private static void reportAll(DeliveryRequest request, List<RecipientJob> jobs) {
        for (RecipientJob j : jobs) {
            j.report(request);
        }
    }

    @Override
    public void afterCommit(DeliveryRequest request) {
        List<DeliveryJournal.Slot> slots = pending.remove(request);
        if (journal == null) {
            return;
        }
        if (slots != null) {
            synchronized (slots) {
                for (DeliveryJournal.Slot s : slots) {
                    journal.release(s);
                }
            }
        }
        if (request.recovered()) {
            Set<Integer> indexes = new HashSet<>();
            for (DeliveryRequest.Recipient r : request.recipients()) {
                indexes.add(r.index());
            }
            journal.releaseRecovered(request.queueId(), indexes);
        }
    }
}
