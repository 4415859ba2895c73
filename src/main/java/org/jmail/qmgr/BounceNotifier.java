package org.jmail.qmgr;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jmail.cleanup.CleanupException;
import org.jmail.cleanup.CleanupService;
import org.jmail.cleanup.CleanupSession;
import org.jmail.cleanup.MailDate;
import org.jmail.cleanup.MessageOrigin;
import org.jmail.config.MainConfig;
import org.jmail.log.MailLog;
import org.jmail.queue.QueuedMessage;

/**
 * Postfix's bounce(8) for non-delivery: an RFC 3464 delivery status notification
 * (multipart/report; report-type=delivery-status) from {@code MAILER-DAEMON} with the null
 * sender, submitted through cleanup like any other mail. Parts: a human-readable notice in
 * Postfix's words, a message/delivery-status part (Reporting-MTA, X-Postfix-Queue-ID,
 * Arrival-Date; per recipient Final-Recipient, Original-Recipient, Action: failed, Status,
 * Diagnostic-Code), and the original message: complete as message/rfc822 when it is at most
 * {@code bounce_size_limit} bytes, else its headers as text/rfc822-headers.
 *
 * <p>Who is told, as in bounce_notify_service.c:
 * <ul>
 * <li>ordinary sender: the DSN goes to the sender ({@code ID: sender non-delivery
 *     notification: NEWID}); with {@code bounce} in {@code notify_classes} a copy with the
 *     headers only goes to {@code bounce_notice_recipient};</li>
 * <li>null sender (a bounce bounced): never a bounce; a copy goes to
 *     {@code 2bounce_notice_recipient} from {@code double_bounce_sender} only when
 *     {@code notify_classes} has {@code bounce} or {@code 2bounce} (Postfix's default,
 *     "resource, software", has neither, so it is dropped);</li>
 * <li>sender {@code double-bounce@$myorigin} (a postmaster copy bounced): discarded with
 *     {@code warning: ID: undeliverable postmaster notification discarded}.</li>
 * </ul>
 * Failure: an IOException or CleanupException means the notice was not queued; the caller
 * keeps the recipients and retries later.
 */
final class BounceNotifier {

    /**
     * One recipient to report; {@code orcpt} is the client's DSN ORCPT= ("rfc822;addr") or null,
     * {@code diagnostic} the agent's Diagnostic-Code (e.g. {@code x-unix; ...}) or null.
     */
    record Failed(String address, String original, String orcpt, String relay, String dsn, String text,
                  String diagnostic) {
    }

    /** Which notice: non-delivery, delay warning, or success (DSN NOTIFY=SUCCESS). */
    private enum Kind { FAILED, DELAYED, DELIVERED }

    private static final MailLog LOG = MailLog.of("bounce");
    private static final MessageOrigin INTERNAL =
            new MessageOrigin("localhost", "127.0.0.1", 0, null, "local", null, null, null);

    private final CleanupService cleanup;
    private final String myhostname;
    private final String myorigin;
    private final String mailName;
    private final Set<String> notifyClasses = new HashSet<>();
    private final String bounceNoticeRecipient;
    private final String delayNoticeRecipient;
    private final String doubleBounceRecipient;
    private final String doubleBounceSender;
    private final long bounceSizeLimit;
    /**
     * Postfix 3's default bounce template: utf-8 text in 8bit with {@code smtputf8_enable}
     * (the default), us-ascii in 7bit without it.
     */
    private final boolean utf8Template;

    BounceNotifier(MainConfig c, CleanupService cleanup) {
        this.cleanup = cleanup;
        this.utf8Template = !"no".equalsIgnoreCase(c.get("smtputf8_enable").strip());
        this.myhostname = c.get("myhostname");
        this.myorigin = c.get("myorigin").isEmpty() ? myhostname : c.get("myorigin");
        this.mailName = c.get("mail_name").isEmpty() ? "jmail" : c.get("mail_name");
        for (String s : c.list("notify_classes")) {
            notifyClasses.add(s.toLowerCase(Locale.ROOT));
        }
        this.bounceNoticeRecipient = orDefault(c.get("bounce_notice_recipient"), "postmaster");
        this.delayNoticeRecipient = orDefault(c.get("delay_notice_recipient"), "postmaster");
        this.doubleBounceRecipient = orDefault(c.get("2bounce_notice_recipient"), "postmaster");
        String dbs = orDefault(c.get("double_bounce_sender"), "double-bounce");
        this.doubleBounceSender = dbs.indexOf('@') >= 0 ? dbs : dbs + "@" + myorigin;
        long limit = 50000;
        try {
            String v = c.get("bounce_size_limit").strip();
            if (!v.isEmpty()) {
                limit = Long.parseLong(v);
            }
        } catch (NumberFormatException ignored) {
            // keep Postfix's default
        }
        this.bounceSizeLimit = limit;
    }

