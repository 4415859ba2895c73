package org.jmail.pop3;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
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
 * An in-memory {@link MailStores} for the POP3 tests, faithful to the store contract where
 * POP3 uses it: each user has one INBOX "file" shared by all sessions; {@link Mailbox} is one
 * session's view that changes only through its own operations and {@link Mailbox#sync}
 * (mail delivered meanwhile is not seen until then); flags and expunges write through to
 * the file; read() returns CRLF text; expunge removes only \Deleted messages.
 */
final class FakeStore implements MailStores {

    /** One stored message of the "file". */
    static final class Msg {
        final long uid;
        final byte[] crlf;
        final Set<String> flags = new TreeSet<>();

        Msg(long uid, byte[] crlf) {
            this.uid = uid;
            this.crlf = crlf;
        }

        StoredMessage stored() {
            return new StoredMessage(uid, Set.copyOf(flags), crlf.length, Instant.EPOCH, false, 0);
        }
    }

    /** One user's INBOX file. */
    static final class Folder {
        long uidValidity = 1234567890L;
        long uidNext = 1;
        final List<Msg> messages = new ArrayList<>();
        final Map<Long, Msg> byUid = new java.util.HashMap<>();
        final Set<Long> unreadable = new HashSet<>();
        int expungeCalls;

        synchronized long deliver(String text) {
            String crlf = text.replace("\r\n", "\n").replace("\n", "\r\n");
            Msg m = new Msg(uidNext++, crlf.getBytes(StandardCharsets.UTF_8));
            messages.add(m);
            byUid.put(m.uid, m);
            return m.uid;
        }

        synchronized Msg find(long uid) {
            return byUid.get(uid);
        }

        synchronized void clear() {
            messages.clear();
            byUid.clear();
        }

        synchronized List<Long> uids() {
            List<Long> out = new ArrayList<>();
            for (Msg m : messages) {
                out.add(m.uid);
            }
            return out;
        }
    }

    final Map<String, Folder> folders = new LinkedHashMap<>();
    final AtomicInteger openMailboxes = new AtomicInteger();
    StoreException failOpen;

    synchronized Folder folder(String user) {
        return folders.computeIfAbsent(user, u -> new Folder());
    }

    @Override
    public MailStore open(AuthUser user) throws StoreException {
        if (failOpen != null) {
            throw failOpen;
        }
        return new Store(folder(user.name()));
    }

    final class Store implements MailStore {
        private final Folder folder;

        Store(Folder folder) {
            this.folder = folder;
        }

        @Override
        public List<MailboxInfo> list() {
            return List.of(new MailboxInfo("INBOX", Set.of("\\NoInferiors")));
        }

        @Override
        public void create(String name) throws StoreException {
            throw new StoreException(StoreException.Kind.CANNOT, "not in this fake");
        }

        @Override
        public void delete(String name) throws StoreException {
            throw new StoreException(StoreException.Kind.CANNOT, "not in this fake");
        }

        @Override
        public void rename(String from, String to) throws StoreException {
            throw new StoreException(StoreException.Kind.CANNOT, "not in this fake");
        }

        @Override
        public List<String> subscriptions() {
            return List.of();
        }

        @Override
        public void subscribe(String name) {
        }

        @Override
        public void unsubscribe(String name) {
        }

        @Override
        public MailboxStatus status(String name) {
            synchronized (folder) {
                return new MailboxStatus(folder.messages.size(), 0, folder.uidNext, folder.uidValidity, 0, 0);
            }
        }

        @Override
        public AppendResult append(String mailbox, byte[] message, Set<String> flags, Instant internalDate) {
            long uid = folder.deliver(new String(message, StandardCharsets.UTF_8));
            return new AppendResult(folder.uidValidity, uid);
        }

        @Override
        public Mailbox open(String name, boolean readOnly) throws StoreException {
            if (!name.equalsIgnoreCase("INBOX")) {
                throw new StoreException(StoreException.Kind.NONEXISTENT, "Mailbox doesn't exist: " + name);
            }
            openMailboxes.incrementAndGet();
            return new View(folder, readOnly);
        }

        @Override
        public Quota quota() {
            return null;
        }

        @Override
        public void close() {
        }
    }

