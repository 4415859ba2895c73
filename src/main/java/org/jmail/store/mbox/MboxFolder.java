package org.jmail.store.mbox;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.jmail.log.MailLog;
import org.jmail.mailbox.LockPolicy;
import org.jmail.mailbox.MboxException;
import org.jmail.mailbox.MboxFromLine;
import org.jmail.mailbox.MboxLock;
import org.jmail.posix.FsIdentity;
import org.jmail.posix.NativeFile;
import org.jmail.posix.PosixException;
import org.jmail.store.StoreException;
import org.jmail.store.StoreException.Kind;
import org.jmail.util.ByteSearch;

/**
 * One mbox file and what the store knows about it: its messages ({@link MboxEntry}), UIDVALIDITY,
 * next UID and keywords, kept in step with the file and with {@code jmail.index}.
 *
 * <p><b>Sync.</b> {@link #refresh} stats the file (lstat, never following a symlink): an equal
 * stamp costs nothing more; an index written by another session for the current stamp is
 * loaded; a file that only grew is parsed from the old end (mail the MTA appended); anything
 * else is parsed again and matched by X-UID (messages without one keep the UIDs this store
 * gave them when date and size match, else get new ones, as Dovecot assigns them). Parsing
 * holds an fcntl read lock (Dovecot's mbox_read_locks).
 *
 * <p><b>Writes</b> take dotlock + fcntl ({@link MboxLock#exclusive}), re-sync under the lock,
 * and are one of: an append at the end (truncated back on error); a same-length rewrite of one
 * message's header in place when the new metadata fits (X-Keywords padding, as Dovecot does);
 * or a full rewrite ({@link #rewrite}) into a temporary file in the same directory that is
 * fsync'd and renamed over the mbox, so a crash leaves the old or the new file, never a
 * truncated one. Readers holding the old file keep reading a complete copy; local delivery
 * waiting on the lock with the old file open sees its link count drop to 0 and retries.
 *
 * <p>All methods must run with the owner's file-system identity ({@link FsIdentity#runAs});
 * not thread-safe (one session). Failures are {@link StoreException}s: lock timeouts
 * TEMPORARY, ENOSPC/EDQUOT OVERQUOTA, a symlink or EACCES NOPERM, a vanished file NONEXISTENT.
 */
final class MboxFolder implements Closeable {

    private static final MailLog LOG = MailLog.of("imap");
    private static final AtomicLong TMP_COUNTER = new AtomicLong();
    /** Above this size, unwritten UIDs and \Recent marks stay in the index at close. */
    static final long LAZY_REWRITE_LIMIT = 256L << 20;
    /** Dovecot's save padding: MBOX_HEADER_PADDING+1 + "Content-Length: \n" + MAX_INT_STRLEN. */
    private static final int SAVE_SPACE = 51 + 17 + 23;

    final String name;
    final Path path;
    final Path indexFile;
    final boolean readOnly;
    private final LockPolicy policy;
    private final String hostname;

    private NativeFile nf;
    private FileChannel ch;
    private FileStamp openStamp;
    private FileStamp stamp;

    long uidValidity;
    long nextUid = 1;
    long uidLastInFile;
    long pseudoEnd;
    boolean imapBaseInFile;
    final LinkedHashSet<String> keywords = new LinkedHashSet<>();
    List<String> fileKeywords = new ArrayList<>();
    List<MboxEntry> entries = new ArrayList<>();
    /** A flag change is waiting for a rewrite (it did not fit in place). */
    boolean flagsPending;
    /** Incremented whenever {@link #entries} changes. */
    long generation;

    MboxFolder(String name, Path path, Path indexFile, boolean readOnly, LockPolicy policy, String hostname) {
        this.name = name;
        this.path = path;
        this.indexFile = indexFile;
        this.readOnly = readOnly;
        this.policy = policy;
        this.hostname = hostname;
    }

    /** Opens the file and loads the index or parses the file. */
    void open() throws StoreException {
        openFiles();
        MboxIndexFile.Data d = indexFile == null ? null : MboxIndexFile.read(indexFile);
        FileStamp cur = openStamp;
        if (d != null && d.stamp.equals(cur) && plausible(d)) {
            adopt(d);
            return;
        }
        if (d != null) {
            // The old state: a tail parse (same file) or a UID-preserving re-parse starts from
            // it; a replaced file (mutt's rename) keeps UIDVALIDITY and UIDs by X-UID.
            adopt(d);
            stamp = d.stamp.sameFile(cur) ? d.stamp : null;
        }
        refreshLocked(true);
    }

    /** A quick check that the index still matches the file: From_ lines where it says. */
    private boolean plausible(MboxIndexFile.Data d) throws StoreException {
        if (d.entries.isEmpty()) {
            return true;
        }
        return startsWithFrom(d.entries.get(0).fromOff) && startsWithFrom(d.entries.get(d.entries.size() - 1).fromOff);
    }

    private void adopt(MboxIndexFile.Data d) {
        stamp = d.stamp;
        uidValidity = d.uidValidity;
        nextUid = d.nextUid;
        uidLastInFile = d.uidLastInFile;
        pseudoEnd = d.pseudoEnd;
        imapBaseInFile = d.imapBaseInFile;
        keywords.clear();
        keywords.addAll(d.keywords);
        fileKeywords = new ArrayList<>(d.fileKeywords);
        entries = d.entries;
        generation++;
    }