    /** Sends the notices for {@code failed} recipients of {@code m}, as described above. */
    void notify(QueuedMessage m, List<Failed> failed) throws IOException, CleanupException {
        String sender = m.sender();
        if (sender.equalsIgnoreCase(doubleBounceSender)) {
            LOG.warn(m.id() + ": undeliverable postmaster notification discarded");
            return;
        }
        if (sender.isEmpty()) {
            if (notifyClasses.contains("bounce") || notifyClasses.contains("2bounce")) {
                send(m, failed, doubleBounceSender, doubleBounceRecipient, true, true, Kind.FAILED, null,
                        id -> LOG.info(m.id() + ": postmaster non-delivery notification: " + id));
            }
            return;
        }
        // DSN RET=HDRS asks for the headers only; FULL (or nothing) for all of it within bounce_size_limit
        boolean whole = !"HDRS".equalsIgnoreCase(m.attributes().get("dsn_ret"))
                && (bounceSizeLimit <= 0 || m.contentSize() <= bounceSizeLimit);
        send(m, failed, "", sender, false, whole, Kind.FAILED, null,
                id -> LOG.info(m.id() + ": sender non-delivery notification: " + id));
        if (notifyClasses.contains("bounce")) {
            try {
                send(m, failed, doubleBounceSender, bounceNoticeRecipient, true, false, Kind.FAILED, null,
                        pid -> LOG.info(m.id() + ": postmaster non-delivery notification: " + pid));
            } catch (IOException | CleanupException e) {
                LOG.warn("postmaster notice failed while bouncing to " + sender);
            }
        }
    }

    /**
     * Postfix's delay warning ({@code delay_warning_time}): "Delayed Mail (still being
     * retried)" to the sender with the headers of the message and Action: delayed for each
     * recipient still waiting; a copy to {@code delay_notice_recipient} when
     * {@code notify_classes} has {@code delay}. Never for the null sender.
     */
    void notifyDelayed(QueuedMessage m, List<Failed> waiting, Delay delay) throws IOException, CleanupException {
        if (m.sender().isEmpty() || m.sender().equalsIgnoreCase(doubleBounceSender)) {
            return;
        }
        send(m, waiting, "", m.sender(), false, false, Kind.DELAYED, delay,
                id -> LOG.info(m.id() + ": sender delay notification: " + id));
        if (notifyClasses.contains("delay")) {
            try {
                send(m, waiting, doubleBounceSender, delayNoticeRecipient, true, false, Kind.DELAYED, delay,
                        pid -> LOG.info(m.id() + ": postmaster delay notification: " + pid));
            } catch (IOException | CleanupException e) {
                LOG.warn("postmaster notice failed while warning " + m.sender());
            }
        }
    }

    /**
     * Postfix's success notice for recipients that asked for one (RCPT ... NOTIFY=SUCCESS):
     * "Successful Mail Delivery Report" to the sender with Action: delivered (relayed when the
     * next hop was another MTA) and the message headers. Never for the null sender.
     */
    void notifyDelivered(QueuedMessage m, List<Failed> delivered) throws IOException, CleanupException {
        if (m.sender().isEmpty() || m.sender().equalsIgnoreCase(doubleBounceSender) || delivered.isEmpty()) {
            return;
        }
        send(m, delivered, "", m.sender(), false, false, Kind.DELIVERED, null,
                id -> LOG.info(m.id() + ": sender delivery status notification: " + id));
    }

    /** How long the message waited ({@code delay_warning_time}) and how long it will be tried. */
    record Delay(java.time.Duration warningTime, java.time.Duration lifetime) {
    }

    /** Queues one notice; {@code queued} logs its id once it is durable, before qmgr takes it. */
    private void send(QueuedMessage m, List<Failed> failed, String from, String to, boolean postmasterCopy,
                      boolean wholeMessage, Kind kind, Delay delay, java.util.function.Consumer<String> queued)
            throws IOException, CleanupException {
        CleanupSession s = cleanup.open(INTERNAL, from);
        try {
            s.addRecipient(to, null);
            Instant now = Instant.now();
            s.prependHeader("Received: by " + myhostname + " (" + mailName + ")\n\tid " + s.queueId() + "; "
                    + MailDate.format(now));
            byte[] original = original(m, wholeMessage);
            for (String line : text(m, failed, to, postmasterCopy, wholeMessage, now, is8bit(original), kind, delay)) {
                byte[] b = line.getBytes(StandardCharsets.UTF_8);
                s.writeLine(b, 0, b.length);
            }
            int start = 0;
            for (int i = 0; i < original.length; i++) {
                if (original[i] == '\n') {
                    s.writeLine(original, start, i - start);
                    start = i + 1;
                }
            }
            if (start < original.length) {
                s.writeLine(original, start, original.length - start);
            }
            for (String line : List.of("", "--" + boundary(m, now) + "--")) {
                byte[] b = line.getBytes(StandardCharsets.UTF_8);
                s.writeLine(b, 0, b.length);
            }
            String id = s.queueId();
            s.commit(() -> queued.accept(id));
        } catch (IOException | CleanupException | RuntimeException e) {
            s.abort();
            throw e;
        }
    }

