package org.jmail.imap;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jmail.store.AppendResult;
import org.jmail.store.MailStore;
import org.jmail.store.Mailbox;
import org.jmail.store.MailboxInfo;
import org.jmail.store.MailboxStatus;
import org.jmail.store.StoreException;
import org.jmail.store.StoredMessage;

/**
 * The authenticated-state commands of RFC 3501 6.3 plus NAMESPACE, ENABLE and QUOTA:
 * SELECT/EXAMINE (untagged responses in Dovecot's order), CREATE, DELETE, RENAME,
 * (UN)SUBSCRIBE, LIST (with LIST-EXTENDED selection/return options SUBSCRIBED,
 * SPECIAL-USE, CHILDREN), LSUB, STATUS, APPEND (APPENDUID). Store failures become tagged NO
 * replies with RFC 5530 codes (see {@link ImapSession#storeError}).
 */
final class MailboxCommands {

    private static final Set<String> NAMES = Set.of("SELECT", "EXAMINE", "CREATE", "DELETE", "RENAME",
            "SUBSCRIBE", "UNSUBSCRIBE", "LIST", "LSUB", "STATUS", "APPEND", "NAMESPACE", "ENABLE", "GETQUOTAROOT",
            "GETQUOTA", "SETQUOTA");
    static final String QUOTA_ROOT = "User quota";

    private final ImapSession s;

    MailboxCommands(ImapSession s) {
        this.s = s;
    }

    static boolean handles(String name) {
        return NAMES.contains(name);
    }

    void execute(ImapCommand cmd) throws IOException, ImapException, StoreException {
        switch (cmd.name()) {
            case "SELECT" -> select(cmd, false);
            case "EXAMINE" -> select(cmd, true);
            case "CREATE" -> {
                String name = mailbox(cmd, 0, 1);
                s.store.create(name);
                ok(cmd, "OK Create completed.");
            }
            case "DELETE" -> {
                String name = mailbox(cmd, 0, 1);
                if (s.selected != null && s.selected.box.name().equals(name)) {
                    s.selected.box.close();
                    s.selected = null;
                    s.state = ImapSession.State.AUTHENTICATED;
                }
                s.store.delete(name);
                ok(cmd, "OK Delete completed.");
            }
            case "RENAME" -> {
                String from = mailbox(cmd, 0, 2);
                String to = mailbox(cmd, 1, 2);
                s.store.rename(from, to);
                ok(cmd, "OK Rename completed.");
            }
            case "SUBSCRIBE" -> {
                s.store.subscribe(mailbox(cmd, 0, 1));
                ok(cmd, "OK Subscribe completed.");
            }
            case "UNSUBSCRIBE" -> {
                s.store.unsubscribe(mailbox(cmd, 0, 1));
                ok(cmd, "OK Unsubscribe completed.");
            }
            case "LIST" -> list(cmd, false);
            case "LSUB" -> list(cmd, true);
            case "STATUS" -> status(cmd);
            case "APPEND" -> append(cmd);
            case "NAMESPACE" -> {
                s.untagged("NAMESPACE ((\"\" \"/\")) NIL NIL");
                ok(cmd, "OK Namespace completed.");
            }
            case "ENABLE" -> {
                if (cmd.args().isEmpty()) {
                    throw ImapException.bad("Missing arguments.");
                }
                s.untagged("ENABLED");
                ok(cmd, "OK Enabled.");
            }
            case "GETQUOTAROOT" -> {
                String name = mailbox(cmd, 0, 1);
                MailStore.Quota q = quota();
                s.untagged("QUOTAROOT " + quoteName(name) + " \"" + QUOTA_ROOT + "\"");
                s.untagged("QUOTA \"" + QUOTA_ROOT + "\" (STORAGE " + q.usedBytes() / 1024 + " "
                        + q.limitBytes() / 1024 + ")");
                ok(cmd, "OK Getquotaroot completed.");
            }
            case "GETQUOTA" -> {
                String root = astring(cmd, 0, 1);
                MailStore.Quota q = quota();
                if (!root.equals(QUOTA_ROOT)) {
                    s.tagged(cmd.tag(), "NO Quota root does not exist.");
                    return;
                }
                s.untagged("QUOTA \"" + QUOTA_ROOT + "\" (STORAGE " + q.usedBytes() / 1024 + " "
                        + q.limitBytes() / 1024 + ")");
                ok(cmd, "OK Getquota completed.");
            }
            case "SETQUOTA" -> s.tagged(cmd.tag(), "NO [NOPERM] Permission denied.");
            default -> throw ImapException.bad("Unknown command.");
        }
    }