    private void openFiles() throws StoreException {
        closeFiles();
        try {
            FileStamp before = FileStamp.of(path);
            if (before == null) {
                throw new StoreException(Kind.NONEXISTENT, "Mailbox doesn't exist: " + name);
            }
            int flags = (readOnly ? NativeFile.O_RDONLY : NativeFile.O_RDWR) | NativeFile.O_NOFOLLOW
                    | NativeFile.O_NONBLOCK;
            nf = NativeFile.open(path.toString(), flags, 0);
            Set<OpenOption> opts = new HashSet<>();
            opts.add(StandardOpenOption.READ);
            if (!readOnly) {
                opts.add(StandardOpenOption.WRITE);
            }
            opts.add(LinkOption.NOFOLLOW_LINKS);
            ch = FileChannel.open(path, opts);
            org.jmail.posix.FileInfo fi = nf.stat();
            FileStamp after = FileStamp.of(path);
            if (!fi.isRegular()) {
                throw new StoreException(Kind.NOPERM, "Mailbox isn't a regular file: " + name);
            }
            if (after == null || after.ino() != fi.ino() || after.dev() != fi.dev()) {
                throw new StoreException(Kind.TEMPORARY, "Mailbox was replaced while opening it: " + name);
            }
            openStamp = after;
        } catch (FileStamp.SymlinkException e) {
            closeFiles();
            throw new StoreException(Kind.NOPERM, "Mailbox is a symbolic link: " + name);
        } catch (PosixException e) {
            closeFiles();
            if (e.errno() == PosixException.ELOOP) {
                throw new StoreException(Kind.NOPERM, "Mailbox is a symbolic link: " + name);
            }
            if (e.errno() == PosixException.ENOENT) {
                throw new StoreException(Kind.NONEXISTENT, "Mailbox doesn't exist: " + name);
            }
            if (e.errno() == PosixException.EACCES || e.errno() == PosixException.EPERM) {
                throw new StoreException(Kind.NOPERM, "Permission denied: " + name);
            }
            throw new StoreException(Kind.SERVERBUG, "open(" + path + ") failed: " + e.getMessage(), e);
        } catch (StoreException e) {
            closeFiles();
            throw e;
        } catch (IOException e) {
            closeFiles();
            throw io("open", e);
        }
    }

