package org.jmail.local;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jmail.log.MailLog;
import org.jmail.mailbox.MboxFormat;
import org.jmail.posix.UnixUser;
import org.jmail.qmgr.DeliveryRequest;
import org.jmail.resolve.Resolution;
import org.jmail.resolve.Resolver;

/**
 * Expands one top-level recipient into destinations, following Postfix's local(8) step by step
 * (recipient.c, token.c, resolve.c, mailbox.c, unknown.c, command.c, file.c): the full local
 * part, then the part without extension, is looked up in alias_maps ({@link AliasStep});
 * otherwise the user's .forward ({@link DotForwardStep}); otherwise the Unix account's mailbox;
 * otherwise the recipient bounces with {@code 5.1.1 unknown user: "name"}.
 *
 * <p>Destinations found in aliases, .forward and {@code :include:} files are dispatched by
 * their first character: {@code /file}, {@code ~/file}, {@code |command},
 * {@code :include:/path}, or an address, which is resolved and delivered here again when it
 * is local, or forwarded through cleanup when it is not (or when an owner is set). Loops are
 * stopped by the duplicate filter, by an alias naming itself (= the user), by the
 * Delivered-To headers already in the message, and by the alias nesting limit of 100.
 *
 * <p>Nothing is written here: the result is a list of {@link Destination}s and immediate
 * outcomes (bounces, deferrals) on the {@link RecipientJob}.
 */
final class Expansion {

    static final int MAX_LEVEL = 100;

    private static final MailLog LOG = MailLog.of("local");

    final LocalSettings settings;
    final AliasMaps aliases;
    final Accounts accounts;
    final Resolver resolver;
    final RecipientJob job;
    final String queueId;
    private final Set<String> deliveredTo;
    private final Map<String, String> clientEnv;
    /** The address being delivered (Postfix's rcpt.address): what a bounce or deferral names. */
    private String current;

    Expansion(LocalSettings settings, AliasMaps aliases, Accounts accounts, Resolver resolver, RecipientJob job,
              String queueId, Set<String> deliveredTo, Map<String, String> clientEnv) {
        this.settings = settings;
        this.aliases = aliases;
        this.accounts = accounts;
        this.resolver = resolver;
        this.job = job;
        this.queueId = queueId;
        this.deliveredTo = deliveredTo;
        this.clientEnv = clientEnv;
    }

    /** What Postfix's command.c exports about the message's origin, when known. */
    static Map<String, String> clientEnvironment(DeliveryRequest request) {
        Map<String, String> env = new LinkedHashMap<>();
        String[][] names = {{"CLIENT_HOSTNAME", "client_name"}, {"CLIENT_ADDRESS", "client_address"},
            {"CLIENT_HELO", "helo_name"}, {"CLIENT_PROTOCOL", "protocol"}, {"SASL_METHOD", "sasl_method"},
            {"SASL_SENDER", "sasl_sender"}, {"SASL_USERNAME", "sasl_username"}};
        for (String[] n : names) {
            String v = request.attribute(n[1]);
            if (v != null && !v.isEmpty()) {
                env.put(n[0], v);
            }
        }
        return env;
    }

    /** Expands the job's recipient. */
    void run(String sender) {
        String addr = job.recipient.address();
        String orig = job.recipient.original() != null ? job.recipient.original() : addr;
        DeliveryState s = new DeliveryState(0, addr, orig, null, null, null, null, null, null, null, 0, null,
                sender, null);
        deliverRecipient(s, UserAttr.NONE);
    }

    // ---- recipient.c

    void deliverRecipient(DeliveryState s, UserAttr u) {
        String outer = current;
        current = s.address();
        try {
            recipient(s, u);
        } finally {
            current = outer;
        }
    }

