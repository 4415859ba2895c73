package org.jmail.store.mbox;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jmail.log.MailLog;
import org.jmail.store.CopyResult;
import org.jmail.store.Mailbox;
import org.jmail.store.StoreException;
import org.jmail.store.StoreException.Kind;
import org.jmail.store.StoredMessage;
import org.jmail.store.SyncResult;

/**
 * A selected mbox folder: one session's view ({@link Mailbox}). The view is a snapshot of the
 * folder's messages that changes only through this instance's own STORE/EXPUNGE and through
 * {@link #sync}, which diffs it against the file by UID.
 *
 * <p>\Recent: messages without "O" in Status are recent to the first read-write session that
 * sees them, which marks them old in its index at once and in the file at the next write (at
 * close, like Dovecot's mbox_lazy_writes). Flag changes are written into the header in place
 * when the X-Keywords padding allows, else at close or EXPUNGE by a rewrite.
 */
final class MboxMailbox implements Mailbox {

    private static final MailLog LOG = MailLog.of("imap");

    private final MboxMailStore store;
    private final MboxMailStore.Resolved where;
    private final MboxFolder folder;
    private final boolean readOnly;
    private final Set<Long> recent = new HashSet<>();
    private final Map<String, Set<String>> flagSets = new HashMap<>();
    @SuppressWarnings("unchecked")
    private final Set<String>[] plainSets = new Set[Flags.SYSTEM + 1];

    private List<StoredMessage> view = List.of();
    private Map<Long, Integer> viewIndex = Map.of();
    private long viewValidity;
    private long viewUidNext;
    private long seenGeneration = -1;
    private Map<Long, MboxEntry> byUid = Map.of();
    private long byUidGeneration = -1;
    private boolean closed;

    MboxMailbox(MboxMailStore store, MboxMailStore.Resolved where, MboxFolder folder, boolean readOnly) {
        this.store = store;
        this.where = where;
        this.folder = folder;
        this.readOnly = readOnly;
    }

    /** Opens the folder and builds the first view (marking recent messages old when read-write). */
    void open() throws StoreException {
        store.io(where, () -> {
            folder.open();
            List<StoredMessage> list = new ArrayList<>(folder.entries.size());
            boolean marked = false;
            for (MboxEntry e : folder.entries) {
                if ((e.flags & Flags.NONRECENT) == 0) {
                    recent.add(e.uid);
                    if (!readOnly) {
                        e.flags |= Flags.NONRECENT;
                        e.dirty = true;
                        marked = true;
                    }
                }
                list.add(message(e));
            }
            if (marked) {
                folder.saveIndex();
            }
            setView(list);
            viewValidity = folder.uidValidity;
            viewUidNext = folder.nextUid;
            seenGeneration = folder.generation;
            return null;
        });
    }

    private StoredMessage message(MboxEntry e) {
        return new StoredMessage(e.uid, flagSet(e), e.vsize, Instant.ofEpochSecond(e.date), recent.contains(e.uid), 0);
    }

    /** Flag sets are shared between messages with the same flags (most of a mailbox). */
    private Set<String> flagSet(MboxEntry e) {
        int f = e.flags & Flags.SYSTEM;
        if (e.keywords.length == 0) {
            Set<String> s = plainSets[f];
            if (s == null) {
                s = Flags.toSet(f, MboxEntry.NO_KEYWORDS);
                plainSets[f] = s;
            }
            return s;
        }
        String key = f + " " + String.join(" ", e.keywords);
        return flagSets.computeIfAbsent(key, k -> Flags.toSet(f, e.keywords));
    }

    private void setView(List<StoredMessage> list) {
        view = Collections.unmodifiableList(list);
        Map<Long, Integer> idx = new HashMap<>(list.size() * 2);
        for (int i = 0; i < list.size(); i++) {
            idx.put(list.get(i).uid(), i);
        }
        viewIndex = idx;
    }

    private Map<Long, MboxEntry> entriesByUid() {
        if (byUidGeneration != folder.generation) {
            Map<Long, MboxEntry> m = new HashMap<>(folder.entries.size() * 2);
            for (MboxEntry e : folder.entries) {
                m.put(e.uid, e);
            }
            byUid = m;
            byUidGeneration = folder.generation;
        }
        return byUid;
    }

    @Override
    public String name() {
        return where.name();
    }

    @Override
    public boolean readOnly() {
        return readOnly;
    }

    @Override
    public long uidValidity() {
        return viewValidity;
    }

    @Override
    public long uidNext() {
        return viewUidNext;
    }

    @Override
    public long highestModseq() {
        return 0;
    }

    @Override
    public List<StoredMessage> messages() {
        return view;
    }