    private void closeFiles() {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing to do
            }
            ch = null;
        }
        if (nf != null) {
            nf.close();
            nf = null;
        }
    }

    /** The current stamp of the path, reopening when the file was replaced (rename). */
    private FileStamp current() throws StoreException {
        FileStamp cur;
        try {
            cur = FileStamp.of(path);
        } catch (FileStamp.SymlinkException e) {
            throw new StoreException(Kind.NOPERM, "Mailbox is a symbolic link: " + name);
        } catch (IOException e) {
            throw io("stat", e);
        }
        if (cur == null) {
            throw new StoreException(Kind.NONEXISTENT, "Mailbox doesn't exist: " + name);
        }
        if (!cur.sameFile(openStamp)) {
            openFiles();
            cur = openStamp;
        }
        return cur;
    }

    /**
     * Brings the state up to date with the file.
     *
     * @return true when anything changed
     */
    boolean refresh() throws StoreException {
        FileStamp cur = current();
        if (cur.equals(stamp)) {
            return false;
        }
        MboxIndexFile.Data d = indexFile == null ? null : MboxIndexFile.read(indexFile);
        if (d != null && d.stamp.equals(cur) && plausible(d)) {
            adopt(d);
            return true;
        }
        return refreshLocked(false);
    }

    private boolean refreshLocked(boolean opening) throws StoreException {
        try (MboxLock lock = lockShared()) {
            boolean changed = syncUnderLock();
            return changed || opening;
        }
    }

    /** Parses what changed; the caller holds a lock. */
    private boolean syncUnderLock() throws StoreException {
        FileStamp cur = current();
        if (cur.equals(stamp)) {
            return false;
        }
        try {
            if (stamp != null && cur.sameFile(stamp) && cur.size() > stamp.size() && tailAppendable()) {
                parseTail(cur);
            } else {
                parseAll(cur);
            }
        } catch (IOException e) {
            throw io("read", e);
        }
        saveIndex();
        return true;
    }

    private boolean tailAppendable() throws IOException, StoreException {
        long old = stamp.size();
        if (old == 0 || (entries.isEmpty() && pseudoEnd == 0)) {
            return false;
        }
        if (readByte(old - 1) != '\n' || !startsWithFrom(old)) {
            return false;
        }
        return entries.isEmpty() || startsWithFrom(entries.get(entries.size() - 1).fromOff);
    }

    private void parseTail(FileStamp cur) throws IOException {
        MboxParser.Result r = new MboxParser(ch, cur.size()).parse(stamp.size());
        List<MboxEntry> list = new ArrayList<>(entries.size() + r.entries.size());
        list.addAll(entries);
        if (!list.isEmpty()) {
            MboxEntry last = list.get(list.size() - 1).copy();
            last.nextOff = stamp.size(); // unchanged: it ended at the old end of file
            list.set(list.size() - 1, last);
        }
        long prev = list.isEmpty() ? 0 : list.get(list.size() - 1).uid;
        for (MboxEntry e : r.entries) {
            long v = e.fileUid;
            if (v > prev && v <= nextUid && v > 0) {
                if (v == nextUid) {
                    nextUid++;
                }
                e.uid = v;
            } else {
                e.fileUid = 0;
                e.uid = nextUid++;
            }
            e.dirty = e.fileUid != e.uid;
            addKeywords(e.keywords);
            prev = e.uid;
            list.add(e);
        }
        entries = list;
        stamp = cur;
        generation++;
    }

    private void parseAll(FileStamp cur) throws IOException {
        MboxParser.Result r = new MboxParser(ch, cur.size()).parse(0);
        long validity;
        if (r.imapBase) {
            validity = r.uidValidity;
        } else if (uidValidity != 0) {
            validity = uidValidity;
        } else {
            validity = Math.max(1, Instant.now().getEpochSecond());
        }
        boolean keep = uidValidity != 0 && validity == uidValidity;
        List<MboxEntry> old = keep ? entries : List.of();
        long next = Math.max(r.imapBase ? r.uidLast + 1 : 1, keep ? nextUid : 1);
        Map<Long, MboxEntry> byUid = new HashMap<>(old.size() * 2);
        List<MboxEntry> unwritten = new ArrayList<>();
        for (MboxEntry o : old) {
            byUid.put(o.uid, o);
            if (o.fileUid != o.uid) {
                unwritten.add(o);
            }
        }
        int up = 0;
        long prev = 0;
        for (MboxEntry e : r.entries) {
            long v = e.fileUid;
            if (v > prev && v > 0 && v <= next) {
                if (v == next) {
                    next++;
                }
                e.uid = v;
            } else {
                e.fileUid = 0;
                while (up < unwritten.size() && unwritten.get(up).uid <= prev) {
                    up++;
                }
                MboxEntry cand = up < unwritten.size() ? unwritten.get(up) : null;
                if (cand != null && cand.date == e.date && cand.vsize == e.vsize && cand.uid < next) {
                    e.uid = cand.uid;
                    up++;
                } else {
                    e.uid = next++;
                }
            }
            MboxEntry o = byUid.get(e.uid);
            if (o != null && o.dirty) {
                e.flags = o.flags;
                e.keywords = o.keywords;
                e.dirty = true;
            } else {
                int inFile = e.flags;
                if (o != null) {
                    e.flags |= o.flags & Flags.NONRECENT; // a \Recent mark not yet written
                }
                e.dirty = e.fileUid != e.uid || e.flags != inFile;
            }
            prev = e.uid;
        }
        if (!keep) {
            keywords.clear();
        }
        uidValidity = validity;
        nextUid = next;
        uidLastInFile = r.imapBase ? r.uidLast : 0;
        imapBaseInFile = r.imapBase;
        pseudoEnd = r.pseudoEnd;
        fileKeywords = new ArrayList<>(Arrays.asList(r.keywords));
        addKeywords(r.keywords);
        for (MboxEntry e : r.entries) {
            addKeywords(e.keywords);
        }
        entries = r.entries;
        stamp = cur;
        generation++;
    }

    private void addKeywords(String[] ks) {
        for (String k : ks) {
            keywords.add(k);
        }
    }

    // ---------------------------------------------------------------- locks

    private MboxLock lockShared() throws StoreException {
        return lock(false);
    }

    /**
     * The exclusive lock of a write: dotlock + fcntl, and after a {@link #rewrite} also the
     * fcntl lock of the new file, until {@link #close()}.
     */
    final class WriteLock implements AutoCloseable {
        private final MboxLock lock;
        private NativeFile renewed;

        private WriteLock(MboxLock lock) {
            this.lock = lock;
        }

        @Override
        public void close() {
            try {
                if (renewed != null && renewed.isOpen()) {
                    renewed.unlock();
                }
            } catch (PosixException ignored) {
                // closing the descriptor releases it anyway
            } finally {
                writeLock = null;
                lock.close();
            }
        }
    }

    private WriteLock writeLock;

    WriteLock lockExclusive() throws StoreException {
        if (readOnly) {
            throw new StoreException(Kind.CANNOT, "Mailbox is read-only");
        }
        writeLock = new WriteLock(lock(true));
        return writeLock;
    }

    /** After the rename: our descriptors move to the new file, which we lock too. */
    private void reopenLocked() throws StoreException {
        openFiles();
        long deadline = System.nanoTime() + policy.maxWait().toNanos();
        try {
            while (!nf.tryLockExclusive()) {
                if (System.nanoTime() > deadline) {
                    throw new StoreException(Kind.TEMPORARY, "Timeout while waiting for lock");
                }
                Thread.sleep(5);
            }
        } catch (PosixException e) {
            throw new StoreException(Kind.SERVERBUG, "fcntl lock failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException(Kind.TEMPORARY, "Timeout while waiting for lock");
        }
        if (writeLock != null) {
            writeLock.renewed = nf;
        }
    }

    private MboxLock lock(boolean exclusive) throws StoreException {
        for (int attempt = 0; ; attempt++) {
            current();
            MboxLock l;
            try {
                l = exclusive ? MboxLock.exclusive(path.toString(), nf, policy)
                        : MboxLock.shared(path.toString(), nf, policy);
            } catch (MboxException e) {
                LOG.warn(path + ": " + e.reason());
                throw new StoreException(Kind.TEMPORARY, "Timeout while waiting for lock");
            }
            try {
                FileStamp now = FileStamp.of(path);
                if (now != null && now.sameFile(openStamp)) {
                    return l;
                }
            } catch (IOException e) {
                l.close();
                throw io("stat", e);
            }
            l.close(); // replaced while we waited: lock the new file
            if (attempt > 5) {
                throw new StoreException(Kind.TEMPORARY, "Mailbox keeps being replaced: " + name);
            }
        }
    }

    /** Syncs under an exclusive lock the caller holds. */
    void syncExclusive() throws StoreException {
        syncUnderLock();
    }

    // ---------------------------------------------------------------- reading

    /**
     * {@link #read} without an identity switch, when the file is unchanged: only lstat(2) of
     * the path and reads from the descriptor the user's identity opened. Null when the file
     * changed (the caller then syncs as the user).
     */
    byte[] readIfUnchanged(MboxEntry e, boolean headerOnly) throws StoreException {
        FileStamp cur;
        try {
            cur = FileStamp.of(path);
        } catch (IOException ex) {
            return null;
        }
        if (cur == null || !cur.equals(stamp) || !cur.sameFile(openStamp) || ch == null) {
            return null;
        }
        MboxLock lock;
        try {
            lock = MboxLock.shared(path.toString(), nf, policy);
        } catch (MboxException ex) {
            return null;
        }
        try (lock) {
            // another session may have rewritten the file between the stat and the lock
            if (!unchanged()) {
                return null;
            }
            return readLocked(e, headerOnly);
        }
    }

    /** True when lstat(2) shows the file this state describes (no identity needed). */
    boolean unchanged() {
        try {
            FileStamp cur = FileStamp.of(path);
            return cur != null && cur.equals(stamp) && cur.sameFile(openStamp);
        } catch (IOException ex) {
            return false;
        }
    }

    /** The message as the client sees it (CRLF, metadata removed); header only if asked. */
    byte[] read(MboxEntry e, boolean headerOnly) throws StoreException {
        try (MboxLock lock = lockShared()) {
            return readLocked(e, headerOnly);
        }
    }

    /**
     * Syncs and reads message {@code uid} under one shared lock, so another session's rewrite
     * can't move the offsets between the sync and the read. Null when it was expunged.
     */
    byte[] readUid(long uid, boolean headerOnly) throws StoreException {
        try (MboxLock lock = lockShared()) {
            syncUnderLock();
            MboxEntry e = entryByUid(uid);
            return e == null ? null : readLocked(e, headerOnly);
        }
    }

    /** Binary search: UIDs ascend in file order (the parser renumbers any that don't). */
    MboxEntry entryByUid(long uid) {
        int lo = 0;
        int hi = entries.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long u = entries.get(mid).uid;
            if (u < uid) {
                lo = mid + 1;
            } else if (u > uid) {
                hi = mid - 1;
            } else {
                return entries.get(mid);
            }
        }
        return null;
    }

    private byte[] readLocked(MboxEntry e, boolean headerOnly) throws StoreException {
        {
            long end = headerOnly ? e.bodyOff : e.bodyEnd;
            long len = end - e.fromOff;
            if (len > Integer.MAX_VALUE - 16) {
                throw new StoreException(Kind.SERVERBUG, "Message too large");
            }
            byte[] raw = readAt(e.fromOff, (int) len);
            if (raw.length < 5 || raw[0] != 'F' || raw[1] != 'r' || raw[2] != 'o' || raw[3] != 'm' || raw[4] != ' ') {
                throw new StoreException(Kind.TEMPORARY, "Mailbox changed unexpectedly, try again");
            }
            int h = (int) (e.hdrOff - e.fromOff);
            int b = (int) (e.bodyOff - e.fromOff);
            byte[] hdr = MboxHeaders.stripMetadata(raw, h, b);
            int bodyLen = headerOnly ? 0 : raw.length - b;
            byte[] out = new byte[(hdr.length + bodyLen) * 2 + 2];
            int o = MboxHeaders.toCrlf(hdr, 0, hdr.length, out, 0, false);
            out[o++] = '\r';
            out[o++] = '\n';
            if (!headerOnly) {
                o = MboxHeaders.toCrlf(raw, b, raw.length, out, o, false);
            }
            return Arrays.copyOf(out, o);
        }
    }

    /** The message's From_ line with its LF (COPY keeps envelope sender and date). */
    byte[] fromLine(MboxEntry e) throws StoreException {
        byte[] b = readAt(e.fromOff, (int) Math.min(e.hdrOff - e.fromOff, 4096));
        return b.length > 5 && b[0] == 'F' && b[b.length - 1] == '\n' ? b : null;
    }

    private byte[] readAt(long pos, int len) throws StoreException {
        byte[] b = new byte[len];
        ByteBuffer bb = ByteBuffer.wrap(b);
        try {
            long p = pos;
            while (bb.hasRemaining()) {
                int n = ch.read(bb, p);
                if (n < 0) {
                    break;
                }
                p += n;
            }
        } catch (IOException ex) {
            throw io("read", ex);
        }
        return bb.hasRemaining() ? Arrays.copyOf(b, bb.position()) : b;
    }

    private int readByte(long pos) throws IOException {
        ByteBuffer bb = ByteBuffer.allocate(1);
        return ch.read(bb, pos) == 1 ? bb.get(0) : -1;
    }

    private boolean startsWithFrom(long pos) throws StoreException {
        byte[] b = readAt(pos, 5);
        return b.length == 5 && b[0] == 'F' && b[1] == 'r' && b[2] == 'o' && b[3] == 'm' && b[4] == ' ';
    }

    // ---------------------------------------------------------------- flag writes

    /**
     * Writes the metadata of {@code changed} into their headers in place when it fits;
     * entries that don't fit stay dirty for the next rewrite. Caller holds the exclusive lock
     * and has synced.
     */
    void writeFlagsInPlace(Collection<MboxEntry> changed) throws StoreException {
        if (changed.isEmpty()) {
            return;
        }
        boolean baseNeeded = false;
        for (MboxEntry e : changed) {
            for (String k : e.keywords) {
                if (!fileKeywords.contains(k)) {
                    baseNeeded = true;
                }
            }
        }
        Map<MboxEntry, byte[]> writes = new java.util.LinkedHashMap<>();
        MboxEntry first = entries.isEmpty() ? null : entries.get(0);
        boolean firstHasBase = first != null && pseudoEnd == 0 && imapBaseInFile && first.fromOff == 0;
        if (baseNeeded) {
            if (!firstHasBase || first.fileUid != first.uid) {
                flagsPending = true;
                return;
            }
            byte[] w = inPlaceHeader(first, true, new ArrayList<>(keywords));
            if (w == null) {
                flagsPending = true;
                return;
            }
            writes.put(first, w);
        }
        List<String> baseKeywords = baseNeeded ? new ArrayList<>(keywords) : fileKeywords;
        for (MboxEntry e : changed) {
            if (e.fileUid != e.uid || writes.containsKey(e)) {
                continue;
            }
            byte[] w = inPlaceHeader(e, e == first && firstHasBase, baseKeywords);
            if (w != null) {
                writes.put(e, w);
            }
        }
        try {
            for (Map.Entry<MboxEntry, byte[]> w : writes.entrySet()) {
                ByteBuffer bb = ByteBuffer.wrap(w.getValue());
                long p = w.getKey().hdrOff;
                while (bb.hasRemaining()) {
                    p += ch.write(bb, p);
                }
                w.getKey().dirty = false;
            }
            if (!writes.isEmpty()) {
                ch.force(false);
            }
        } catch (IOException ex) {
            throw io("write", ex);
        }
        if (baseNeeded && writes.containsKey(first)) {
            fileKeywords = baseKeywords;
        }
        for (MboxEntry e : changed) {
            if (e.dirty) {
                flagsPending = true;
            }
        }
        afterWrite();
    }

    /** The new header region of e of exactly the old length, or null when it doesn't fit. */
    private byte[] inPlaceHeader(MboxEntry e, boolean withBase, List<String> baseKeywords) throws StoreException {
        int len = (int) (e.bodyOff - e.hdrOff);
        byte[] raw = readAt(e.hdrOff, len);
        if (raw.length != len || len < 1 || raw[len - 1] != '\n') {
            return null;
        }
        byte[] kept = MboxHeaders.stripMetadata(raw, 0, raw.length);
        String base = withBase ? MboxHeaders.imapBase(uidValidity, uidLastInFile, baseKeywords) : null;
        long cl = e.bodyEnd - e.bodyOff;
        String block = MboxHeaders.block(base, e.uid, e.flags, e.keywords, 0, cl);
        int need = kept.length + block.length() + 1;
        if (need > len) {
            block = MboxHeaders.block(base, e.uid, e.flags, e.keywords, 0, -1);
            need = kept.length + block.length() + 1;
            if (need > len || e.contentLength >= 0) {
                return null; // never drop a Content-Length that protects From_ lines
            }
            block = MboxHeaders.block(base, e.uid, e.flags, e.keywords, len - need, -1);
        } else {
            block = MboxHeaders.block(base, e.uid, e.flags, e.keywords, len - need, cl);
        }
        byte[] out = new byte[len];
        System.arraycopy(kept, 0, out, 0, kept.length);
        byte[] bb = MboxHeaders.ascii(block);
        System.arraycopy(bb, 0, out, kept.length, bb.length);
        out[len - 1] = '\n';
        return out.length == kept.length + bb.length + 1 ? out : null;
    }

    private void afterWrite() throws StoreException {
        try {
            stamp = FileStamp.of(path);
        } catch (IOException e) {
            throw io("stat", e);
        }
        generation++;
        saveIndex();
    }

    // ---------------------------------------------------------------- append

    /** One message to append. */
    record Append(byte[] message, int flags, String[] keywords, Instant date, byte[] fromLine) {
    }

    /**
     * Appends messages at the end of the file, each with X-UID, Status, X-Keywords padding and
     * Content-Length as Dovecot's mbox-save writes them. Caller holds the exclusive lock and
     * has synced. On error the file is truncated back.
     *
     * @return the UIDs given, in order
     */
    List<Long> append(List<Append> list, String user) throws StoreException {
        long size = stamp.size();
        long pos = size;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        List<MboxEntry> added = new ArrayList<>();
        try {
            if (size > 0 && readByte(size - 1) != '\n') {
                buf.write('\n');
            }
            boolean emptyFile = size == 0;
            long lastUid = nextUid + list.size() - 1;
            for (Append a : list) {
                long uid = nextUid++;
                long at = pos + buf.size();
                byte[] msg = lf(a.message());
                int split = headerEnd(msg);
                byte[] hdr = MboxHeaders.stripMetadata(dropFromLines(msg, split), 0, dropFromLines(msg, split).length);
                int bodyStart = split < msg.length ? split : msg.length;
                int bodyLen = msg.length - bodyStart;
                boolean needLf = bodyLen > 0 && msg[msg.length - 1] != '\n';
                long cl = bodyLen + (needLf ? 1 : 0);
                byte[] from = a.fromLine() != null ? a.fromLine()
                        : (MboxFromLine.format(user, a.date(), ZoneId.systemDefault()) + "\n").getBytes(StandardCharsets.ISO_8859_1);
                String base = null;
                String[] kw = a.keywords();
                List<String> written = new ArrayList<>();
                if (emptyFile && added.isEmpty()) {
                    List<String> all = new ArrayList<>(keywords);
                    for (String k : kw) {
                        if (!all.contains(k)) {
                            all.add(k);
                        }
                    }
                    base = MboxHeaders.imapBase(uidValidity, lastUid, all);
                    fileKeywords = all;
                    imapBaseInFile = true;
                    uidLastInFile = lastUid;
                }
                for (String k : kw) {
                    if (fileKeywords.contains(k)) {
                        written.add(k);
                    }
                }
                int digits = Long.toString(cl).length();
                String block = MboxHeaders.block(base, uid, a.flags() & Flags.SYSTEM, written.toArray(new String[0]),
                        SAVE_SPACE - 17 - digits, cl);
                buf.write(from);
                buf.write(hdr);
                byte[] bb = MboxHeaders.ascii(block);
                buf.write(bb);
                buf.write('\n');
                long bodyOff = pos + buf.size();
                buf.write(msg, bodyStart, bodyLen);
                if (needLf) {
                    buf.write('\n');
                }
                long bodyEnd = pos + buf.size();
                buf.write('\n');
                MboxEntry e = new MboxEntry();
                e.fromOff = at;
                e.hdrOff = at + from.length;
                e.bodyOff = bodyOff;
                e.bodyEnd = bodyEnd;
                e.nextOff = pos + buf.size();
                e.uid = uid;
                e.fileUid = uid;
                e.flags = a.flags() & Flags.SYSTEM;
                e.keywords = kw;
                e.contentLength = cl;
                e.date = a.date().getEpochSecond();
                e.vsize = crlfSize(hdr) + 2 + (bodyEnd - bodyOff) + countBareLf(msg, bodyStart, msg.length)
                        + (needLf ? 1 : 0);
                e.dirty = written.size() != kw.length;
                addKeywords(kw);
                added.add(e);
            }
        } catch (IOException e) {
            throw io("append", e);
        }
        byte[] data = buf.toByteArray();
        try {
            ByteBuffer bb = ByteBuffer.wrap(data);
            long p = pos;
            while (bb.hasRemaining()) {
                p += ch.write(bb, p);
            }
            ch.force(true);
        } catch (IOException e) {
            try {
                ch.truncate(size);
            } catch (IOException ignored) {
                // nothing better to do; the next sync sees a partial message
            }
            nextUid -= list.size();
            throw io("write", e);
        }
        if (!entries.isEmpty() && !added.isEmpty()) {
            entries.get(entries.size() - 1).nextOff = added.get(0).fromOff;
        }
        List<MboxEntry> list2 = new ArrayList<>(entries);
        list2.addAll(added);
        entries = list2;
        updateLastUidInPlace();
        afterWrite();
        List<Long> uids = new ArrayList<>();
        for (MboxEntry e : added) {
            uids.add(e.uid);
        }
        return uids;
    }

    /** Advances X-IMAPbase's last UID in place when every message carries its X-UID. */
    private void updateLastUidInPlace() throws StoreException {
        if (!imapBaseInFile || entries.isEmpty()) {
            return;
        }
        for (MboxEntry e : entries) {
            if (e.fileUid != e.uid) {
                return; // Dovecot would number the unwritten ones after the new last UID
            }
        }
        long last = nextUid - 1;
        if (last == uidLastInFile || last > 9_999_999_999L) {
            return;
        }
        long start = pseudoEnd > 0 ? 0 : entries.get(0).fromOff;
        long end = pseudoEnd > 0 ? pseudoEnd : entries.get(0).bodyOff;
        if (start != 0) {
            return;
        }
        byte[] raw = readAt(0, (int) Math.min(end, 1 << 20));
        String name = pseudoEnd > 0 ? "X-IMAP:" : "X-IMAPbase:";
        int p = find(raw, name);
        if (p < 0) {
            return;
        }
        int v = p + name.length();
        while (v < raw.length && raw[v] == ' ') {
            v++;
        }
        while (v < raw.length && raw[v] >= '0' && raw[v] <= '9') {
            v++;
        }
        while (v < raw.length && raw[v] == ' ') {
            v++;
        }
        int s = v;
        while (v < raw.length && raw[v] >= '0' && raw[v] <= '9') {
            v++;
        }
        if (v - s != 10) {
            return;
        }
        String digits = String.format("%010d", last);
        try {
            ByteBuffer bb = ByteBuffer.wrap(digits.getBytes(StandardCharsets.US_ASCII));
            long pos = s;
            while (bb.hasRemaining()) {
                pos += ch.write(bb, pos);
            }
        } catch (IOException e) {
            throw io("write", e);
        }
        uidLastInFile = last;
    }

    private static int find(byte[] raw, String name) {
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i + n.length <= raw.length; i++) {
            if (i > 0 && raw[i - 1] != '\n') {
                continue;
            }
            for (int k = 0; k < n.length; k++) {
                if (raw[i + k] != n[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** CRLF → LF (mbox files use LF). */
    static byte[] lf(byte[] m) {
        byte[] out = new byte[m.length];
        int o = 0;
        for (int i = 0; i < m.length; i++) {
            if (m[i] == '\r' && i + 1 < m.length && m[i + 1] == '\n') {
                continue;
            }
            out[o++] = m[i];
        }
        return o == m.length ? out : Arrays.copyOf(out, o);
    }

    /** Index just after the empty line ending the header, or m.length when there is none. */
    static int headerEnd(byte[] m) {
        if (m.length > 0 && m[0] == '\n') {
            return 1;
        }
        for (int i = 1; i < m.length; i++) {
            if (m[i] == '\n' && m[i - 1] == '\n') {
                return i + 1;
            }
        }
        return m.length;
    }

    /** The header part [0, split) without "From " lines (Dovecot drops them) and the empty line. */
    private static byte[] dropFromLines(byte[] m, int split) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(split);
        int i = 0;
        while (i < split) {
            int nl = MboxHeaders.indexOf(m, (byte) '\n', i, split);
            int end = nl < 0 ? split : nl + 1;
            if (!(end - i >= 5 && m[i] == 'F' && m[i + 1] == 'r' && m[i + 2] == 'o' && m[i + 3] == 'm' && m[i + 4] == ' ')
                    && !(end - i == 1 && m[i] == '\n')) {
                out.write(m, i, end - i);
            }
            i = end;
        }
        return out.toByteArray();
    }

    static long crlfSize(byte[] lfText) {
        return lfText.length + countBareLf(lfText, 0, lfText.length);
    }

    static long countBareLf(byte[] b, int from, int to) {
        long n = 0;
        for (int i = ByteSearch.indexOf(b, (byte) '\n', from, to); i >= 0; i = ByteSearch.indexOf(b, (byte) '\n', i + 1, to)) {
            if (i == 0 || b[i - 1] != '\r') {
                n++;
            }
        }
        return n;
    }

    // ---------------------------------------------------------------- rewrite

    /**
     * Rewrites the whole file without the messages in {@code expunge}, with every message's
     * metadata written (X-IMAPbase in the first, or the pseudo message when none is left), into
     * a temporary file that replaces the mbox by rename. Caller holds the exclusive lock and has
     * synced.
     *
     * @return UIDs removed, in mailbox order
     */
    List<Long> rewrite(Set<Long> expunge) throws StoreException {
        Path dir = path.getParent();
        Path tmp = dir.resolve("." + path.getFileName() + ".jmail-" + ProcessHandle.current().pid() + "-"
                + TMP_COUNTER.incrementAndGet() + ".tmp");
        List<Long> removed = new ArrayList<>();
        List<MboxEntry> kept = new ArrayList<>();
        for (MboxEntry e : entries) {
            if (expunge.contains(e.uid)) {
                removed.add(e.uid);
            } else {
                kept.add(e.copy());
            }
        }
        boolean pseudo = pseudoEnd > 0 || kept.isEmpty();
        List<String> allKeywords = new ArrayList<>(keywords);
        long written = 0;
        long newPseudoEnd = 0;
        boolean ok = false;
        try (FileChannel out = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
            CountingStream os = new CountingStream(new BufferedOutputStream(Channels.newOutputStream(out), 1 << 20));
            if (pseudo) {
                os.write(pseudoMessage(allKeywords));
                newPseudoEnd = os.count;
            }
            byte[] chunk = new byte[1 << 20];
            for (int i = 0; i < kept.size(); i++) {
                MboxEntry e = kept.get(i);
                int hlen = (int) (e.bodyOff - e.fromOff);
                byte[] raw = readAt(e.fromOff, hlen);
                int h = (int) (e.hdrOff - e.fromOff);
                byte[] hdr = MboxHeaders.stripMetadata(raw, h, raw.length);
                long bodyLen = e.bodyEnd - e.bodyOff;
                String base = !pseudo && i == 0 ? MboxHeaders.imapBase(uidValidity, nextUid - 1, allKeywords) : null;
                long start = os.count;
                os.write(raw, 0, h);
                os.write(hdr);
                os.write(MboxHeaders.ascii(MboxHeaders.block(base, e.uid, e.flags, e.keywords, MboxHeaders.PADDING, bodyLen)));
                os.write('\n');
                long bodyOff = os.count;
                long p = e.bodyOff;
                while (p < e.bodyEnd) {
                    int n = (int) Math.min(chunk.length, e.bodyEnd - p);
                    ByteBuffer bb = ByteBuffer.wrap(chunk, 0, n);
                    while (bb.hasRemaining()) {
                        int r = ch.read(bb, p + bb.position());
                        if (r < 0) {
                            throw new IOException("mbox shrank while rewriting it");
                        }
                    }
                    os.write(chunk, 0, n);
                    p += n;
                }
                long bodyEnd = os.count;
                os.write('\n');
                e.hdrOff = start + h;
                e.fromOff = start;
                e.bodyOff = bodyOff;
                e.bodyEnd = bodyEnd;
                e.nextOff = os.count;
                e.fileUid = e.uid;
                e.contentLength = bodyLen;
                e.dirty = false;
            }
            os.flush();
            written = os.count;
            out.force(true);
            matchOwnership(tmp);
            ok = true;
        } catch (IOException e) {
            throw io("rewrite", e);
        } finally {
            if (!ok) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a stray temporary file is harmless (hidden, never listed)
                }
            }
        }
        try {
            Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            fsyncDirectory(dir);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // see above
            }
            throw io("rename", e);
        }
        reopenLocked();
        entries = kept;
        pseudoEnd = newPseudoEnd;
        imapBaseInFile = true;
        uidLastInFile = nextUid - 1;
        fileKeywords = allKeywords;
        flagsPending = false;
        try {
            stamp = FileStamp.of(path);
        } catch (IOException e) {
            throw io("stat", e);
        }
        if (stamp == null || stamp.size() != written) {
            stamp = null; // someone raced us: re-parse next time
        }
        generation++;
        saveIndex();
        return removed;
    }

    /** Dovecot's "FOLDER INTERNAL DATA" pseudo message (mbox-sync.c mbox_write_pseudo). */
    private byte[] pseudoMessage(List<String> kw) {
        Instant now = Instant.now();
        StringBuilder sb = new StringBuilder(600);
        sb.append(MboxFromLine.format("MAILER_DAEMON", now, ZoneId.systemDefault())).append('\n');
        sb.append("Date: ").append(org.jmail.util.MailDate.format(now)).append('\n');
        sb.append("From: Mail System Internal Data <MAILER-DAEMON@").append(hostname).append(">\n");
        sb.append("Subject: DON'T DELETE THIS MESSAGE -- FOLDER INTERNAL DATA\n");
        sb.append("Message-ID: <").append(now.getEpochSecond()).append('@').append(hostname).append(">\n");
        sb.append("X-IMAP: ").append(MboxHeaders.imapBase(uidValidity, nextUid - 1, kw)).append('\n');
        sb.append("Status: RO\n\n");
        sb.append("This text is part of the internal format of your mail folder, and is not\n"
                + "a real message.  It is created automatically by the mail system software.\n"
                + "If deleted, important folder data will be lost, and it will be re-created\n"
                + "with the data reset to initial values.\n\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Gives the new file the old one's mode, owner and group (root only can chown). */
    private void matchOwnership(Path tmp) throws IOException {
        Map<String, Object> a = Files.readAttributes(path, "unix:mode,uid,gid", LinkOption.NOFOLLOW_LINKS);
        Map<String, Object> t = Files.readAttributes(tmp, "unix:mode,uid,gid", LinkOption.NOFOLLOW_LINKS);
        int mode = ((Number) a.get("mode")).intValue() & 07777;
        if (!a.get("uid").equals(t.get("uid")) || !a.get("gid").equals(t.get("gid"))) {
            try {
                FsIdentity.asRoot(() -> {
                    Files.setAttribute(tmp, "unix:gid", a.get("gid"), LinkOption.NOFOLLOW_LINKS);
                    Files.setAttribute(tmp, "unix:uid", a.get("uid"), LinkOption.NOFOLLOW_LINKS);
                    return null;
                });
            } catch (Exception e) {
                LOG.warn(path + ": cannot keep the mailbox's ownership: " + e.getMessage());
            }
        }
        Files.setAttribute(tmp, "unix:mode", mode, LinkOption.NOFOLLOW_LINKS);
    }

    private static void fsyncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException ignored) {
            // some file systems refuse it; the rename is still atomic
        }
    }

    /** An OutputStream that counts. */
    private static final class CountingStream extends OutputStream {
        private final OutputStream out;
        long count;

        CountingStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }
    }

    // ---------------------------------------------------------------- misc

    boolean anyDirty() {
        for (MboxEntry e : entries) {
            if (e.dirty) {
                return true;
            }
        }
        return false;
    }

    long size() {
        return stamp == null ? 0 : stamp.size();
    }

    void saveIndex() {
        if (indexFile == null || stamp == null) {
            return;
        }
        MboxIndexFile.Data d = new MboxIndexFile.Data();
        d.stamp = stamp;
        d.uidValidity = uidValidity;
        d.nextUid = nextUid;
        d.uidLastInFile = uidLastInFile;
        d.pseudoEnd = pseudoEnd;
        d.imapBaseInFile = imapBaseInFile;
        d.keywords = new ArrayList<>(keywords);
        d.fileKeywords = fileKeywords;
        d.entries = entries;
        try {
            MboxIndexFile.write(indexFile, d);
        } catch (IOException e) {
            // The index is a cache: without it the next open parses the mbox again.
            LOG.warn(indexFile + ": cannot write index: " + e.getMessage());
        }
    }

    static StoreException io(String op, IOException e) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("No space left") || m.contains("Disk quota exceeded")) {
            return new StoreException(Kind.OVERQUOTA, "Not enough disk space", e);
        }
        if (e instanceof AccessDeniedException) {
            return new StoreException(Kind.NOPERM, "Permission denied", e);
        }
        if (e instanceof NoSuchFileException) {
            return new StoreException(Kind.NONEXISTENT, "Mailbox doesn't exist", e);
        }
        if (e instanceof FileSystemException fe && fe.getReason() != null && fe.getReason().contains("symbolic")) {
            return new StoreException(Kind.NOPERM, "Mailbox is a symbolic link", e);
        }
        LOG.error(op + " failed: " + e);
        return new StoreException(Kind.SERVERBUG, "Internal error occurred. Refer to server log for more information.", e);
    }

    @Override
    public void close() {
        closeFiles();
    }
}
