package org.jmail.imap;

import java.io.IOException;
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
 * The session's selected mailbox and what the client has been told about it (EXISTS, RECENT,
 * FLAGS). {@link #sync} brings the store's view up to date and writes the untagged responses
 * for the difference; commands during which RFC 3501 7.4.1 forbids EXPUNGE (FETCH, STORE,
 * SEARCH) simply don't call it, so sequence numbers never move under the client.
 */
final class SelectedMailbox {

    static final String SYSTEM_FLAGS = "\\Answered \\Flagged \\Deleted \\Seen \\Draft";

    final Mailbox box;
    final boolean examine;
    private long lastExists;
    private long lastRecent;
    private Set<String> lastKeywords = Set.of();

    SelectedMailbox(Mailbox box, boolean examine) {
        this.box = box;
        this.examine = examine;
    }

    boolean readOnly() {
        return examine || box.readOnly();
    }

    List<StoredMessage> messages() {
        return box.messages();
    }

    long recentCount() {
        long n = 0;
        for (StoredMessage m : box.messages()) {
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
        lastExists = box.messages().size();
        lastRecent = recentCount();
    }

    /**
     * Syncs with the store and reports: EXPUNGE (ascending, each number as it is after the
     * previous ones), FETCH FLAGS for changes by others, new FLAGS when keywords appeared,
     * EXISTS and RECENT when they changed. False when UIDVALIDITY changed: the session must end.
     */
    boolean sync(ImapWriter out, boolean uidMode) throws StoreException, IOException {
        List<StoredMessage> before = box.messages();
        SyncResult r = box.sync();
        if (r.uidValidityChanged()) {
            return false;
        }
        if (!r.expunged().isEmpty()) {
            reportExpunged(out, before, r.expunged());
        }
        if (!r.flagsChanged().isEmpty()) {
            reportFlagsAndKeywords(out, r.flagsChanged(), uidMode, false);
        }
        reportCounts(out);
        return true;
    }

    void reportCounts(ImapWriter out) throws IOException {
        long exists = box.messages().size();
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

    void reportExpunged(ImapWriter out, List<StoredMessage> before, Collection<Long> uids) throws IOException {
        Set<Long> gone = new HashSet<>(uids);
        int removed = 0;
        for (int i = 0; i < before.size(); i++) {
            if (gone.contains(before.get(i).uid())) {
                out.line("* " + (i + 1 - removed) + " EXPUNGE");
                removed++;
            }
        }
        lastExists -= removed;
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
        List<StoredMessage> view = box.messages();
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