    /** Everything before the original message's lines. */
    private List<String> text(QueuedMessage m, List<Failed> failed, String to, boolean postmasterCopy,
                              boolean wholeMessage, Instant now, boolean eightBit, Kind kind, Delay delay) {
        String boundary = boundary(m, now);
        List<String> t = new ArrayList<>();
        // the form Postfix 3.7's cleanup gives its bounce daemon's "MAILER-DAEMON@origin (Mail Delivery System)"
        t.add("Date: " + MailDate.format(now)); // first, as Postfix's bounce writes it
        t.add("From: Mail Delivery System <MAILER-DAEMON@" + myorigin + ">");
        if (kind == Kind.DELIVERED) {
            t.add("Subject: Successful Mail Delivery Report");
        } else if (delay != null) {
            t.add("Subject: " + (postmasterCopy ? "Postmaster Warning: Delayed Mail" : "Delayed Mail (still being retried)"));
        } else {
            t.add("Subject: " + (postmasterCopy ? "Postmaster Copy: Undelivered Mail" : "Undelivered Mail Returned to Sender"));
        }
        t.add("To: " + (to.indexOf('@') >= 0 ? to : to + "@" + myorigin));
        t.add("Auto-Submitted: auto-replied");
        t.add("MIME-Version: 1.0");
        t.add("Content-Type: multipart/report; report-type=delivery-status;");
        t.add("\tboundary=\"" + boundary + "\"");
        // the original's encoding when 8bit, else the template's (Postfix's bounce_header)
        boolean report8bit = eightBit || utf8Template;
        t.add("Content-Transfer-Encoding: " + (report8bit ? "8bit" : "7bit"));
        t.add("");
        t.add("This is a MIME-encapsulated message.");
        t.add("");
        t.add("--" + boundary);
        t.add("Content-Description: Notification");
        if (utf8Template) {
            t.add("Content-Type: text/plain; charset=utf-8");
            t.add("Content-Transfer-Encoding: 8bit");
        } else {
            t.add("Content-Type: text/plain; charset=us-ascii");
        }
        t.add("");
        if (delay != null || !postmasterCopy) {
            t.add("This is the mail system at host " + myhostname + ".");
            t.add("");
            if (kind == Kind.DELIVERED) {
                t.add("Your message was successfully delivered to the destination(s)");
                t.add("listed below. If the message was delivered to mailbox you will");
                t.add("receive no further notifications. Otherwise you may still receive");
                t.add("notifications of mail delivery errors from other systems.");
            } else if (delay != null) {
                t.add("####################################################################");
                t.add("# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #");
                t.add("####################################################################");
                t.add("");
                t.add(String.format(Locale.ROOT, "Your message could not be delivered for %.1f hours.",
                        delay.warningTime().toSeconds() / 3600.0));
                t.add(String.format(Locale.ROOT, "It will be retried until it is %.1f days old.",
                        delay.lifetime().toSeconds() / 86400.0));
            } else {
                t.add("I'm sorry to have to inform you that your message could not");
                t.add("be delivered to one or more recipients. It's attached below.");
            }
            t.add("");
            if (kind != Kind.DELIVERED) {
                t.add("For further assistance, please send mail to postmaster.");
                t.add("");
                t.add("If you do so, please include this problem report. You can");
                t.add("delete your own text from the attached returned message.");
                t.add("");
            }
            t.add("                   The mail system");
            t.add("");
        }
        for (Failed f : failed) {
            StringBuilder b = new StringBuilder("<").append(f.address()).append('>');
            if (f.original() != null && !f.original().equalsIgnoreCase(f.address())) {
                b.append(" (expanded from <").append(f.original()).append(">)");
            }
            b.append(": ").append(f.text());
            wrap(b.toString(), t);
            t.add("");
        }
        t.add("--" + boundary);
        t.add("Content-Description: Delivery report");
        t.add("Content-Type: message/delivery-status");
        t.add("");
        String envid = m.attributes().get("dsn_envid");
        if (envid != null) {
            t.add("Original-Envelope-Id: " + envid);
        }
        t.add("Reporting-MTA: dns; " + myhostname);
        t.add("X-Postfix-Queue-ID: " + m.id());
        t.add("X-Postfix-Sender: rfc822; " + m.sender());
        t.add("Arrival-Date: " + MailDate.format(m.arrivalTime()));
        for (Failed f : failed) {
            t.add("");
            t.add("Final-Recipient: rfc822; " + f.address());
            if (f.orcpt() != null) {
                t.add("Original-Recipient: " + f.orcpt());
            } else if (f.original() != null) {
                t.add("Original-Recipient: rfc822;" + f.original()); // no blank, as Postfix's ORCPT form
            }
            String[] remote = remote(f);
            t.add(kind == Kind.DELIVERED ? "Action: " + (remote != null || !isLocal(f.relay()) ? "relayed" : "delivered")
                    : delay != null ? "Action: delayed" : "Action: failed");
            t.add("Status: " + f.dsn());
            if (remote != null) {
                t.add("Remote-MTA: dns; " + remote[0]);
                t.add("Diagnostic-Code: smtp; " + remote[1]);
            } else if (kind == Kind.DELIVERED && !isLocal(f.relay())) {
                t.add("Remote-MTA: dns; " + f.relay().replaceAll("\\[.*$", ""));
                t.add("Diagnostic-Code: smtp; " + f.text());
            } else {
                t.add("Diagnostic-Code: " + (f.diagnostic() != null ? f.diagnostic() : "X-Postfix; " + f.text()));
            }
            if (delay != null) {
                t.add("Will-Retry-Until: " + MailDate.format(m.arrivalTime().plus(delay.lifetime())));
            }
        }
        t.add("");
        t.add("--" + boundary);
        if (delay != null || kind == Kind.DELIVERED) {
            t.add("Content-Description: Message Headers"); // not "Undelivered": it still may be, or was
            t.add("Content-Type: text/rfc822-headers");
        } else if (wholeMessage) {
            t.add("Content-Description: Undelivered Message");
            t.add("Content-Type: message/rfc822");
        } else {
            t.add("Content-Description: Undelivered Message Headers");
            t.add("Content-Type: text/rfc822-headers");
        }
        if (report8bit) {
            t.add("Content-Transfer-Encoding: 8bit");
        }
        t.add("");
        // Postfix's bounce puts the original envelope sender on top of the returned message
        t.add("Return-Path: <" + m.sender() + ">");
        return t;
    }

