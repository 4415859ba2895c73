package org.jmail.imap;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jmail.store.Mailbox;
import org.jmail.store.StoreException;
import org.jmail.store.StoredMessage;
import org.jmail.store.SyncResult;

/**
 * The session's selected mailbox and the client's view of it: the messages with the sequence
 * numbers the client knows, and what it has been told (EXISTS, RECENT, FLAGS). The client's
 * view is kept apart from the store's: expunges the store reports while EXPUNGE responses are
 * not allowed (during FETCH, STORE, SEARCH — RFC 3501 7.4.1) stay pending, the messages keep
 * their sequence numbers, and they are reported at the next command that may do so (NOOP,
 * CHECK, IDLE, UID commands, …), as Dovecot does. New mail and flag changes are reported
 * after every command.
 */
final class SelectedMailbox {

    static final String SYSTEM_FLAGS = "\\Answered \\Flagged \\Deleted \\Seen \\Draft";

    final Mailbox box;
    final boolean examine;
    private List<StoredMessage> view;
    private final Set<Long> pendingExpunges = new HashSet<>();
    private long lastExists;
    private long lastRecent;
    private Set<String> lastKeywords = Set.of();

    SelectedMailbox(Mailbox box, boolean examine) {
        this.box = box;
        this.examine = examine;
        this.view = box.messages();
    }

    boolean readOnly() {
        return examine || box.readOnly();
    }

    /** The client's view: sequence number = index + 1. */
    List<StoredMessage> messages() {
        return view;
    }

    long recentCount() {
        long n = 0;
        for (StoredMessage m : view) {
            if (m.recent()) {
                n++;
            }
        }
        return n;
    }

    /** The FLAGS and PERMANENTFLAGS lines of SELECT (and after new keywords appear). */
    void writeFlags(ImapWriter out) throws IOException {
        Set<String> kw = new TreeSet<>(box.keywords());
        lastKeywords = kw;
        StringBuilder k = new StringBuilder();
        for (String s : kw) {
            k.append(' ').append(s);
        }
        out.line("* FLAGS (" + SYSTEM_FLAGS + k + ")");
        if (readOnly()) {
            out.line("* OK [PERMANENTFLAGS ()] Read-only mailbox.");
        } else {
            out.line("* OK [PERMANENTFLAGS (" + SYSTEM_FLAGS + k + " \\*)] Flags permitted.");
        }
    }

    void markReported() {
        lastExists = view.size();
        lastRecent = recentCount();
    }

    /** Changes flags through the store and puts the new states into the client's view. */
    List<StoredMessage> setFlags(Collection<Long> uids, Set<String> flags, Mailbox.FlagMode mode)
            throws StoreException {
        List<StoredMessage> changed = box.setFlags(uids, flags, mode);
        replace(changed);
        return changed;
    }

    /** Expunges through the store and reports the removed messages (EXPUNGE is allowed here). */
    List<Long> expunge(ImapWriter out, Collection<Long> uids) throws StoreException, IOException {
        List<Long> gone = box.expunge(uids);
        removeAndReport(out, gone);
        return gone;
    }

    /**
     * Syncs with the store and reports: EXPUNGE (when allowed; each number as it is after the
     * previous ones), FETCH FLAGS for changes by others, new FLAGS when keywords appeared,
     * EXISTS and RECENT when mail arrived. False when UIDVALIDITY changed: the session must end.
     */
    boolean sync(ImapWriter out, boolean uidMode, boolean allowExpunges) throws StoreException, IOException {
        SyncResult r = box.sync();
        if (r.uidValidityChanged()) {
            return false;
        }
        pendingExpunges.addAll(r.expunged());
        if (allowExpunges && !pendingExpunges.isEmpty()) {
            List<Long> gone = new ArrayList<>(pendingExpunges);
            pendingExpunges.clear();
            removeAndReport(out, gone);
        }
        if (!r.flagsChanged().isEmpty()) {
            replace(r.flagsChanged());
            reportFlagsAndKeywords(out, r.flagsChanged(), uidMode, false);
        }
        if (!r.added().isEmpty()) {
            List<StoredMessage> next = new ArrayList<>(view.size() + r.added().size());
            next.addAll(view);
            long last = view.isEmpty() ? 0 : view.get(view.size() - 1).uid();
            for (StoredMessage m : r.added()) {
                if (m.uid() > last) {
                    next.add(m);
                    last = m.uid();
                }
            }
            view = List.copyOf(next);
        }
        reportCounts(out);
        return true;
    }