    private MailStore.Quota quota() throws ImapException {
        MailStore.Quota q = s.store.quota();
        if (q == null) {
            throw ImapException.no("Quota not enabled.");
        }
        return q;
    }

    /** Syncs the selected mailbox (new mail, expunges by others) and sends the tagged OK. */
    private void ok(ImapCommand cmd, String text) throws IOException, StoreException {
        s.syncSelected(false);
        s.tagged(cmd.tag(), text);
    }

    static String astring(ImapCommand cmd, int i, int count) throws ImapException {
        if (cmd.args().size() != count) {
            throw ImapException.bad(cmd.args().size() < count ? "Missing arguments." : "Invalid arguments.");
        }
        String v = cmd.args().get(i).astring();
        if (v == null) {
            throw ImapException.bad("Invalid arguments.");
        }
        return v;
    }

    static String mailbox(ImapCommand cmd, int i, int count) throws ImapException {
        return normalize(astring(cmd, i, count));
    }

    /** INBOX in any case is INBOX; names must be 7-bit (mUTF-7) and free of control characters. */
    static String normalize(String name) throws ImapException {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 0x80) {
                throw ImapException.no("[CANNOT] Mailbox name is not valid mUTF-7");
            }
            if (c < 0x20 || c == 0x7f) {
                throw ImapException.no("[CANNOT] Invalid mailbox name");
            }
        }
        if (name.equalsIgnoreCase("INBOX")) {
            return "INBOX";
        }
        if (name.length() > 6 && name.regionMatches(true, 0, "INBOX/", 0, 6)) {
            return "INBOX" + name.substring(5);
        }
        return name;
    }

    static String quoteName(String name) {
        return ImapWriter.isAtom(name) ? name : ImapWriter.quote(name);
    }

    // ---------------------------------------------------------------- SELECT

    private void select(ImapCommand cmd, boolean examine) throws IOException, ImapException, StoreException {
        List<ImapArg> args = cmd.args();
        if (args.isEmpty() || args.size() > 2 || args.get(0).astring() == null) {
            throw ImapException.bad(args.isEmpty() ? "Missing arguments." : "Invalid arguments.");
        }
        String name = normalize(args.get(0).astring());
        if (s.selected != null) {
            s.selected.box.close();
            s.selected = null;
            s.state = ImapSession.State.AUTHENTICATED;
            s.untagged("OK [CLOSED] Previous mailbox closed.");
        }
        Mailbox box = s.store.open(name, examine);
        SelectedMailbox sel = new SelectedMailbox(box, examine);
        List<StoredMessage> msgs = box.messages();
        sel.writeFlags(s.out);
        s.untagged(msgs.size() + " EXISTS");
        s.untagged(sel.recentCount() + " RECENT");
        for (int i = 0; i < msgs.size(); i++) {
            if (!msgs.get(i).has(StoredMessage.SEEN)) {
                s.untagged("OK [UNSEEN " + (i + 1) + "] First unseen.");
                break;
            }
        }
        s.untagged("OK [UIDVALIDITY " + box.uidValidity() + "] UIDs valid");
        s.untagged("OK [UIDNEXT " + box.uidNext() + "] Predicted next UID");
        if (box.highestModseq() > 0) {
            s.untagged("OK [HIGHESTMODSEQ " + box.highestModseq() + "] Highest");
        }
        sel.markReported();
        s.selected = sel;
        s.state = ImapSession.State.SELECTED;
        boolean ro = sel.readOnly();
        s.tagged(cmd.tag(), "OK [" + (ro ? "READ-ONLY" : "READ-WRITE") + "] " + (examine ? "Examine" : "Select")
                + " completed.");
    }

    // ---------------------------------------------------------------- LIST / LSUB

    private void list(ImapCommand cmd, boolean lsub) throws IOException, ImapException, StoreException {
        List<ImapArg> args = new ArrayList<>(cmd.args());
        boolean selSubscribed = false;
        boolean selSpecialUse = false;
        boolean retSubscribed = false;
        boolean retChildren = true;
        boolean retSpecialUse = true;
        if (!lsub && !args.isEmpty() && args.get(0) instanceof ImapArg.ListArg sel) {
            for (ImapArg o : sel.items()) {
                String opt = String.valueOf(o.astring()).toUpperCase(Locale.ROOT);
                switch (opt) {
                    case "SUBSCRIBED" -> selSubscribed = true;
                    case "SPECIAL-USE" -> selSpecialUse = true;
                    case "RECURSIVEMATCH", "REMOTE" -> { }
                    default -> throw ImapException.bad("List options contains unknown keyword " + opt);
                }
            }
            args.remove(0);
        }
        if (!lsub && args.size() >= 3 && args.get(args.size() - 2) instanceof ImapArg.Atom r
                && r.value().equalsIgnoreCase("RETURN") && args.get(args.size() - 1) instanceof ImapArg.ListArg ret) {
            for (ImapArg o : ret.items()) {
                String opt = String.valueOf(o.astring()).toUpperCase(Locale.ROOT);
                switch (opt) {
                    case "SUBSCRIBED" -> retSubscribed = true;
                    case "CHILDREN" -> retChildren = true;
                    case "SPECIAL-USE" -> retSpecialUse = true;
                    default -> throw ImapException.bad("Unknown return option " + opt);
                }
            }
            args.remove(args.size() - 1);
            args.remove(args.size() - 1);
        }
        if (args.size() != 2 || args.get(0).astring() == null) {
            throw ImapException.bad(args.size() < 2 ? "Missing arguments." : "Invalid arguments.");
        }
        String ref = args.get(0).astring();
        List<String> patterns = new ArrayList<>();
        if (args.get(1) instanceof ImapArg.ListArg pl) {
            for (ImapArg p : pl.items()) {
                if (p.astring() == null) {
                    throw ImapException.bad("Invalid arguments.");
                }
                patterns.add(p.astring());
            }
        } else {
            patterns.add(args.get(1).astring());
        }
        String verb = lsub ? "LSUB" : "LIST";
        if (patterns.size() == 1 && patterns.get(0).isEmpty() && !selSubscribed) {
            s.untagged(verb + " (\\Noselect) \"/\" \"\"");
            ok(cmd, "OK " + (lsub ? "Lsub" : "List") + " completed.");
            return;
        }
        List<String> full = new ArrayList<>();
        for (String p : patterns) {
            String f;
            if (ref.isEmpty() || p.startsWith("/")) {
                f = p;
            } else {
                f = ref.endsWith("/") ? ref + p : ref + p;
            }
            full.add(f);
        }
        Set<String> subscribed = new LinkedHashSet<>(lsub || selSubscribed || retSubscribed
                ? s.store.subscriptions() : List.of());
        if (lsub) {
            for (String name : subscribed) {
                if (matchesAny(full, name)) {
                    s.untagged("LSUB () \"/\" " + quoteName(name));
                }
            }
            ok(cmd, "OK Lsub completed.");
            return;
        }
        List<MailboxInfo> all = s.store.list();
        Set<String> existing = new HashSet<>();
        for (MailboxInfo mi : all) {
            existing.add(mi.name());
        }
        if (selSubscribed) {
            for (String name : subscribed) {
                if (!matchesAny(full, name)) {
                    continue;
                }
                MailboxInfo mi = find(all, name);
                StringBuilder attrs = new StringBuilder();
                if (mi == null) {
                    attrs.append("\\NonExistent");
                } else {
                    attrs.append(attributes(mi, retChildren, retSpecialUse));
                }
                if (attrs.length() > 0) {
                    attrs.append(' ');
                }
                attrs.append("\\Subscribed");
                s.untagged("LIST (" + attrs + ") \"/\" " + quoteName(name));
            }
            ok(cmd, "OK List completed.");
            return;
        }
        for (MailboxInfo mi : all) {
            if (!matchesAny(full, mi.name())) {
                continue;
            }
            if (selSpecialUse && !hasSpecialUse(mi)) {
                continue;
            }
            StringBuilder attrs = new StringBuilder(attributes(mi, retChildren, retSpecialUse));
            if (retSubscribed && subscribed.contains(mi.name())) {
                if (attrs.length() > 0) {
                    attrs.append(' ');
                }
                attrs.append("\\Subscribed");
            }
            s.untagged("LIST (" + attrs + ") \"/\" " + quoteName(mi.name()));
        }
        ok(cmd, "OK List completed.");
    }

    private static final Set<String> SPECIAL = Set.of("\\Sent", "\\Drafts", "\\Trash", "\\Junk", "\\Archive",
            "\\All", "\\Flagged");

    private static boolean hasSpecialUse(MailboxInfo mi) {
        for (String a : mi.attributes()) {
            if (SPECIAL.contains(a)) {
                return true;
            }
        }
        return false;
    }

    private static String attributes(MailboxInfo mi, boolean children, boolean specialUse) {
        StringBuilder b = new StringBuilder();
        for (String a : mi.attributes()) {
            boolean child = a.equals("\\HasChildren") || a.equals("\\HasNoChildren");
            if ((child && !children) || (SPECIAL.contains(a) && !specialUse)) {
                continue;
            }
            if (b.length() > 0) {
                b.append(' ');
            }
            b.append(a);
        }
        return b.toString();
    }

    private static MailboxInfo find(List<MailboxInfo> all, String name) {
        for (MailboxInfo mi : all) {
            if (mi.name().equals(name)) {
                return mi;
            }
        }
        return null;
    }

    private static boolean matchesAny(List<String> patterns, String name) {
        for (String p : patterns) {
            if (matches(p, name)) {
                return true;
            }
        }
        return false;
    }

    /**
     * LIST wildcards: '*' matches anything, '%' anything but the separator. INBOX (as the
     * first component) matches case-insensitively, the rest case-sensitively. Dynamic
     * programming over pattern × name, so hostile patterns ("*a*a*a…") cost O(p·n), never
     * exponential time; patterns over {@link #MAX_PATTERN} characters match nothing.
     */
    static boolean matches(String pattern, String name) {
        if (pattern.length() > MAX_PATTERN) {
            return false;
        }
        if (pattern.length() >= 5 && pattern.regionMatches(true, 0, "INBOX", 0, 5)
                && (pattern.length() == 5 || pattern.charAt(5) == '/')) {
            pattern = "INBOX" + pattern.substring(5);
        }
        int n = name.length();
        boolean[] prev = new boolean[n + 1];
        boolean[] cur = new boolean[n + 1];
        prev[0] = true;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '*') {
                cur[0] = prev[0];
                for (int j = 1; j <= n; j++) {
                    cur[j] = prev[j] || cur[j - 1];
                }
            } else if (c == '%') {
                cur[0] = prev[0];
                for (int j = 1; j <= n; j++) {
                    cur[j] = prev[j] || (cur[j - 1] && name.charAt(j - 1) != '/');
                }
            } else {
                cur[0] = false;
                for (int j = 1; j <= n; j++) {
                    cur[j] = prev[j - 1] && name.charAt(j - 1) == c;
                }
            }
            boolean[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[n];
    }

    static final int MAX_PATTERN = 1000;

    // ---------------------------------------------------------------- STATUS

    private void status(ImapCommand cmd) throws IOException, ImapException, StoreException {
        List<ImapArg> args = cmd.args();
        if (args.size() != 2 || args.get(0).astring() == null || !(args.get(1) instanceof ImapArg.ListArg items)
                || items.items().isEmpty()) {
            throw ImapException.bad(args.size() < 2 ? "Missing arguments." : "Invalid arguments.");
        }
        String name = normalize(args.get(0).astring());
        List<String> want = new ArrayList<>();
        for (ImapArg a : items.items()) {
            String item = String.valueOf(a.astring()).toUpperCase(Locale.ROOT);
            switch (item) {
                case "MESSAGES", "RECENT", "UIDNEXT", "UIDVALIDITY", "UNSEEN", "HIGHESTMODSEQ" -> want.add(item);
                default -> throw ImapException.bad("Invalid status item " + item);
            }
        }
        MailboxStatus st = s.store.status(name);
        StringBuilder b = new StringBuilder("STATUS ").append(quoteName(name)).append(" (");
        for (int i = 0; i < want.size(); i++) {
            if (i > 0) {
                b.append(' ');
            }
            String w = want.get(i);
            long v = switch (w) {
                case "MESSAGES" -> st.messages();
                case "RECENT" -> st.recent();
                case "UIDNEXT" -> st.uidNext();
                case "UIDVALIDITY" -> st.uidValidity();
                case "UNSEEN" -> st.unseen();
                default -> st.highestModseq();
            };
            b.append(w).append(' ').append(v);
        }
        s.untagged(b.append(')').toString());
        ok(cmd, "OK Status completed.");
    }

    // ---------------------------------------------------------------- APPEND

    private void append(ImapCommand cmd) throws IOException, ImapException, StoreException {
        List<ImapArg> args = cmd.args();
        if (args.size() < 2 || args.get(0).astring() == null) {
            throw ImapException.bad("Missing arguments.");
        }
        String name = normalize(args.get(0).astring());
        int i = 1;
        Set<String> flags = new LinkedHashSet<>();
        if (args.get(i) instanceof ImapArg.ListArg fl) {
            flags = flags(fl);
            i++;
        }
        Instant date = null;
        if (i < args.size() - 1 && args.get(i) instanceof ImapArg.Str ds && !ds.literal()) {
            date = ImapDate.parseDateTime(ds.text());
            if (date == null) {
                throw ImapException.bad("Invalid internal date.");
            }
            i++;
        }
        if (i != args.size() - 1 || !(args.get(i) instanceof ImapArg.Str msg)) {
            throw ImapException.bad(i >= args.size() ? "Missing message literal." : "Invalid arguments.");
        }
        if (msg.bytes().length == 0) {
            s.tagged(cmd.tag(), "NO Can't save a zero byte message.");
            return;
        }
        AppendResult r;
        try {
            r = s.store.append(name, msg.bytes(), flags, date);
        } catch (StoreException e) {
            throw tryCreate(e);
        }
        ok(cmd, "OK [APPENDUID " + r.uidValidity() + " " + r.uid() + "] Append completed.");
    }

    /**
     * COPY, MOVE and APPEND to a mailbox that does not exist answer NO [TRYCREATE] (RFC 3501
     * 6.3.11), which tells the client to CREATE it and retry; other failures keep their code.
     */
    static ImapException tryCreate(StoreException e) throws StoreException {
        if (e.kind() == StoreException.Kind.NONEXISTENT) {
            return ImapException.no("[TRYCREATE] " + e.getMessage());
        }
        throw e;
    }

    /** A flag list for STORE/APPEND: system flags in their canonical case, keywords as atoms. */
    static Set<String> flags(ImapArg.ListArg list) throws ImapException {
        Set<String> out = new LinkedHashSet<>();
        for (ImapArg a : list.items()) {
            if (!(a instanceof ImapArg.Atom atom)) {
                throw ImapException.bad("Flags list contains non-atoms.");
            }
            out.add(flag(atom.value()));
        }
        out.remove("\\Recent");
        return out;
    }

    static String flag(String f) throws ImapException {
        if (f.startsWith("\\")) {
            for (String sys : new String[] {StoredMessage.SEEN, StoredMessage.ANSWERED, StoredMessage.FLAGGED,
                StoredMessage.DELETED, StoredMessage.DRAFT, "\\Recent"}) {
                if (sys.equalsIgnoreCase(f)) {
                    return sys;
                }
            }
            throw ImapException.bad("Invalid system flag " + f);
        }
        for (int i = 0; i < f.length(); i++) {
            char c = f.charAt(i);
            if (c <= ' ' || c >= 0x7f || "(){%*\"\\]".indexOf(c) >= 0) {
                throw ImapException.bad("Invalid characters in keyword");
            }
        }
        return f;
    }
}