    /**
     * For an SMTP agent's text "host mx.example[192.0.2.1] said: 550 5.1.1 ... (in reply to
     * RCPT TO command)": the remote host and its reply, Postfix's Remote-MTA and smtp
     * Diagnostic-Code. Null for local reasons.
     */
    private static String[] remote(Failed f) {
        String text = f.text();
        int said = text.indexOf(" said: ");
        if (!text.startsWith("host ") || said < 0) {
            return null;
        }
        String host = text.substring(5, said);
        int bracket = host.indexOf('[');
        if (bracket > 0) {
            host = host.substring(0, bracket);
        }
        String reply = text.substring(said + 7);
        int inReply = reply.lastIndexOf(" (in reply to ");
        if (inReply > 0) {
            reply = reply.substring(0, inReply);
        }
        return new String[] {host, reply};
    }

    /** Delivered here (mailbox, file, command, discard) rather than handed to another MTA. */
    private static boolean isLocal(String relay) {
        return relay == null || relay.equals("local") || relay.equals("none") || relay.equals("virtual")
                || relay.equals("discard") || relay.equals("pipe") || relay.indexOf('[') < 0;
    }

    /** Postfix wraps diagnostics at 76 columns with a 4-space indent on continuation lines. */
    private static void wrap(String s, List<String> out) {
        final int width = 76;
        StringBuilder line = new StringBuilder();
        boolean hasWord = false;
        for (String word : s.split(" ")) {
            if (hasWord && line.length() + 1 + word.length() > width) {
                out.add(line.toString());
                line.setLength(0);
                line.append("    ");
                hasWord = false;
            }
            if (hasWord) {
                line.append(' ');
            }
            line.append(word);
            hasWord = true;
        }
        if (hasWord) {
            out.add(line.toString());
        }
    }

    private String boundary(QueuedMessage m, Instant now) {
        return m.id() + "." + now.getEpochSecond() + "/" + myhostname;
    }

    /** The original content, or only its header block. */
    private static byte[] original(QueuedMessage m, boolean whole) throws IOException {
        if (whole) {
            return m.readContent(Long.MAX_VALUE);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        try (InputStream in = m.openContent()) {
            int prev = '\n';
            int c;
            while ((c = in.read()) >= 0) {
                if (c == '\n' && prev == '\n') {
                    break;
                }
                out.write(c);
                prev = c;
            }
        }
        return out.toByteArray();
    }

    private static boolean is8bit(byte[] b) {
        for (byte x : b) {
            if (x < 0) {
                return true;
            }
        }
        return false;
    }

    private static String orDefault(String v, String d) {
        return v == null || v.isBlank() ? d : v.strip();
    }
}
