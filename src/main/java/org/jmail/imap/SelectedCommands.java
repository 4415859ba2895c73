package org.jmail.imap;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jmail.store.CopyResult;
import org.jmail.store.Mailbox;
import org.jmail.store.StoreException;
import org.jmail.store.StoredMessage;

/**
 * The selected-state commands of RFC 3501 6.4 and their extensions: CHECK, CLOSE, UNSELECT,
 * EXPUNGE, UID EXPUNGE (UIDPLUS), STORE, COPY (COPYUID), MOVE (RFC 6851), IDLE (RFC 2177),
 * and the hand-off to {@link FetchCommand} and {@link SearchCommand}. Non-UID FETCH, STORE
 * and SEARCH never sync (no EXPUNGE may be sent during them, RFC 3501 7.4.1); the others sync
 * before their tagged reply as Dovecot does.
 */
final class SelectedCommands {

    private static final Set<String> NAMES = Set.of("CHECK", "CLOSE", "UNSELECT", "EXPUNGE", "UID EXPUNGE",
            "STORE", "UID STORE", "COPY", "UID COPY", "MOVE", "UID MOVE", "IDLE", "FETCH", "UID FETCH", "SEARCH",
            "UID SEARCH");

    private final ImapSession s;

    SelectedCommands(ImapSession s) {
        this.s = s;
    }

    static boolean handles(String name) {
        return NAMES.contains(name);
    }

    void execute(ImapCommand cmd) throws IOException, ImapException, StoreException {
        SelectedMailbox sel = s.selected;
        switch (cmd.name()) {
            case "CHECK" -> {
                noArgs(cmd);
                s.syncSelected(false);
                s.tagged(cmd.tag(), "OK Check completed.");
            }
            case "CLOSE" -> {
                noArgs(cmd);
                if (!sel.readOnly()) {
                    List<Long> gone = sel.box.expunge(null); // CLOSE expunges silently
                    s.stats.expunged += gone.size();
                }
                deselect();
                s.tagged(cmd.tag(), "OK Close completed.");
            }
            case "UNSELECT" -> {
                noArgs(cmd);
                deselect();
                s.tagged(cmd.tag(), "OK Unselect completed.");
            }
            case "EXPUNGE" -> {
                noArgs(cmd);
                expunge(cmd, null);
            }
            case "UID EXPUNGE" -> {
                if (cmd.args().size() != 1) {
                    throw ImapException.bad("Invalid arguments.");
                }
                List<Long> uids = new ArrayList<>();
                for (int i : select(sel, cmd.args().get(0), true)) {
                    uids.add(sel.messages().get(i).uid());
                }
                expunge(cmd, uids);
            }
            case "STORE", "UID STORE" -> store(cmd);
            case "COPY", "UID COPY" -> copy(cmd, false);
            case "MOVE", "UID MOVE" -> copy(cmd, true);
            case "IDLE" -> idle(cmd);
            case "FETCH", "UID FETCH" -> new FetchCommand(s).execute(cmd);
            case "SEARCH", "UID SEARCH" -> new SearchCommand(s).execute(cmd);
            default -> throw ImapException.bad("Unknown command.");
        }
    }

    private static void noArgs(ImapCommand cmd) throws ImapException {
        if (!cmd.args().isEmpty()) {
            throw ImapException.bad("Invalid arguments.");
        }
    }

    private void deselect() {
        s.selected.box.close();
        s.selected = null;
        s.state = ImapSession.State.AUTHENTICATED;
    }

    private void expunge(ImapCommand cmd, List<Long> uids) throws IOException, ImapException, StoreException {
        SelectedMailbox sel = s.selected;
        if (sel.readOnly()) {
            s.tagged(cmd.tag(), "NO [READ-ONLY] Mailbox is read-only.");
            return;
        }
        List<Long> gone = sel.expunge(s.out, uids);
        s.stats.expunged += gone.size();
        s.syncSelected(cmd.isUid());
        s.tagged(cmd.tag(), "OK Expunge completed.");
    }