    final class View implements Mailbox {
        private final Folder folder;
        private final boolean readOnly;
        private List<StoredMessage> view;
        private Set<Long> viewUids = Set.of();
        private boolean closed;

        View(Folder folder, boolean readOnly) {
            this.folder = folder;
            this.readOnly = readOnly;
            synchronized (folder) {
                List<StoredMessage> v = new ArrayList<>();
                for (Msg m : folder.messages) {
                    v.add(m.stored());
                }
                view = List.copyOf(v);
            }
        }

        @Override
        public String name() {
            return "INBOX";
        }

        @Override
        public boolean readOnly() {
            return readOnly;
        }

        @Override
        public long uidValidity() {
            return folder.uidValidity;
        }

        @Override
        public long uidNext() {
            return folder.uidNext;
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
            return Set.of();
        }

        @Override
        public SyncResult sync() {
            synchronized (folder) {
                List<StoredMessage> v = new ArrayList<>();
                for (Msg m : folder.messages) {
                    v.add(m.stored());
                }
                view = List.copyOf(v);
            }
            return SyncResult.NONE;
        }

        private boolean inView(long uid) {
            if (viewUids.size() != view.size()) {
                Set<Long> u = new HashSet<>();
                for (StoredMessage m : view) {
                    u.add(m.uid());
                }
                viewUids = u;
            }
            return viewUids.contains(uid);
        }

        @Override
        public byte[] read(long uid) throws StoreException {
            synchronized (folder) {
                Msg m = folder.find(uid);
                if (!inView(uid) || m == null || folder.unreadable.contains(uid)) {
                    throw new StoreException(StoreException.Kind.NONEXISTENT, "Message was expunged");
                }
                return m.crlf;
            }
        }

        @Override
        public byte[] readHeader(long uid) throws StoreException {
            byte[] all = read(uid);
            String s = new String(all, StandardCharsets.ISO_8859_1);
            int end = s.indexOf("\r\n\r\n");
            return (end < 0 ? s : s.substring(0, end + 4)).getBytes(StandardCharsets.ISO_8859_1);
        }

        @Override
        public List<StoredMessage> setFlags(Collection<Long> uids, Set<String> flags, FlagMode mode)
                throws StoreException {
            if (readOnly) {
                throw new StoreException(StoreException.Kind.CANNOT, "Mailbox is read-only");
            }
            List<StoredMessage> changed = new ArrayList<>();
            synchronized (folder) {
                for (long uid : uids) {
                    Msg m = folder.find(uid);
                    if (m == null || !inView(uid)) {
                        continue;
                    }
                    switch (mode) {
                        case ADD -> m.flags.addAll(flags);
                        case REMOVE -> m.flags.removeAll(flags);
                        case REPLACE -> {
                            m.flags.clear();
                            m.flags.addAll(flags);
                        }
                    }
                    changed.add(m.stored());
                }
                List<StoredMessage> v = new ArrayList<>();
                for (StoredMessage s : view) {
                    Msg m = folder.find(s.uid());
                    v.add(m == null ? s : m.stored());
                }
                view = List.copyOf(v);
            }
            return changed;
        }

        @Override
        public List<Long> expunge(Collection<Long> uids) throws StoreException {
            if (readOnly) {
                throw new StoreException(StoreException.Kind.CANNOT, "Mailbox is read-only");
            }
            List<Long> removed = new ArrayList<>();
            synchronized (folder) {
                folder.expungeCalls++;
                folder.messages.removeIf(m -> {
                    boolean go = m.flags.contains(StoredMessage.DELETED) && (uids == null || uids.contains(m.uid));
                    if (go) {
                        removed.add(m.uid);
                        folder.byUid.remove(m.uid);
                    }
                    return go;
                });
                List<StoredMessage> v = new ArrayList<>(view);
                v.removeIf(s -> removed.contains(s.uid()));
                view = List.copyOf(v);
                viewUids = Set.of();
            }
            return removed;
        }

        @Override
        public CopyResult copyTo(Collection<Long> uids, String target) throws StoreException {
            throw new StoreException(StoreException.Kind.CANNOT, "not in this fake");
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                openMailboxes.decrementAndGet();
            }
        }
    }
}