    private void recipient(DeliveryState s, UserAttr u) {
        s = s.deeper();
        // Postfix has no limit here: an alias loop ends in AliasStep (alias database loop for
        // NAME). This one only guards against a recursion no Postfix check would catch.
        if (s.level() > 2 * MAX_LEVEL) {
            LOG.warn("recipient nesting limit exceeded for " + s.address());
            bounce("5.4.6", "recipient nesting limit exceeded");
            return;
        }
        if (job.beenHere("recipient " + s.level() + " " + s.address())) {
            return;
        }
        if (deliveredTo.contains(MboxFormat.quoteLocalPart(s.address()).toLowerCase(Locale.ROOT))) {
            bounce("5.4.6", "mail forwarding loop for " + s.address());
            return;
        }
        if (s.delivered() == null) {
            s = s.withDelivered(s.address());
        }
        String folded = s.address().toLowerCase(Locale.ROOT);
        int at = folded.lastIndexOf('@');
        String local = at >= 0 ? folded.substring(0, at) : folded;
        String domain = at >= 0 ? folded.substring(at + 1) : null;
        if (at < 0) {
            LOG.warn("no @ in recipient address: " + local);
        }
        String user = local;
        String extension = null;
        String delimiter = null;
        if (!settings.recipientDelimiter.isEmpty()) {
            int cut = splitPoint(local, settings.recipientDelimiter, settings.ownerRequestSpecial);
            if (cut >= 0) {
                user = local.substring(0, cut);
                extension = local.substring(cut + 1);
                delimiter = local.substring(cut, cut + 1);
                if (extension.indexOf('/') >= 0) {
                    LOG.warn(queueId + ": address with illegal extension: " + local);
                    extension = null;
                    delimiter = null;
                    local = user;
                }
            }
        }
        s = s.withParts(local, user, extension, delimiter, domain).withUnmatched(extension);
        if (user.isEmpty()) {
            bounce("5.1.3", "null username in \"" + s.address() + "\"");
            return;
        }
        deliverSwitch(s, u);
    }

    /** split_addr(): where the extension starts, or -1 (reserved names are never split). */
    static int splitPoint(String local, String delimiters, boolean ownerRequestSpecial) {
        if (local.equalsIgnoreCase("postmaster") || local.equalsIgnoreCase("mailer-daemon")
                || local.equalsIgnoreCase("double-bounce")) {
            return -1;
        }
        if (delimiters.indexOf('-') >= 0 && ownerRequestSpecial) {
            if (local.regionMatches(true, 0, "owner-", 0, 6)) {
                return -1;
            }
            if (local.length() > 8 && local.regionMatches(true, local.length() - 8, "-request", 0, 8)) {
                return -1;
            }
        }
        for (int i = 0; i < local.length(); i++) {
            if (delimiters.indexOf(local.charAt(i)) >= 0) {
                return i == 0 ? -1 : i;
            }
        }
        return -1;
    }

    private void deliverSwitch(DeliveryState s, UserAttr u) {
        s = s.deeper();
        // A backslash-escaped user: no alias or .forward expansion
        if (s.address().startsWith("\\")) {
            DeliveryState d = s.withAddress(s.address().substring(1))
                    .withParts(s.local().substring(1), s.user().substring(1), s.extension(), s.delimiter(), s.domain());
            if (!deliverMailbox(d)) {
                deliverUnknown(d, u);
            }
            return;
        }
        s = s.withUnmatched(null);
        if (AliasStep.deliver(this, s, u, s.local())) {
            return;
        }
        if (s.extension() != null) {
            if ((settings.extPropMask & LocalSettings.EXT_PROP_ALIAS) != 0) {
                s = s.withUnmatched(s.extension());
            }
            if (AliasStep.deliver(this, s, u, s.user())) {
                return;
            }
            s = s.withUnmatched(s.extension());
        }
        // Mail forwarded by an owner (owner- alias, .forward, :include:) to another local
        // user is resubmitted as a new message, so that every recipient gets its own queue
        // file status record.
        if (s.owner() != null && !s.owner().equalsIgnoreCase(s.user())) {
            deliverIndirect(s);
            return;
        }
        if (s.expType() == LocalSettings.EXP_INCLUDE) {
            deliverIndirect(s);
            return;
        }
        if (!DotForwardStep.deliver(this, s, u) && !deliverMailbox(s)) {
            deliverUnknown(s, u);
        }
    }

    // ---- token.c

    /** Delivers to every destination in an alias value or a .forward/:include: line. */
    int deliverTokenString(DeliveryState s, UserAttr u, String value) {
        List<String> tokens = AddressTokens.split(value);
        for (String t : tokens) {
            deliverToken(s, u, t);
        }
        return tokens.size();
    }

    /** Delivers to every line of a .forward or :include: file ('#' lines are comments). */
    int deliverTokenLines(DeliveryState s, UserAttr u, List<String> lines) {
        int count = 0;
        for (String line : lines) {
            if (line.startsWith("#")) {
                continue;
            }
            count += deliverTokenString(s, u, line);
        }
        return count;
    }

    private void deliverToken(DeliveryState s, UserAttr u, String token) {
        if (token.startsWith("/")) {
            deliverFile(s, u, token);
        } else if (token.startsWith("~")) {
            if (token.length() < 2 || token.charAt(1) != '/') {
                LOG.warn("bad home directory syntax for: " + token);
                bounce("5.3.5", "mail system configuration error");
            } else if (u.home() == null) {
                LOG.warn("unknown home directory for: " + token);
                bounce("5.3.5", "mail system configuration error");
            } else if (u.home().equals("/")) {
                deliverFile(s, u, token.substring(1));
            } else {
                deliverFile(s, u, u.home() + token.substring(1));
            }
        } else if (token.startsWith("|")) {
            if ((settings.commandMask & s.expType()) == 0) {
                bounce("5.7.1", "mail to command is restricted");
            } else {
                deliverCommand(s, u, token.substring(1).strip());
            }
        } else if (token.regionMatches(true, 0, ":include:", 0, 9)) {
            IncludeStep.deliver(this, s, u, token.substring(9).strip());
        } else {
            deliverResolve(s, u, token);
        }
    }

