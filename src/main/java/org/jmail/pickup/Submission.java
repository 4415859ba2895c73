package org.jmail.pickup;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jmail.cleanup.CleanupException;
import org.jmail.cleanup.CleanupService;
import org.jmail.cleanup.CleanupSession;
import org.jmail.cleanup.MessageOrigin;
import org.jmail.log.MailLog;
import org.jmail.util.HeaderNames;
import org.jmail.util.MailDate;
import org.jmail.queue.QueuedRecipient;

/**
 * One sendmail(1) submission on its way from a maildrop file into cleanup, with the
 * treatment Postfix's sendmail and pickup give it:
 * <ul>
 * <li>leading {@code From } (and {@code >From }) lines are dropped; trailing CRs are removed;</li>
 * <li>the sender is the {@code -f} address (the first address of its text, {@code <>} the
 *     null sender), else the submitting user's login name; cleanup qualifies it with
 *     {@code @$myorigin};</li>
 * <li>recipients are the addresses in every command-line argument, and with {@code -t} also
 *     those of the {@code To:}, {@code Cc:} and {@code Bcc:} headers — or of the
 *     {@code Resent-To:/-Cc:/-Bcc:} headers when the message has any of those — as
 *     Postfix's sendmail(1) says: "These are added to any recipients specified on the
 *     command line". Cleanup removes {@code Bcc:} ({@code message_drop_headers});</li>
 * <li>a trace header {@code Received: by $myhostname ($mail_name, from userid UID) id ID; date}
 *     goes first, as Postfix's pickup/cleanup write it;</li>
 * <li>a missing {@code From:} is added as {@code From: Full Name <sender@$myorigin>}
 *     (Postfix's {@code header_from_format = standard}), the name from {@code -F}/$NAME or the
 *     GECOS field; cleanup adds Message-Id and Date.</li>
 * </ul>
 *
 * <p>Failure: {@link NoRecipients} when neither the command line nor the headers name a
 * recipient (Postfix's sendmail refuses such a message before queueing it; here it has been
 * dropped already, so the caller logs and removes it); {@link CleanupException} when
 * cleanup refuses the message (size, hops); IOException when it cannot be stored (retry).
 */
final class Submission {

    /** A message without any recipient. */
    static final class NoRecipients extends Exception {
        private static final long serialVersionUID = 1L;

        NoRecipients(String message) {
            super(message);
        }
    }

    private static final MailLog LOG = MailLog.of("pickup");
    /** Header bytes held in memory to find -t recipients; beyond this the rest is body-like. */
    static final int HEADER_BUFFER_LIMIT = 4 << 20;
    private static final Set<String> RESENT = Set.of("resent-bcc", "resent-cc", "resent-date", "resent-from",
            "resent-message-id", "resent-reply-to", "resent-sender", "resent-to");

    private final CleanupService cleanup;
    private final String myhostname;
    private final String myorigin;
    private final String mailName;

    Submission(CleanupService cleanup, String myhostname, String myorigin, String mailName) {
        this.cleanup = cleanup;
        this.myhostname = myhostname;
        this.myorigin = myorigin;
        this.mailName = mailName;
    }

