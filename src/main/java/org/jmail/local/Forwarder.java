package org.jmail.local;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jmail.cleanup.CleanupException;
import org.jmail.cleanup.CleanupService;
import org.jmail.cleanup.CleanupSession;
import org.jmail.cleanup.MessageOrigin;
import org.jmail.local.Destination.Forward;
import org.jmail.log.MailLog;
import org.jmail.util.EnhancedStatus;

/**
 * Forwarding (Postfix's forward.c): destinations that are not delivered here are resubmitted
 * through cleanup as a new message, sender unchanged (or the owner- alias), one message per
 * top-level recipient and (Delivered-To, sender) pair, with Postfix's
 * {@code Received: by HOST (mail_name)} / {@code id NEWID; DATE} and
 * {@code Delivered-To: ADDRESS} lines on top. Each forwarded address is reported as
 * {@code 2.0.0 forwarded as NEWID}; a refusal by cleanup bounces (5xx) or defers, anything else
 * defers with {@code 4.3.0 unable to forward message}.
 */
final class Forwarder {

    private static final MailLog LOG = MailLog.of("local");
    private static final DateTimeFormatter MAIL_DATE =
            DateTimeFormatter.ofPattern("EEE, ppd MMM yyyy HH:mm:ss xx (zzz)", Locale.US);
    private static final MessageOrigin ORIGIN =
            new MessageOrigin("localhost", "127.0.0.1", 0, null, "local", null, null, null);

    private final LocalSettings settings;
    private final CleanupService cleanup;
    private final DeliveryJournal journal;

    Forwarder(LocalSettings settings, CleanupService cleanup, DeliveryJournal journal) {
        this.settings = settings;
        this.cleanup = cleanup;
        this.journal = journal;
    }

    private record Group(String delivered, String sender) {
    }

    void forward(RecipientJob job, List<Forward> forwards, MessageContent msg, MailboxDelivery.Context ctx) {
        Map<Group, List<Forward>> groups = new LinkedHashMap<>();
        for (Forward f : forwards) {
            String d = f.deliveredTo() == null ? "" : f.deliveredTo().toLowerCase(Locale.ROOT);
            groups.computeIfAbsent(new Group(d, f.sender()), k -> new ArrayList<>()).add(f);
        }
        int seq = 0;
        for (Map.Entry<Group, List<Forward>> g : groups.entrySet()) {
            send(job, seq++, g.getKey(), g.getValue(), msg, ctx);
        }
    }

    private void send(RecipientJob job, int seq, Group group, List<Forward> fwds, MessageContent msg,
                      MailboxDelivery.Context ctx) {
        int index = job.recipient.index();
        if (ctx.recovered() && journal != null) {
            for (DeliveryJournal.Record r : journal.recovered(ctx.queueId())) {
                if ("fwd".equals(r.kind()) && r.entries().size() == 1 && r.entries().get(0).recipient() == index
                        && r.entries().get(0).seq() == seq && r.forwardId() != null) {
                    for (Forward f : fwds) {
                        job.add(Status.sent("forwarded as " + r.forwardId()));
                    }
                    return;
                }
            }
        }
        if (cleanup == null) {
            fail(job, fwds, Status.deferred("4.3.0", "unable to forward message"));
            return;
        }
        CleanupSession session = null;
        try {
            session = cleanup.open(ORIGIN, group.sender());
            for (Forward f : fwds) {
                session.addRecipient(f.address(), f.originalRecipient());
            }
            line(session, "Received: by " + settings.myhostname + " (" + settings.mailName + ")");
            line(session, "\tid " + session.queueId() + "; " + mailDate(ctx.time()));
            if ((settings.deliveredHeaderMask & LocalSettings.HDR_FORWARD) != 0 && !group.delivered().isEmpty()) {
                line(session, "Delivered-To: " + group.delivered());
            }
            byte[] b = msg.bytes();
            int len = msg.length();
            int i = 0;
            while (i < len) {
                int nl = i;
                while (nl < len && b[nl] != '\n') {
                    nl++;
                }
                session.writeLine(b, i, nl - i);
                i = nl + 1;
            }
            session.commit();
            String id = session.queueId();
            session = null;
            if (journal != null) {
                try {
                    ctx.slots().add(journal.write(new DeliveryJournal.Record(ctx.queueId(), "fwd", "", 0,
                            ctx.time().getEpochSecond(), List.of(new DeliveryJournal.Entry(index, seq, 0, 0)), id)));
                } catch (IOException e) {
                    LOG.warn("cannot write delivery journal: " + e.getMessage());
                }
            }
            for (Forward f : fwds) {
                job.add(Status.sent("forwarded as " + id));
            }
        } catch (CleanupException e) {
            fail(job, fwds, fromReply(e.reply()));
        } catch (IOException | RuntimeException e) {
            LOG.warn(ctx.queueId() + ": unable to forward message: " + e.getMessage());
            fail(job, fwds, Status.deferred("4.3.0", "unable to forward message"));
        } finally {
            if (session != null) {
                session.abort();
            }
        }
    }

    private static void line(CleanupSession s, String text) throws IOException {
        byte[] b = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        s.writeLine(b, 0, b.length);
    }

    private static void fail(RecipientJob job, List<Forward> fwds, Status s) {
        for (Forward f : fwds) {
            job.add(s);
        }
    }

    /** "552 5.3.4 Message size exceeds fixed limit" → bounced 5.3.4 with that text. */
    static Status fromReply(String reply) {
        String r = reply == null ? "" : reply.strip();
        String rest = r.length() > 4 ? r.substring(4).strip() : r;
        String dsn = r.startsWith("5") ? "5.3.0" : "4.3.0";
        int n = EnhancedStatus.length(rest, 0);
        if (n > 0 && n < rest.length() && rest.charAt(n) == ' ') {
            dsn = rest.substring(0, n);
            rest = rest.substring(n + 1);
        }
        if (r.startsWith("5")) {
            return Status.bounced(dsn.startsWith("5") ? dsn : "5.3.0", rest);
        }
        return Status.deferred(dsn, rest.isEmpty() ? "unable to forward message" : rest);
    }

    static String mailDate(Instant t) {
        return MAIL_DATE.format(ZonedDateTime.ofInstant(t, ZoneId.systemDefault()));
    }
}