    // ---- resolve.c

    void deliverResolve(DeliveryState s, UserAttr u, String addr) {
        s = s.deeper();
        String canon = canonical(addr);
        Resolution r;
        try {
            r = resolver.resolve(canon);
        } catch (IOException e) {
            defer("4.3.0", "address resolver failure");
            return;
        }
        String rcpt = r.recipient() != null ? r.recipient() : canon;
        if (s.unmatched() != null) {
            String delim = settings.recipientDelimiter.isEmpty() ? "+" : settings.recipientDelimiter.substring(0, 1);
            int at = rcpt.lastIndexOf('@');
            rcpt = at < 0 ? rcpt + delim + s.unmatched() : rcpt.substring(0, at) + delim + s.unmatched() + rcpt.substring(at);
        }
        s = s.withAddress(rcpt);
        if ("local".equals(r.transport())) {
            deliverRecipient(s, u);
        } else {
            deliverIndirect(s);
        }
    }

    /** canon_addr_internal(): a bare local part gets @$myorigin; angle brackets go. */
    String canonical(String addr) {
        String a = addr.strip();
        if (a.startsWith("<") && a.endsWith(">")) {
            a = a.substring(1, a.length() - 1).strip();
        }
        int at = lastUnquotedAt(a);
        return at < 0 ? a + "@" + settings.myorigin : a;
    }

    private static int lastUnquotedAt(String a) {
        boolean q = false;
        int at = -1;
        for (int i = 0; i < a.length(); i++) {
            char c = a.charAt(i);
            if (c == '"') {
                q = !q;
            } else if (c == '\\') {
                i++;
            } else if (c == '@' && !q) {
                at = i;
            }
        }
        return at;
    }

    // ---- indirect.c

    void deliverIndirect(DeliveryState s) {
        if (job.beenHere("indirect " + s.address())) {
            return;
        }
        job.add(new Destination.Forward(job, s.address(), s.sender(), s.original(), s.delivered()));
    }

    // ---- mailbox.c

    /** Mailbox delivery for {@code s.user()}; false when there is no such account. */
    boolean deliverMailbox(DeliveryState s) {
        if (job.beenHere("mailbox " + s.local())) {
            return true;
        }
        UnixUser pw = accounts.byName(s.user());
        if (pw == null) {
            return false;
        }
        deliverMailboxOf(s, pw);
        return true;
    }

    private void deliverMailboxOf(DeliveryState s, UnixUser pw) {
        UserAttr u = UserAttr.of(pw);
        if (!settings.mailboxCommand.isEmpty()) {
            LocalExpander.Result cmd = LocalExpander.expand(settings.mailboxCommand, attributes(s, u),
                    settings.commandExpansionFilter);
            deliverCommand(s, u, cmd.text());
            return;
        }
        String path;
        if (!settings.homeMailbox.isEmpty()) {
            path = pw.home() + "/" + settings.homeMailbox;
        } else {
            path = settings.spoolDirectory + (settings.spoolDirectory.endsWith("/") ? "" : "/") + pw.name();
            if (settings.spoolDirectory.endsWith("/")) {
                path = path + "/";
            }
        }
        if (path.endsWith("/")) {
            defer("4.3.5", "maildir delivery is not yet supported: " + path);
            return;
        }
        // Delivered-To: the recipient local(8) was given (frozen_delivered_to), else the final one
        String delivered = settings.frozenDeliveredTo ? s.delivered() : s.address();
        job.add(new Destination.MailboxCopy(job, path, pw, pw.uid(), pw.gid(), s.sender(), s.original(), delivered,
                s.address()));
    }

    // ---- unknown.c

    void deliverUnknown(DeliveryState s, UserAttr u) {
        if (job.beenHere("deliver_unknown " + s.local())) {
            return;
        }
        if (!settings.luserRelay.isEmpty()) {
            LocalExpander.Result r = LocalExpander.expand(settings.luserRelay, attributes(s, u), null);
            deliverResolve(s.withUnmatched(null), u, r.text());
            return;
        }
        if (s.user().equalsIgnoreCase("postmaster") || s.user().equalsIgnoreCase("mailer-daemon")) {
            // Postfix discards here; jmail makes postmaster always resolve: to root's mailbox.
            LOG.warn("required alias not found: " + s.user());
            UnixUser root = accounts.byUid(0);
            if (root != null && !job.beenHere("mailbox " + root.name())) {
                deliverMailboxOf(s, root);
                return;
            }
        }
        bounce("5.1.1", "unknown user: \"" + s.user() + "\"");
    }