    @Override
    public Set<String> keywords() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(folder.keywords));
    }

    @Override
    public SyncResult sync() throws StoreException {
        ensureOpen();
        if (folder.generation == seenGeneration && folder.unchanged()) {
            return SyncResult.NONE; // NOOP and IDLE polls: one lstat, no identity switch
        }
        return store.io(where, () -> {
            folder.refresh();
            return diff();
        });
    }

    /** The difference between the view and the folder; updates the view. */
    private SyncResult diff() {
        if (folder.generation == seenGeneration) {
            return SyncResult.NONE;
        }
        seenGeneration = folder.generation;
        if (folder.uidValidity != viewValidity) {
            return new SyncResult(List.of(), List.of(), List.of(), true);
        }
        Map<Long, MboxEntry> now = entriesByUid();
        List<Long> expunged = new ArrayList<>();
        List<StoredMessage> changed = new ArrayList<>();
        List<StoredMessage> kept = new ArrayList<>(view.size());
        long maxUid = 0;
        for (StoredMessage m : view) {
            maxUid = Math.max(maxUid, m.uid());
            MboxEntry e = now.get(m.uid());
            if (e == null) {
                expunged.add(m.uid());
                continue;
            }
            StoredMessage n = message(e);
            if (!n.flags().equals(m.flags())) {
                changed.add(n);
                kept.add(n);
            } else {
                kept.add(m);
            }
        }
        List<StoredMessage> added = new ArrayList<>();
        boolean marked = false;
        for (MboxEntry e : folder.entries) {
            if (e.uid > maxUid) {
                if ((e.flags & Flags.NONRECENT) == 0) {
                    recent.add(e.uid);
                    if (!readOnly) {
                        e.flags |= Flags.NONRECENT;
                        e.dirty = true;
                        marked = true;
                    }
                }
                StoredMessage n = message(e);
                added.add(n);
                kept.add(n);
            }
        }
        if (marked) {
            folder.saveIndex();
        }
        recent.removeAll(expunged);
        setView(kept);
        viewUidNext = folder.nextUid;
        if (expunged.isEmpty() && added.isEmpty() && changed.isEmpty()) {
            return SyncResult.NONE;
        }
        return new SyncResult(expunged, added, changed, false);
    }

    @Override
    public byte[] read(long uid) throws StoreException {
        return read(uid, false);
    }

    @Override
    public byte[] readHeader(long uid) throws StoreException {
        return read(uid, true);
    }

    private byte[] read(long uid, boolean headerOnly) throws StoreException {
        ensureOpen();
        if (!viewIndex.containsKey(uid)) {
            throw new StoreException(Kind.NONEXISTENT, "No such message");
        }
        MboxEntry known = entriesByUid().get(uid);
        if (known != null) {
            // FETCH of many messages: no identity switch per message while the file is unchanged
            byte[] fast = folder.readIfUnchanged(known, headerOnly);
            if (fast != null) {
                return fast;
            }
        }
        return store.io(where, () -> {
            byte[] b = folder.readUid(uid, headerOnly); // sync + read under one lock
            if (b == null) {
                throw new StoreException(Kind.NONEXISTENT, "Message was expunged");
            }
            return b;
        });
    }

    @Override
    public List<StoredMessage> setFlags(Collection<Long> uids, Set<String> flags, FlagMode mode) throws StoreException {
        ensureOpen();
        if (readOnly) {
            throw new StoreException(Kind.CANNOT, "Mailbox is read-only");
        }
        int bits = Flags.bits(flags);
        String[] kws = Flags.keywords(flags);
        store.io(where, () -> {
            try (MboxFolder.WriteLock lock = folder.lockExclusive()) {
                folder.syncExclusive();
                Map<Long, MboxEntry> now = entriesByUid();
                List<MboxEntry> changed = new ArrayList<>();
                for (Long uid : uids) {
                    MboxEntry e = viewIndex.containsKey(uid) ? now.get(uid) : null;
                    if (e == null) {
                        continue;
                    }
                    int nf;
                    String[] nk;
                    switch (mode) {
                        case ADD -> {
                            nf = e.flags | bits;
                            nk = union(e.keywords, kws);
                        }
                        case REMOVE -> {
                            nf = e.flags & ~bits;
                            nk = minus(e.keywords, kws);
                        }
                        default -> {
                            nf = (e.flags & Flags.NONRECENT) | bits;
                            nk = kws;
                        }
                    }
                    if (nf != e.flags || !java.util.Arrays.equals(nk, e.keywords)) {
                        e.flags = nf;
                        e.keywords = nk;
                        e.dirty = true;
                        for (String k : nk) {
                            folder.keywords.add(k);
                        }
                        changed.add(e);
                    }
                }
                folder.writeFlagsInPlace(changed);
                if (folder.flagsPending && folder.size() <= MboxFolder.LAZY_REWRITE_LIMIT) {
                    // No room in the headers: write the file now, so that other sessions and
                    // Dovecot see the change (the rewrite leaves padding for the next ones).
                    folder.rewrite(Set.of());
                }
                if (!changed.isEmpty()) {
                    folder.generation++;
                    folder.saveIndex();
                }
            }
            return null;
        });
        // Our own changes go straight into the view; others' changes wait for sync().
        Map<Long, MboxEntry> now = entriesByUid();
        List<StoredMessage> list = new ArrayList<>(view);
        List<StoredMessage> out = new ArrayList<>();
        for (Long uid : uids) {
            Integer i = viewIndex.get(uid);
            MboxEntry e = now.get(uid);
            if (i == null || e == null) {
                continue;
            }
            StoredMessage n = message(e);
            list.set(i, n);
            out.add(n);
        }
        view = Collections.unmodifiableList(list);
        return out;
    }

    private static String[] union(String[] a, String[] b) {
        if (b.length == 0) {
            return a;
        }
        LinkedHashSet<String> s = new LinkedHashSet<>(List.of(a));
        s.addAll(List.of(b));
        return s.size() == a.length ? a : s.toArray(new String[0]);
    }

    private static String[] minus(String[] a, String[] b) {
        if (b.length == 0 || a.length == 0) {
            return a;
        }
        List<String> out = new ArrayList<>(List.of(a));
        out.removeAll(List.of(b));
        return out.size() == a.length ? a : out.toArray(new String[0]);
    }

    @Override
    public List<Long> expunge(Collection<Long> uids) throws StoreException {
        ensureOpen();
        if (readOnly) {
            throw new StoreException(Kind.CANNOT, "Mailbox is read-only");
        }
        Set<Long> only = uids == null ? null : new HashSet<>(uids);
        List<Long> removed = store.io(where, () -> {
            try (MboxFolder.WriteLock lock = folder.lockExclusive()) {
                folder.syncExclusive();
                Set<Long> target = new HashSet<>();
                for (MboxEntry e : folder.entries) {
                    if ((e.flags & Flags.DELETED) != 0 && viewIndex.containsKey(e.uid)
                            && (only == null || only.contains(e.uid))) {
                        target.add(e.uid);
                    }
                }
                if (target.isEmpty()) {
                    return List.<Long>of();
                }
                return folder.rewrite(target);
            }
        });
        if (!removed.isEmpty()) {
            Set<Long> gone = new HashSet<>(removed);
            List<StoredMessage> list = new ArrayList<>(view.size());
            for (StoredMessage m : view) {
                if (!gone.contains(m.uid())) {
                    list.add(m);
                }
            }
            recent.removeAll(gone);
            setView(list);
        }
        return removed;
    }

    @Override
    public CopyResult copyTo(Collection<Long> uids, String target) throws StoreException {
        ensureOpen();
        Set<Long> wanted = new HashSet<>(uids);
        List<Long> src = new ArrayList<>();
        List<MboxFolder.Append> items = new ArrayList<>();
        store.io(where, () -> {
            for (StoredMessage m : view) {
                if (!wanted.contains(m.uid())) {
                    continue;
                }
                byte[] msg = folder.readUid(m.uid(), false);
                MboxEntry e = folder.entryByUid(m.uid());
                if (msg == null || e == null) {
                    continue;
                }
                items.add(new MboxFolder.Append(msg, e.flags & Flags.SYSTEM, e.keywords,
                        Instant.ofEpochSecond(e.date), folder.fromLine(e)));
                src.add(e.uid);
            }
            return null;
        });
        if (items.isEmpty()) {
            return new CopyResult(store.status(target).uidValidity(), List.of(), List.of());
        }
        MboxMailStore.Appended a = store.appendAll(target, items);
        return new CopyResult(a.uidValidity(), src, a.uids());
    }

    private void ensureOpen() throws StoreException {
        if (closed) {
            throw new StoreException(Kind.CANNOT, "Mailbox is closed");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            store.io(where, () -> {
                if (!readOnly && folder.anyDirty()
                        && (folder.flagsPending || folder.size() <= MboxFolder.LAZY_REWRITE_LIMIT)) {
                    try (MboxFolder.WriteLock lock = folder.lockExclusive()) {
                        folder.syncExclusive();
                        if (folder.anyDirty()) {
                            folder.rewrite(Set.of());
                        }
                    }
                } else if (!readOnly) {
                    folder.saveIndex();
                }
                return null;
            });
        } catch (StoreException e) {
            LOG.warn(where.path() + ": metadata not written at close (kept in the index): " + e.getMessage());
        } finally {
            folder.close();
        }
    }
}