    void reportCounts(ImapWriter out) throws IOException {
        long exists = view.size();
        long recent = recentCount();
        if (exists != lastExists) {
            out.line("* " + exists + " EXISTS");
            if (exists > lastExists) {
                out.line("* " + recent + " RECENT");
            }
        }
        lastExists = exists;
        lastRecent = recent;
    }

    /** Removes messages from the client's view, writing EXPUNGE for each (ascending, shifted). */
    private void removeAndReport(ImapWriter out, Collection<Long> uids) throws IOException {
        if (uids.isEmpty()) {
            return;
        }
        Set<Long> gone = new HashSet<>(uids);
        List<StoredMessage> next = new ArrayList<>(view.size());
        int removed = 0;
        for (int i = 0; i < view.size(); i++) {
            StoredMessage m = view.get(i);
            if (gone.contains(m.uid())) {
                out.line("* " + (i + 1 - removed) + " EXPUNGE");
                removed++;
            } else {
                next.add(m);
            }
        }
        view = List.copyOf(next);
        lastExists -= removed;
        pendingExpunges.removeAll(gone);
    }

    /** Puts new message states into the view (by UID; unknown UIDs are ignored). */
    private void replace(List<StoredMessage> changed) {
        if (changed.isEmpty()) {
            return;
        }
        List<StoredMessage> next = new ArrayList<>(view);
        for (StoredMessage m : changed) {
            int seq = seqOf(next, m.uid());
            if (seq > 0) {
                next.set(seq - 1, m);
            }
        }
        view = List.copyOf(next);
    }

    /** FETCH (FLAGS …) lines for changed messages; new keywords first announce a new FLAGS list. */
    void reportFlagsAndKeywords(ImapWriter out, List<StoredMessage> changed, boolean uidMode, boolean silent)
            throws IOException {
        if (!lastKeywords.equals(new TreeSet<>(box.keywords()))) {
            writeFlags(out);
        }
        if (silent) {
            return;
        }
        for (StoredMessage m : changed) {
            int seq = seqOf(view, m.uid());
            if (seq > 0) {
                StringBuilder b = new StringBuilder(64).append("* ").append(seq).append(" FETCH (");
                if (uidMode) {
                    b.append("UID ").append(m.uid()).append(' ');
                }
                b.append("FLAGS ");
                flags(b, m);
                out.line(b.append(')'));
            }
        }
    }

    /** 1-based sequence number of a UID in a view sorted by UID, or 0. */
    static int seqOf(List<StoredMessage> view, long uid) {
        int lo = 0;
        int hi = view.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long u = view.get(mid).uid();
            if (u < uid) {
                lo = mid + 1;
            } else if (u > uid) {
                hi = mid - 1;
            } else {
                return mid + 1;
            }
        }
        return 0;
    }

    private static final String[] ORDER = {StoredMessage.ANSWERED, StoredMessage.FLAGGED, StoredMessage.DELETED,
        StoredMessage.SEEN, StoredMessage.DRAFT};

    /** "(\Seen \Recent kw)" in Dovecot's order: system flags, \Recent, keywords. */
    static void flags(StringBuilder b, StoredMessage m) {
        b.append('(');
        int start = b.length();
        Set<String> f = m.flags();
        for (String s : ORDER) {
            if (f.contains(s)) {
                sep(b, start).append(s);
            }
        }
        if (m.recent()) {
            sep(b, start).append("\\Recent");
        }
        if (f.size() > 0) {
            for (String s : f) {
                if (!s.startsWith("\\")) {
                    sep(b, start).append(s);
                }
            }
        }
        b.append(')');
    }

    private static StringBuilder sep(StringBuilder b, int start) {
        if (b.length() > start) {
            b.append(' ');
        }
        return b;
    }
}
