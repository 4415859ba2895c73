package org.jmail.imap;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jmail.auth.AuthUser;
import org.jmail.store.AppendResult;
import org.jmail.store.CopyResult;
import org.jmail.store.MailStore;
import org.jmail.store.MailStores;
import org.jmail.store.Mailbox;
import org.jmail.store.MailboxInfo;
import org.jmail.store.MailboxStatus;
import org.jmail.store.StoreException;
import org.jmail.store.StoredMessage;
import org.jmail.store.SyncResult;

/**
 * Test fixture: an in-memory {@link MailStores} keeping the store contract — per-instance
 * views that change only through their own operations and {@link Mailbox#sync}, which reports
 * what other instances did (expunges, new mail, flag changes); \Recent given to the first
 * read-write view that sees a message; INBOX plus Sent/Drafts/Trash/Junk created on first
 * open. Thread-safe (one lock for everything).
 */
final class MemoryMailStore implements MailStores {

    static final class Msg {
        final long uid;
        Set<String> flags;
        final byte[] data;
        final Instant date;
        boolean recentClaimed;

        Msg(long uid, Set<String> flags, byte[] data, Instant date) {
            this.uid = uid;
            this.flags = flags;
            this.data = data;
            this.date = date;
        }
    }

    static final class Box {
        final long uidValidity;
        long uidNext = 1;
        final List<Msg> msgs = new ArrayList<>();
        final Set<String> keywords = new TreeSet<>();
        boolean directory;

        Box(long uidValidity) {
            this.uidValidity = uidValidity;
        }
    }

    final Object lock = new Object();
    final Map<String, Map<String, Box>> users = new LinkedHashMap<>();
    final Map<String, List<String>> subscriptions = new LinkedHashMap<>();
    MailStore.Quota quota;
    private long nextValidity = 1700000000;

    @Override
    public MailStore open(AuthUser user) {
        synchronized (lock) {
            Map<String, Box> boxes = users.computeIfAbsent(user.name(), u -> new TreeMap<>());
            for (String n : List.of("INBOX", "Drafts", "Junk", "Sent", "Trash")) {
                boxes.computeIfAbsent(n, x -> new Box(nextValidity++));
            }
            subscriptions.computeIfAbsent(user.name(), u -> new ArrayList<>(List.of("Drafts", "Junk", "Sent",
                    "Trash")));
            return new Store(user.name());
        }
    }

