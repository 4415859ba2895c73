package org.jmail.showq;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jmail.queue.CorruptQueueFileException;
import org.jmail.queue.MailQueue;
import org.jmail.queue.QueuedMessage;
import org.jmail.queue.QueuedRecipient;

/**
 * Postfix's showq(8) with postqueue's output adapters: the mail queue as {@code mailq} /
 * {@code postqueue -p} print it, byte for byte in Postfix's layout (short queue id format):
 * <pre>
 * -Queue ID-  --Size-- ----Arrival Time---- -Sender/Recipient-------
 * 0123456789AB*    312 Sat Nov 28 15:30:00  alice@example.tst
 *                                          bob@example.net
 *
 * -- 1 Kbytes in 1 Request.
 * </pre>
 * {@code *} marks a message in the active queue, {@code !} one on hold; a deferred
 * recipient's reason is printed in parentheses, right-aligned to column 76, before the first
 * recipient that has it; the null sender shows as {@code MAILER-DAEMON}. An empty queue is
 * {@code Mail queue is empty}. {@link #json} gives postqueue -j's one object per line.
 *
 * <p>Queues are listed in Postfix 3's order: active, incoming, deferred, hold. The size is the
 * message's (Postfix's size record), not the queue file's. Recipients with a deferral reason
 * come first, as showq lists the defer log before the queue file's other recipients. Files that
 * vanish or cannot be read while listing are skipped (the queue is live). Needs read access
 * to the queue (root or the daemon's user).
 */
public final class QueueListing {

    private static final List<String> ORDER = List.of(MailQueue.ACTIVE, MailQueue.INCOMING, MailQueue.DEFERRED,
            MailQueue.HOLD);
    private static final DateTimeFormatter ASCTIME = DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss", Locale.US);

    private final Path queueDirectory;
    private final ZoneId zone;

    public QueueListing(Path queueDirectory) {
        this(queueDirectory, ZoneId.systemDefault());
    }

    public QueueListing(Path queueDirectory, ZoneId zone) {
        this.queueDirectory = queueDirectory;
        this.zone = zone;
    }

    /** One queued message as listed. */
    public record Entry(String queue, String id, Instant arrival, long size, String sender, List<Rcpt> recipients) {
    }

    /** A recipient still to be delivered, with its last deferral reason ("" when none). */
    public record Rcpt(String address, String reason) {
    }

    /** The entries of every queue, in listing order. */
    public List<Entry> entries() throws IOException {
        List<Entry> out = new ArrayList<>();
        try (MailQueue q = MailQueue.open(queueDirectory)) {
            for (String name : ORDER) {
                for (String id : q.list(name)) {
                    QueuedMessage m;
                    try {
                        m = q.read(name, id);
                    } catch (IOException | CorruptQueueFileException | RuntimeException e) {
                        continue; // being written, just removed, or corrupt: not listed, as showq skips it
                    }
                    List<Rcpt> deferred = new ArrayList<>();
                    List<Rcpt> others = new ArrayList<>();
                    for (QueuedRecipient r : m.recipients()) {
                        if (!r.isDone()) {
                            String why = r.deferText() == null ? "" : r.deferText();
                            (why.isEmpty() ? others : deferred).add(new Rcpt(r.address(), why));
                        }
                    }
                    deferred.addAll(others);
                    m.releaseContent();
                    out.add(new Entry(name, id, m.arrivalTime(), m.contentSize(), m.sender(), deferred));
                }
            }
        }
        return out;
    }

    /** The listing as text (mailq) or as JSON lines (postqueue -j). */
    public String text(boolean json) throws IOException {
        List<Entry> e = entries();
        return json ? json(e) : format(e);
    }

    /** Postfix's showq_compat output for these entries. */
    public String format(List<Entry> entries) {
        if (entries.isEmpty()) {
            return "Mail queue is empty\n";
        }
        StringBuilder b = new StringBuilder(256 * entries.size());
        long total = 0;
        boolean first = true;
        for (Entry e : entries) {
            if (first) {
                b.append(String.format("%-11s %7s %-20s %s%n", "-Queue ID-", "--Size--", "----Arrival Time----",
                        "-Sender/Recipient-------"));
                first = false;
            } else {
                b.append('\n');
            }
            String idStatus = e.id() + (MailQueue.ACTIVE.equals(e.queue()) ? "*" : MailQueue.HOLD.equals(e.queue()) ? "!" : "");
            b.append(String.format("%-11s %7d %20.20s %s%n", idStatus, e.size(), asctime(e.arrival()),
                    e.sender().isEmpty() ? "MAILER-DAEMON" : e.sender()));
            String saved = "";
            for (Rcpt r : e.recipients()) {
                if (!saved.equals(r.reason())) {
                    saved = r.reason();
                    String show = saved.isEmpty() ? "reason unavailable" : saved;
                    b.append(" ".repeat(Math.max(0, 76 - show.length()))).append('(').append(show).append(")\n");
                }
                b.append(String.format("%-11s %7s %-20s %s%n", "", "", "", r.address()));
            }
            total += e.size();
        }
        b.append("\n-- ").append(total / 1024).append(" Kbytes in ").append(entries.size())
                .append(" Request").append(entries.size() == 1 ? "" : "s").append(".\n");
        return b.toString();
    }

    /** asctime(3) without the year: "Sat Nov 28 15:30:00 " (20 columns, as %20.20s cuts it). */
    String asctime(Instant t) {
        return ASCTIME.format(t.atZone(zone)) + " ";
    }

    /** postqueue -j: one JSON object per message, Postfix 3.1's field names. */
    public static String json(List<Entry> entries) {
        StringBuilder b = new StringBuilder();
        for (Entry e : entries) {
            b.append("{\"queue_name\": ").append(quote(e.queue()))
                    .append(", \"queue_id\": ").append(quote(e.id()))
                    .append(", \"arrival_time\": ").append(e.arrival().getEpochSecond())
                    .append(", \"message_size\": ").append(e.size())
                    .append(", \"forced_expire\": false")
                    .append(", \"sender\": ").append(quote(e.sender()))
                    .append(", \"recipients\": [");
            for (int i = 0; i < e.recipients().size(); i++) {
                Rcpt r = e.recipients().get(i);
                b.append(i == 0 ? "" : ", ").append("{\"address\": ").append(quote(r.address()));
                if (!r.reason().isEmpty()) {
                    b.append(", \"delay_reason\": ").append(quote(r.reason()));
                }
                b.append('}');
            }
            b.append("]}\n");
        }
        return b.toString();
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