    // ---- command.c

    void deliverCommand(DeliveryState s, UserAttr u, String command) {
        if (job.beenHere("command " + s.user() + ":" + u.uid() + " " + command)) {
            return;
        }
        int uid = u.uid();
        int gid = u.gid();
        if (uid == 0 || gid == 0) {
            UnixUser dp = defaultPrivs();
            if (dp == null) {
                defer("4.3.5", "mail system configuration error");
                return;
            }
            uid = uid == 0 ? dp.uid() : uid;
            gid = gid == 0 ? dp.gid() : gid;
        }
        Map<String, String> env = new LinkedHashMap<>();
        if (u.home() != null) {
            env.put("HOME", u.home());
        }
        env.put("LOGNAME", s.user());
        env.put("USER", s.user());
        env.put("SENDER", s.sender());
        env.put("RECIPIENT", s.address());
        env.put("LOCAL", s.local());
        if (u.shell() != null) {
            env.put("SHELL", u.shell());
        }
        if (s.domain() != null) {
            env.put("DOMAIN", s.domain());
        }
        if (s.extension() != null) {
            env.put("EXTENSION", s.extension());
        }
        if (s.original() != null && !s.original().isEmpty()) {
            env.put("ORIGINAL_RECIPIENT", s.original());
        }
        env.putAll(clientEnv);
        for (Map.Entry<String, String> e : env.entrySet()) {
            e.setValue(censor(e.getValue(), settings.commandExpansionFilter));
        }
        String delivered = (settings.deliveredHeaderMask & LocalSettings.HDR_COMMAND) != 0 ? s.delivered() : null;
        job.add(new Destination.CommandRun(job, command, uid, gid, env, s.sender(), s.original(), delivered,
                s.address()));
    }

    private static String censor(String v, String allowed) {
        StringBuilder sb = new StringBuilder(v);
        for (int i = 0; i < sb.length(); i++) {
            if (allowed.indexOf(sb.charAt(i)) < 0) {
                sb.setCharAt(i, '_');
            }
        }
        return sb.toString();
    }

    // ---- file.c

    void deliverFile(DeliveryState s, UserAttr u, String path) {
        if (job.beenHere("file " + u.uid() + " " + path)) {
            return;
        }
        if ((settings.fileMask & s.expType()) == 0) {
            bounce("5.7.1", "mail to file is restricted");
            return;
        }
        int uid = u.uid();
        int gid = u.gid();
        if (uid == 0 || gid == 0) {
            UnixUser dp = defaultPrivs();
            if (dp == null) {
                defer("4.3.5", "mail system configuration error");
                return;
            }
            uid = uid == 0 ? dp.uid() : uid;
            gid = gid == 0 ? dp.gid() : gid;
        }
        if (path.endsWith("/")) {
            defer("4.3.5", "maildir delivery is not yet supported: " + path);
            return;
        }
        String delivered = (settings.deliveredHeaderMask & LocalSettings.HDR_FILE) != 0 ? s.delivered() : null;
        job.add(new Destination.MailboxCopy(job, path, null, uid, gid, s.sender(), s.original(), delivered,
                s.address()));
    }

    UnixUser defaultPrivs() {
        UnixUser dp = accounts.byName(settings.defaultPrivs);
        if (dp == null) {
            LOG.warn("unknown default_privs user: " + settings.defaultPrivs);
        } else if (dp.uid() == 0 || dp.gid() == 0) {
            LOG.warn("default_privs user " + settings.defaultPrivs + " has privileged user or group id");
            return null;
        }
        return dp;
    }

    // ---- local_expand.c

    Map<String, String> attributes(DeliveryState s, UserAttr u) {
        Map<String, String> m = new java.util.HashMap<>();
        m.put("user", s.user());
        m.put("home", u.home());
        m.put("shell", u.shell());
        m.put("domain", s.domain());
        m.put("local", s.local());
        m.put("mailbox", s.local());
        m.put("recipient", s.address());
        m.put("extension", s.extension());
        m.put("recipient_delimiter", s.delimiter());
        return m;
    }

    // ---- outcomes

    void bounce(String dsn, String text) {
        job.add(Status.bounced(dsn, text).at(current));
    }

    void defer(String dsn, String text) {
        job.add(Status.deferred(dsn, text).at(current));
    }
}