    /**
     * Feeds the message into cleanup and commits it; returns the queue id.
     *
     * @param login  the submitting user's login name (the file owner's)
     * @param uid    the submitting user's uid
     * @param gecos  the user's GECOS field, or null
     * @param content the stream positioned after the envelope
     */
    String submit(MaildropFile env, InputStream content, String login, int uid, String gecos)
            throws IOException, CleanupException, NoRecipients {
        ContentLines lines = new ContentLines(content);
        HeaderBlock head = HeaderBlock.read(lines);

        String sender = env.sender() != null ? AddressList.first(env.sender()) : login;
        List<String> recipients = new ArrayList<>();
        for (String arg : env.recipientArgs()) {
            addAll(recipients, AddressList.parse(arg));
        }
        if (env.extractRecipients()) {
            addAll(recipients, head.recipients());
        }
        if (recipients.isEmpty()) {
            throw new NoRecipients(env.extractRecipients() ? "No recipient addresses found in message header"
                    : "Recipient addresses must be specified on the command line or via the -t option");
        }

        MessageOrigin origin = new MessageOrigin("localhost", "127.0.0.1", 0, null, "local", null, null, login);
        CleanupSession s = cleanup.open(origin, sender);
        boolean done = false;
        try {
            // sendmail -R, -V and -N: the DSN requests, as Postfix's sendmail passes them to cleanup
            String ret = env.attributes().get("ret");
            ret = ret == null ? null : ret.strip().toUpperCase(java.util.Locale.ROOT);
            s.dsn("FULL".equals(ret) || "HDRS".equals(ret) ? ret : null, env.attributes().get("envid"));
            int notify = QueuedRecipient.parseNotify(env.attributes().get("notify"));
            for (String r : recipients) {
                s.addRecipient(r, null, notify, null);
            }
            s.prependHeader("Received: by " + myhostname + " (" + mailName + ", from userid " + uid + ")\n\tid "
                    + s.queueId() + "; " + MailDate.format(Instant.now()));
            String from = !head.hasFrom && !head.resent && !sender.isEmpty() ? fromHeader(sender, env.fullName(), login, gecos)
                    : null;
            for (byte[] l : head.lines) {
                s.writeLine(l, 0, l.length);
            }
            if (from != null) {
                byte[] f = from.getBytes(StandardCharsets.UTF_8);
                s.writeLine(f, 0, f.length);
            }
            if (head.terminator != null) {
                s.writeLine(head.terminator, 0, head.terminator.length);
            }
            if (head.more) {
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
    }

    private static void addAll(List<String> out, List<String> addresses) {
        for (String a : addresses) {
            if (a.isEmpty()) {
                LOG.warn("ignoring empty recipient address");
            } else {
                out.add(a);
            }
        }
    }

    /** {@code From: Name <addr>} as Postfix's header_from_format = standard writes it. */
    String fromHeader(String sender, String fullName, String login, String gecos) {
        String addr = sender.indexOf('@') >= 0 || myorigin.isEmpty() ? sender : sender + "@" + myorigin;
        String name = fullName != null ? fullName : gecosName(gecos, login);
        if (name == null || name.isBlank()) {
            return "From: " + addr;
        }
        return "From: " + phrase(name.strip()) + " <" + addr + ">";
    }

    /** The GECOS full name as Postfix's fullname() reads it: up to the first ',', '&' = Login. */
    static String gecosName(String gecos, String login) {
        if (gecos == null || gecos.isEmpty()) {
            return null;
        }
        int comma = gecos.indexOf(',');
        String g = comma >= 0 ? gecos.substring(0, comma) : gecos;
        if (g.indexOf('&') >= 0 && !login.isEmpty()) {
            g = g.replace("&", Character.toUpperCase(login.charAt(0)) + login.substring(1));
        }
        return g;
    }

    /** A display name, quoted when it holds RFC 5322 specials. */
    static String phrase(String name) {
        boolean plain = true;
        for (int i = 0; i < name.length() && plain; i++) {
            char c = name.charAt(i);
            plain = "()<>@,;:\\\".[]".indexOf(c) < 0 && c >= 0x20 && c != 0x7f;
        }
        if (plain) {
            return name;
        }
        StringBuilder b = new StringBuilder(name.length() + 2).append('"');
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.append('"').toString();
    }

    /**
     * The primary header block, held in memory so that -t recipients are known before the
     * first content line goes to cleanup (recipients must come first there).
     */
    static final class HeaderBlock {
        final List<byte[]> lines = new ArrayList<>();
        /** The line that ended the block (the empty line or the first body line), or null at EOF. */
        byte[] terminator;
        /** True when more input follows the terminator. */
        boolean more;
        boolean hasFrom;
        boolean resent;
        /** A Resent-To/-Cc/-Bcc header was seen (even an empty one): only those name recipients. */
        private boolean resentRecipients;
        private final List<String> to = new ArrayList<>();
        private final List<String> resentTo = new ArrayList<>();

        List<String> recipients() {
            return resentRecipients ? resentTo : to;
        }

        static HeaderBlock read(ContentLines in) throws IOException {
            HeaderBlock h = new HeaderBlock();
            StringBuilder logical = new StringBuilder();
            String name = null;
            long bytes = 0;
            boolean first = true;
            int n;
            while ((n = in.next()) >= 0) {
                byte[] b = in.buffer();
                if (first && isFromLine(b, n)) {
                    continue; // Postfix's sendmail drops leading From_ lines
                }
                first = false;
                boolean continuation = n > 0 && (b[0] == ' ' || b[0] == '\t') && name != null;
                int nameLen = continuation ? 0 : HeaderNames.nameLength(b, 0, n);
                if (!continuation && nameLen == 0 || bytes > HEADER_BUFFER_LIMIT) {
                    h.finish(name, logical);
                    h.terminator = java.util.Arrays.copyOf(b, n);
                    h.more = true;
                    return h;
                }
                h.lines.add(java.util.Arrays.copyOf(b, n));
                bytes += n + 1;
                if (continuation) {
                    logical.append(' ').append(new String(b, 0, n, StandardCharsets.UTF_8));
                } else {
                    h.finish(name, logical);
                    name = new String(b, 0, nameLen, StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
                    int colon = nameLen;
                    while (b[colon] != ':') {
                        colon++;
                    }
                    logical.setLength(0);
                    logical.append(new String(b, colon + 1, n - colon - 1, StandardCharsets.UTF_8));
                }
            }
            h.finish(name, logical);
            return h;
        }

        private void finish(String name, StringBuilder value) {
            if (name == null) {
                return;
            }
            if (RESENT.contains(name)) {
                resent = true;
            }
            switch (name) {
                case "from" -> hasFrom = true;
                case "to", "cc", "bcc" -> to.addAll(AddressList.parse(value.toString()));
                case "resent-to", "resent-cc", "resent-bcc" -> {
                    resentRecipients = true; // Postfix's cleanup: the first one switches, Resent-From does not
                    resentTo.addAll(AddressList.parse(value.toString()));
                }
                default -> {
                    // not an address header
                }
            }
        }

        private static boolean isFromLine(byte[] b, int n) {
            int i = 0;
            while (i < n && b[i] == '>') {
                i++;
            }
            return n - i >= 5 && b[i] == 'F' && b[i + 1] == 'r' && b[i + 2] == 'o' && b[i + 3] == 'm' && b[i + 4] == ' ';
        }
    }
}