    /**
     * Indexes (0-based) of the messages a sequence set or UID set names, in mailbox order.
     * Sequence numbers beyond EXISTS are a BAD "Invalid messageset" as in Dovecot.
     */
    static List<Integer> select(SelectedMailbox sel, ImapArg arg, boolean uid) throws ImapException {
        String text = arg instanceof ImapArg.Atom a ? a.value() : null;
        if (text == null || !SequenceSet.looksLike(text)) {
            throw ImapException.bad("Invalid messageset");
        }
        SequenceSet set;
        try {
            set = SequenceSet.parse(text);
        } catch (IllegalArgumentException e) {
            throw ImapException.bad("Invalid messageset");
        }
        List<StoredMessage> msgs = sel.messages();
        List<Integer> out = new ArrayList<>();
        if (uid) {
            if (msgs.isEmpty()) {
                return out;
            }
            SequenceSet.Resolved r = set.resolve(msgs.get(msgs.size() - 1).uid());
            for (int i = 0; i < msgs.size(); i++) {
                if (r.contains(msgs.get(i).uid())) {
                    out.add(i);
                }
            }
            return out;
        }
        if (set.maxExplicit() > msgs.size() || msgs.isEmpty()) {
            throw ImapException.bad("Invalid messageset");
        }
        SequenceSet.Resolved r = set.resolve(msgs.size());
        for (int k = 0; k < r.lows().length; k++) {
            for (long v = r.lows()[k]; v <= r.highs()[k]; v++) {
                out.add((int) v - 1);
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- STORE

    private void store(ImapCommand cmd) throws IOException, ImapException, StoreException {
        SelectedMailbox sel = s.selected;
        List<ImapArg> args = cmd.args();
        if (args.size() < 3) {
            throw ImapException.bad("Missing arguments.");
        }
        List<Integer> idx = select(sel, args.get(0), cmd.isUid());
        String item = String.valueOf(args.get(1).astring()).toUpperCase(Locale.ROOT);
        boolean silent = item.endsWith(".SILENT");
        if (silent) {
            item = item.substring(0, item.length() - 7);
        }
        Mailbox.FlagMode mode = switch (item) {
            case "FLAGS" -> Mailbox.FlagMode.REPLACE;
            case "+FLAGS" -> Mailbox.FlagMode.ADD;
            case "-FLAGS" -> Mailbox.FlagMode.REMOVE;
            default -> throw ImapException.bad("Invalid arguments.");
        };
        Set<String> flags;
        if (args.size() == 3 && args.get(2) instanceof ImapArg.ListArg l) {
            flags = MailboxCommands.flags(l);
        } else {
            flags = MailboxCommands.flags(new ImapArg.ListArg(args.subList(2, args.size())));
        }
        if (sel.readOnly()) {
            // Dovecot's words: a STORE in an EXAMINEd mailbox is ignored, not an error
            if (cmd.isUid()) {
                s.syncSelected(true);
            }
            s.tagged(cmd.tag(), "OK Store ignored with read-only mailbox.");
            return;
        }
        List<StoredMessage> view = sel.messages();
        List<Long> uids = new ArrayList<>(idx.size());
        long newlyDeleted = 0;
        for (int i : idx) {
            StoredMessage m = view.get(i);
            uids.add(m.uid());
            if (flags.contains(StoredMessage.DELETED) && mode != Mailbox.FlagMode.REMOVE
                    && !m.has(StoredMessage.DELETED)) {
                newlyDeleted++;
            }
        }
        List<StoredMessage> changed = uids.isEmpty() ? List.of() : sel.setFlags(uids, flags, mode);
        s.stats.deleted += newlyDeleted;
        sel.reportFlagsAndKeywords(s.out, changed, cmd.isUid(), silent);
        s.syncSelected(cmd.isUid(), cmd.isUid());
        s.tagged(cmd.tag(), "OK Store completed.");
    }

    // ---------------------------------------------------------------- COPY / MOVE

    private void copy(ImapCommand cmd, boolean move) throws IOException, ImapException, StoreException {
        SelectedMailbox sel = s.selected;
        List<ImapArg> args = cmd.args();
        if (args.size() != 2 || args.get(1).astring() == null) {
            throw ImapException.bad(args.size() < 2 ? "Missing arguments." : "Invalid arguments.");
        }
        List<Integer> idx = select(sel, args.get(0), cmd.isUid());
        String target = MailboxCommands.normalize(args.get(1).astring());
        if (move && sel.readOnly()) {
            s.tagged(cmd.tag(), "NO [READ-ONLY] Mailbox is read-only.");
            return;
        }
        List<StoredMessage> view = sel.messages();
        List<Long> uids = new ArrayList<>(idx.size());
        for (int i : idx) {
            uids.add(view.get(i).uid());
        }
        if (uids.isEmpty()) {
            if (cmd.isUid()) {
                s.syncSelected(true);
            }
            s.tagged(cmd.tag(), "OK No messages found.");
            return;
        }
        CopyResult r;
        try {
            r = sel.box.copyTo(uids, target);
        } catch (StoreException e) {
            throw MailboxCommands.tryCreate(e);
        }
        if (target.equalsIgnoreCase("Trash")) {
            s.stats.trashed += uids.size();
        }
        String copyUid = "COPYUID " + r.uidValidity() + " " + uidSet(r.sourceUids()) + " " + uidSet(r.targetUids());
        if (!move) {
            if (cmd.isUid()) {
                s.syncSelected(true);
            }
            s.tagged(cmd.tag(), "OK [" + copyUid + "] Copy completed.");
            return;
        }
        s.untagged("OK [" + copyUid + "] Moved UIDs.");
        sel.setFlags(uids, Set.of(StoredMessage.DELETED), Mailbox.FlagMode.ADD);
        List<Long> gone = sel.expunge(s.out, uids);
        s.stats.expunged += gone.size();
        s.syncSelected(cmd.isUid());
        s.tagged(cmd.tag(), "OK Move completed.");
    }

    /** UIDs as a compact set: 1:3,7,9:10. */
    static String uidSet(List<Long> uids) {
        StringBuilder b = new StringBuilder();
        int i = 0;
        while (i < uids.size()) {
            long start = uids.get(i);
            long end = start;
            while (i + 1 < uids.size() && uids.get(i + 1) == end + 1) {
                end++;
                i++;
            }
            if (b.length() > 0) {
                b.append(',');
            }
            b.append(start);
            if (end != start) {
                b.append(':').append(end);
            }
            i++;
        }
        return b.toString();
    }

    // ---------------------------------------------------------------- IDLE

    private void idle(ImapCommand cmd) throws IOException, ImapException, StoreException {
        noArgs(cmd);
        s.out.line("+ idling");
        s.syncSelected(false);
        s.out.flush();
        long check = Math.max(100, s.settings.idleCheckInterval().toMillis());
        long notify = s.settings.idleNotifyInterval().toMillis();
        long lastOutput = System.currentTimeMillis();
        long lastInput = lastOutput;
        long autologout = s.settings.autologout().toMillis();
        s.transport.setReadTimeout((int) check);
        try {
            while (true) {
                byte[] line;
                try {
                    line = s.in.readLine(s.settings.maxLineLength());
                } catch (ImapInput.LineTooLongException e) {
                    s.tagged(cmd.tag(), "BAD Expected DONE.");
                    return;
                } catch (SocketTimeoutException e) {
                    long before = s.out.bytesOut();
                    if (s.selected != null) {
                        s.syncSelected(false);
                    }
                    long now = System.currentTimeMillis();
                    if (s.out.bytesOut() != before) {
                        lastOutput = now;
                    } else if (notify > 0 && now - lastOutput >= notify) {
                        s.untagged("OK Still here");
                        lastOutput = now;
                    }
                    s.out.flush();
                    if (autologout > 0 && now - lastInput >= autologout) {
                        throw e;
                    }
                    continue;
                }
                if (line == null) {
                    throw new java.io.EOFException();
                }
                String text = new String(line, StandardCharsets.US_ASCII).strip();
                if (text.equalsIgnoreCase("DONE")) {
                    break;
                }
                s.tagged(cmd.tag(), "BAD Expected DONE.");
                return;
            }
        } finally {
            s.transport.setReadTimeout((int) autologout);
        }
        if (s.selected != null) {
            s.syncSelected(false);
        }
        s.tagged(cmd.tag(), "OK Idle completed.");
    }
}