    /** Delivers a message as the MTA would (test helper). */
    long deliver(String user, String mailbox, String message) {
        synchronized (lock) {
            Box b = users.get(user).get(mailbox);
            long uid = b.uidNext++;
            b.msgs.add(new Msg(uid, new HashSet<>(), crlf(message.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                    Instant.parse("2024-03-01T10:00:00Z")));
            return uid;
        }
    }

    static byte[] crlf(byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length + 64);
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '\n' && (i == 0 || in[i - 1] != '\r')) {
                out.write('\r');
            }
            out.write(in[i]);
        }
        return out.toByteArray();
    }

    private static StoreException none(String name) {
        return new StoreException(StoreException.Kind.NONEXISTENT, "Mailbox doesn't exist: " + name);
    }

    final class Store implements MailStore {
        final String user;

        Store(String user) {
            this.user = user;
        }

        Map<String, Box> boxes() {
            return users.get(user);
        }

        Box box(String name) throws StoreException {
            Box b = boxes().get(name);
            if (b == null || b.directory) {
                throw none(name);
            }
            return b;
        }

        @Override
        public List<MailboxInfo> list() {
            synchronized (lock) {
                List<MailboxInfo> out = new ArrayList<>();
                List<String> names = new ArrayList<>(boxes().keySet());
                names.remove("INBOX");
                names.add(0, "INBOX");
                for (String n : names) {
                    Set<String> attrs = new LinkedHashSet<>();
                    if (boxes().get(n).directory) {
                        attrs.add("\\Noselect");
                    }
                    boolean children = false;
                    for (String o : names) {
                        children |= o.startsWith(n + "/");
                    }
                    attrs.add(children ? "\\HasChildren" : "\\HasNoChildren");
                    switch (n) {
                        case "Sent" -> attrs.add("\\Sent");
                        case "Drafts" -> attrs.add("\\Drafts");
                        case "Trash" -> attrs.add("\\Trash");
                        case "Junk" -> attrs.add("\\Junk");
                        default -> { }
                    }
                    out.add(new MailboxInfo(n, attrs));
                }
                return out;
            }
        }

        private void checkName(String name) throws StoreException {
            if (name.isEmpty() || name.startsWith("/") || name.contains("//") || name.contains("..")) {
                throw new StoreException(StoreException.Kind.CANNOT, "Invalid mailbox name");
            }
        }

        @Override
        public void create(String name) throws StoreException {
            synchronized (lock) {
                boolean dir = name.endsWith("/");
                String n = dir ? name.substring(0, name.length() - 1) : name;
                checkName(n);
                if (boxes().containsKey(n)) {
                    throw new StoreException(StoreException.Kind.ALREADYEXISTS, "Mailbox already exists");
                }
                Box b = new Box(nextValidity++);
                b.directory = dir;
                boxes().put(n, b);
            }
        }

        @Override
        public void delete(String name) throws StoreException {
            synchronized (lock) {
                if (name.equals("INBOX")) {
                    throw new StoreException(StoreException.Kind.CANNOT, "INBOX can't be deleted.");
                }
                if (boxes().remove(name) == null) {
                    throw none(name);
                }
            }
        }

        @Override
        public void rename(String from, String to) throws StoreException {
            synchronized (lock) {
                checkName(to);
                Box b = box(from);
                if (boxes().containsKey(to)) {
                    throw new StoreException(StoreException.Kind.ALREADYEXISTS, "Target mailbox already exists");
                }
                if (from.equals("INBOX")) {
                    Box nb = new Box(nextValidity++);
                    nb.msgs.addAll(b.msgs);
                    nb.uidNext = b.uidNext;
                    b.msgs.clear();
                    boxes().put(to, nb);
                } else {
                    boxes().remove(from);
                    boxes().put(to, b);
                }
            }
        }

        @Override
        public List<String> subscriptions() {
            synchronized (lock) {
                return new ArrayList<>(MemoryMailStore.this.subscriptions.get(user));
            }
        }

        @Override
        public void subscribe(String name) {
            synchronized (lock) {
                List<String> l = MemoryMailStore.this.subscriptions.get(user);
                if (!l.contains(name)) {
                    l.add(name);
                }
            }
        }

        @Override
        public void unsubscribe(String name) {
            synchronized (lock) {
                MemoryMailStore.this.subscriptions.get(user).remove(name);
            }
        }

        @Override
        public MailboxStatus status(String name) throws StoreException {
            synchronized (lock) {
                Box b = box(name);
                long recent = 0;
                long unseen = 0;
                for (Msg m : b.msgs) {
                    recent += m.recentClaimed ? 0 : 1;
                    unseen += m.flags.contains(StoredMessage.SEEN) ? 0 : 1;
                }
                return new MailboxStatus(b.msgs.size(), recent, b.uidNext, b.uidValidity, unseen, 0);
            }
        }

        @Override
        public AppendResult append(String mailbox, byte[] message, Set<String> flags, Instant internalDate)
                throws StoreException {
            synchronized (lock) {
                Box b = box(mailbox);
                if (quota != null && quota.usedBytes() + message.length > quota.limitBytes()) {
                    throw new StoreException(StoreException.Kind.OVERQUOTA, "Quota exceeded (mailbox for user is full)");
                }
                long uid = b.uidNext++;
                Set<String> f = new HashSet<>(flags);
                for (String k : f) {
                    if (!k.startsWith("\\")) {
                        b.keywords.add(k);
                    }
                }
                b.msgs.add(new Msg(uid, f, crlf(message), internalDate == null ? Instant.now() : internalDate));
                return new AppendResult(b.uidValidity, uid);
            }
        }

        @Override
        public Mailbox open(String name, boolean readOnly) throws StoreException {
            synchronized (lock) {
                return new View(this, name, box(name), readOnly);
            }
        }

        @Override
        public Quota quota() {
            return quota;
        }

        @Override
        public void close() {
        }
    }

    final class View implements Mailbox {
        final Store store;
        final String name;
        final Box box;
        final boolean readOnly;
        List<StoredMessage> view = new ArrayList<>();
        final Set<Long> myRecent = new HashSet<>();

        View(Store store, String name, Box box, boolean readOnly) {
            this.store = store;
            this.name = name;
            this.box = box;
            this.readOnly = readOnly;
            for (Msg m : box.msgs) {
                view.add(snapshot(m, true));
            }
            view = List.copyOf(view);
        }

        private StoredMessage snapshot(Msg m, boolean first) {
            if (first && !m.recentClaimed && !readOnly) {
                m.recentClaimed = true;
                myRecent.add(m.uid);
            }
            return new StoredMessage(m.uid, Set.copyOf(m.flags), m.data.length, m.date, myRecent.contains(m.uid), 0);
        }

        private Msg find(long uid) {
            List<Msg> l = box.msgs;
            int lo = 0;
            int hi = l.size() - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                long u = l.get(mid).uid;
                if (u < uid) {
                    lo = mid + 1;
                } else if (u > uid) {
                    hi = mid - 1;
                } else {
                    return l.get(mid);
                }
            }
            return null;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public boolean readOnly() {
            return readOnly;
        }

        @Override
        public long uidValidity() {
            return box.uidValidity;
        }

        @Override
        public long uidNext() {
            synchronized (lock) {
                return box.uidNext;
            }
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
            synchronized (lock) {
                return Set.copyOf(box.keywords);
            }
        }

        @Override
        public SyncResult sync() {
            synchronized (lock) {
                List<Long> expunged = new ArrayList<>();
                List<StoredMessage> added = new ArrayList<>();
                List<StoredMessage> changed = new ArrayList<>();
                List<StoredMessage> next = new ArrayList<>();
                long maxUid = view.isEmpty() ? 0 : view.get(view.size() - 1).uid();
                for (StoredMessage old : view) {
                    Msg m = find(old.uid());
                    if (m == null) {
                        expunged.add(old.uid());
                        continue;
                    }
                    StoredMessage now = snapshot(m, false);
                    if (!now.flags().equals(old.flags())) {
                        changed.add(now);
                    }
                    next.add(now);
                }
                for (Msg m : box.msgs) {
                    if (m.uid > maxUid) {
                        StoredMessage s = snapshot(m, true);
                        added.add(s);
                        next.add(s);
                    }
                }
                view = List.copyOf(next);
                if (expunged.isEmpty() && added.isEmpty() && changed.isEmpty()) {
                    return SyncResult.NONE;
                }
                return new SyncResult(expunged, added, changed, false);
            }
        }

        @Override
        public byte[] read(long uid) throws StoreException {
            synchronized (lock) {
                Msg m = find(uid);
                if (m == null) {
                    throw new StoreException(StoreException.Kind.NONEXISTENT, "Message was expunged");
                }
                return m.data.clone();
            }
        }

        @Override
        public byte[] readHeader(long uid) throws StoreException {
            byte[] d = read(uid);
            return java.util.Arrays.copyOf(d, MessageHeader.headerEnd(d, 0, d.length));
        }

        @Override
        public List<StoredMessage> setFlags(Collection<Long> uids, Set<String> flags, FlagMode mode)
                throws StoreException {
            if (readOnly) {
                throw new StoreException(StoreException.Kind.CANNOT, "Mailbox is read-only");
            }
            synchronized (lock) {
                Set<Long> want = new HashSet<>(uids);
                List<StoredMessage> out = new ArrayList<>();
                List<StoredMessage> next = new ArrayList<>(view);
                for (int i = 0; i < next.size(); i++) {
                    StoredMessage old = next.get(i);
                    if (!want.contains(old.uid())) {
                        continue;
                    }
                    Msg m = find(old.uid());
                    if (m == null) {
                        continue;
                    }
                    Set<String> f = new HashSet<>(m.flags);
                    switch (mode) {
                        case ADD -> f.addAll(flags);
                        case REMOVE -> f.removeAll(flags);
                        case REPLACE -> {
                            f.clear();
                            f.addAll(flags);
                        }
                    }
                    for (String k : f) {
                        if (!k.startsWith("\\")) {
                            box.keywords.add(k);
                        }
                    }
                    m.flags = f;
                    StoredMessage now = snapshot(m, false);
                    next.set(i, now);
                    out.add(now);
                }
                view = List.copyOf(next);
                return out;
            }
        }

        @Override
        public List<Long> expunge(Collection<Long> uids) throws StoreException {
            if (readOnly) {
                throw new StoreException(StoreException.Kind.CANNOT, "Mailbox is read-only");
            }
            synchronized (lock) {
                Set<Long> only = uids == null ? null : new HashSet<>(uids);
                List<Long> gone = new ArrayList<>();
                box.msgs.removeIf(m -> {
                    boolean del = m.flags.contains(StoredMessage.DELETED) && (only == null || only.contains(m.uid));
                    if (del) {
                        gone.add(m.uid);
                    }
                    return del;
                });
                List<StoredMessage> next = new ArrayList<>();
                Set<Long> g = new HashSet<>(gone);
                for (StoredMessage s : view) {
                    if (!g.contains(s.uid())) {
                        next.add(s);
                    }
                }
                view = List.copyOf(next);
                List<Long> ordered = new ArrayList<>(gone);
                ordered.sort(null);
                return ordered;
            }
        }

        @Override
        public CopyResult copyTo(Collection<Long> uids, String target) throws StoreException {
            synchronized (lock) {
                Box t = store.box(target);
                List<Long> src = new ArrayList<>();
                List<Long> dst = new ArrayList<>();
                for (StoredMessage s : view) {
                    if (!uids.contains(s.uid())) {
                        continue;
                    }
                    Msg m = find(s.uid());
                    if (m == null) {
                        continue;
                    }
                    long uid = t.uidNext++;
                    t.msgs.add(new Msg(uid, new HashSet<>(m.flags), m.data, m.date));
                    src.add(m.uid);
                    dst.add(uid);
                }
                return new CopyResult(t.uidValidity, src, dst);
            }
        }

        @Override
        public void close() {
        }
    }
}
