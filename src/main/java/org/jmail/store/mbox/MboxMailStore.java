package org.jmail.store.mbox;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.jmail.auth.AuthUser;
import org.jmail.log.MailLog;
import org.jmail.mailbox.LockPolicy;
import org.jmail.posix.FsIdentity;
import org.jmail.store.AppendResult;
import org.jmail.store.MailStore;
import org.jmail.store.Mailbox;
import org.jmail.store.MailboxInfo;
import org.jmail.store.MailboxStatus;
import org.jmail.store.StoreException;
import org.jmail.store.StoreException.Kind;

/**
 * One user's mbox folders as Dovecot lays them out with {@code mail_location = mbox:ROOT:INBOX=FILE}
 * and {@code LAYOUT=fs}: INBOX is FILE, "a/b" is the mbox file {@code ROOT/a/b}, directories
 * are folders that only hold folders ({@code \Noselect}), subscriptions are in
 * {@code ROOT/.subscriptions} (Dovecot's v2 format: a {@code V\t2} header, hierarchy by tab;
 * the older one-name-per-line form is read too), and jmail's index for "a/b" is
 * {@code INDEX/a/.imap/b/jmail.index} beside Dovecot's own index files.
 *
 * <p>Every file operation runs with the user's file-system identity; INBOX in a
 * group-writable spool directory ({@code /var/mail}, root:mail 2775) with the directory's group,
 * as local delivery does, so the dotlock {@code /var/mail/USER.lock} can be created. Names are
 * checked before any file is touched ({@link MailboxNames}); a symlink anywhere below ROOT, or
 * as the mailbox, is refused with NOPERM.
 */
public final class MboxMailStore implements MailStore {

    private static final MailLog LOG = MailLog.of("imap");

    private final AuthUser user;
    private final MailLocation location;
    private final LockPolicy policy;
    private final long sizeLimit;
    private final String hostname;
    private final int inboxGid;

    /** Where a mailbox name lives on disk. */
    record Resolved(String name, Path path, Path indexFile, boolean inbox) {
    }

    /** The result of appending to a mailbox. */
    record Appended(long uidValidity, List<Long> uids) {
    }

    /**
     * @param user       the logged-in user (uid, gid and home are used)
     * @param location   the expanded mail_location
     * @param policy     how long to wait for mbox locks
     * @param sizeLimit  mailbox_size_limit in bytes (0 = none): refuses appends to INBOX beyond
     *                   it and is reported by {@link #quota()}
     * @param inboxGid   the group INBOX is accessed with (the spool directory's group when it is
     *                   group-writable, else the user's)
     */
    public MboxMailStore(AuthUser user, MailLocation location, LockPolicy policy, long sizeLimit, int inboxGid) {
        this.user = user;
        this.location = location;
        this.policy = policy;
        this.sizeLimit = sizeLimit;
        this.inboxGid = inboxGid;
        this.hostname = Hostname.get();
    }

    public MailLocation location() {
        return location;
    }

    /** A unit of file work, run as the user. */
    interface Work<T> {
        T run() throws Exception;
    }

    <T> T io(Resolved r, Work<T> work) throws StoreException {
        return as(r != null && r.inbox() ? inboxGid : user.gid(), work);
    }

    private <T> T as(int gid, Work<T> work) throws StoreException {
        Callable<T> c = work::run;
        try {
            return FsIdentity.runAs(user.uid(), gid, c);
        } catch (StoreException e) {
            throw e;
        } catch (FileStamp.SymlinkException e) {
            throw new StoreException(Kind.NOPERM, "Mailbox is a symbolic link");
        } catch (IOException e) {
            throw MboxFolder.io("file", e);
        } catch (Exception e) {
            LOG.error("user " + user.name() + ": " + e);
            throw new StoreException(Kind.SERVERBUG, "Internal error occurred. Refer to server log for more information.", e);
        }
    }

    // ------------------------------------------------------------ names

    Resolved resolve(String name) throws StoreException {
        String n = MailboxNames.canonical(name);
        if (n.equals("INBOX")) {
            Path idx = location.index() == null ? null
                    : location.index().resolve(".imap").resolve("INBOX").resolve(MboxIndexFile.NAME);
            return new Resolved("INBOX", location.inbox(), idx, true);
        }
        String rel = n.endsWith("/") ? n.substring(0, n.length() - 1) : n;
        Path p = location.root().resolve(rel);
        Path idx = null;
        if (location.index() != null) {
            Path relPath = Path.of(rel);
            Path parent = relPath.getParent();
            Path base = parent == null ? location.index() : location.index().resolve(parent);
            idx = base.resolve(".imap").resolve(relPath.getFileName().toString()).resolve(MboxIndexFile.NAME);
        }
        return new Resolved(n, p, idx, false);
    }

    /** Refuses symlinks in the components between ROOT and the mailbox (the mailbox itself too). */
    private void checkNoSymlinks(Resolved r, boolean includingLast) throws StoreException {
        if (r.inbox()) {
            return;
        }
        Path root = location.root();
        Path rel = root.relativize(r.path());
        Path cur = root;
        int n = rel.getNameCount();
        for (int i = 0; i < n; i++) {
            cur = cur.resolve(rel.getName(i));
            if (i == n - 1 && !includingLast) {
                break;
            }
            if (Files.isSymbolicLink(cur)) {
                throw new StoreException(Kind.NOPERM, "Mailbox path contains a symbolic link: " + r.name());
            }
        }
    }

    private boolean isSpecial(String name) {
        return SpecialUse.attribute(name) != null;
    }

    // ------------------------------------------------------------ list

    @Override
    public List<MailboxInfo> list() throws StoreException {
        return as(user.gid(), () -> {
            List<MailboxInfo> out = new ArrayList<>();
            Set<String> inboxAttrs = new LinkedHashSet<>();
            inboxAttrs.add(marked(location.inbox()) ? "\\Marked" : "\\UnMarked");
            inboxAttrs.add("\\HasNoChildren");
            out.add(new MailboxInfo("INBOX", Set.copyOf(inboxAttrs)));
            if (Files.isDirectory(location.root())) {
                walk(location.root(), "", out);
            }
            return out;
        });
    }

    private void walk(Path dir, String prefix, List<MailboxInfo> out) throws IOException {
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String fn = p.getFileName().toString();
                if (fn.startsWith(".") || fn.endsWith(".lock") || !MailboxNames.isValidComponent(fn)) {
                    continue;
                }
                if ((prefix.isEmpty() && fn.equalsIgnoreCase("INBOX")) || p.equals(location.inbox())) {
                    continue; // INBOX is listed once, by its name
                }
                children.add(p);
            }
        }
        children.sort(Comparator.comparing(p -> p.getFileName().toString()));
        for (Path p : children) {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            String name = prefix + p.getFileName();
            Set<String> attrs = new LinkedHashSet<>();
            if (a.isDirectory()) {
                int before = out.size();
                attrs.add("\\Noselect");
                int at = out.size();
                out.add(null);
                walk(p, name + "/", out);
                attrs.add(out.size() > before + 1 ? "\\HasChildren" : "\\HasNoChildren");
                out.set(at, new MailboxInfo(name, Set.copyOf(attrs)));
            } else if (a.isRegularFile()) {
                attrs.add("\\NoInferiors");
                attrs.add(marked(p) ? "\\Marked" : "\\UnMarked");
                String su = SpecialUse.attribute(name);
                if (su != null) {
                    attrs.add(su);
                }
                out.add(new MailboxInfo(name, Set.copyOf(attrs)));
            }
        }
    }

    /** \Marked: new mail since the file was last read (mtime after atime), as Dovecot decides. */
    private static boolean marked(Path p) {
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return a.size() > 0 && a.lastModifiedTime().compareTo(a.lastAccessTime()) > 0;
        } catch (IOException e) {
            return false;
        }
    }

    // ------------------------------------------------------------ create/delete/rename

    @Override
    public void create(String name) throws StoreException {
        Resolved r = resolve(name);
        if (r.inbox()) {
            throw new StoreException(Kind.ALREADYEXISTS, "Mailbox already exists");
        }
        io(r, () -> {
            checkNoSymlinks(r, true);
            if (Files.exists(r.path(), LinkOption.NOFOLLOW_LINKS)) {
                throw new StoreException(Kind.ALREADYEXISTS, "Mailbox already exists");
            }
            Path parent = r.path().getParent();
            mkdirs(parent);
            if (r.name().endsWith("/")) {
                Files.createDirectory(r.path(), dirMode());
                return null;
            }
            try {
                Files.createFile(r.path(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (FileAlreadyExistsException e) {
                throw new StoreException(Kind.ALREADYEXISTS, "Mailbox already exists");
            }
            return null;
        });
    }

    private void mkdirs(Path dir) throws IOException, StoreException {
        if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new StoreException(Kind.CANNOT, "Mailbox doesn't allow inferior mailboxes");
        }
        Files.createDirectories(dir, dirMode());
    }

    private static java.nio.file.attribute.FileAttribute<?> dirMode() {
        return PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    }

    @Override
    public void delete(String name) throws StoreException {
        Resolved r = resolve(name);
        if (r.inbox()) {
            throw new StoreException(Kind.CANNOT, "INBOX can't be deleted.");
        }
        io(r, () -> {
            checkNoSymlinks(r, true);
            Path p = r.path();
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                throw new StoreException(Kind.NONEXISTENT, "Mailbox doesn't exist: " + r.name());
            }
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(p)) {
                    for (Path c : ds) {
                        if (!c.getFileName().toString().startsWith(".")) {
                            throw new StoreException(Kind.CANNOT, "Mailbox has children, delete them first");
                        }
                    }
                }
                deleteTree(p);
                return null;
            }
            Files.delete(p);
            if (r.indexFile() != null) {
                deleteTree(r.indexFile().getParent());
            }
            return null;
        });
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(p)) {
                for (Path c : ds) {
                    deleteTree(c);
                }
            }
        }
        Files.deleteIfExists(p);
    }

    @Override
    public void rename(String from, String to) throws StoreException {
        Resolved src = resolve(from);
        Resolved dst = resolve(to);
        if (dst.inbox()) {
            throw new StoreException(Kind.ALREADYEXISTS, "Mailbox already exists");
        }
        if (src.inbox()) {
            renameInbox(dst);
            return;
        }
        io(src, () -> {
            checkNoSymlinks(src, true);
            checkNoSymlinks(dst, true);
            if (!Files.exists(src.path(), LinkOption.NOFOLLOW_LINKS)) {
                throw new StoreException(Kind.NONEXISTENT, "Mailbox doesn't exist: " + src.name());
            }
            if (Files.exists(dst.path(), LinkOption.NOFOLLOW_LINKS)) {
                throw new StoreException(Kind.ALREADYEXISTS, "Mailbox already exists");
            }
            if (dst.path().startsWith(src.path())) {
                throw new StoreException(Kind.CANNOT, "Can't rename mailbox under itself.");
            }
            mkdirs(dst.path().getParent());
            boolean file = Files.isRegularFile(src.path(), LinkOption.NOFOLLOW_LINKS);
            Files.move(src.path(), dst.path(), StandardCopyOption.ATOMIC_MOVE);
            if (file && src.indexFile() != null && dst.indexFile() != null) {
                Path oldIdx = src.indexFile().getParent();
                Path newIdx = dst.indexFile().getParent();
                if (Files.isDirectory(oldIdx, LinkOption.NOFOLLOW_LINKS)) {
                    try {
                        mkdirs(newIdx.getParent());
                        deleteTree(newIdx);
                        Files.move(oldIdx, newIdx, StandardCopyOption.ATOMIC_MOVE);
                    } catch (IOException e) {
                        deleteTree(oldIdx); // the index is a cache: the new name parses afresh
                    }
                }
            }
            return null;
        });
    }

    /** RFC 3501: renaming INBOX moves its messages to a new mailbox and leaves INBOX empty. */
    private void renameInbox(Resolved dst) throws StoreException {
        create(dst.name());
        try (Mailbox inbox = open("INBOX", false)) {
            List<Long> all = new ArrayList<>();
            inbox.messages().forEach(m -> all.add(m.uid()));
            if (all.isEmpty()) {
                return;
            }
            inbox.copyTo(all, dst.name());
            inbox.setFlags(all, Set.of(org.jmail.store.StoredMessage.DELETED), Mailbox.FlagMode.ADD);
            inbox.expunge(all);
        }
    }

    // ------------------------------------------------------------ subscriptions

    @Override
    public List<String> subscriptions() throws StoreException {
        return as(user.gid(), () -> Subscriptions.read(subscriptionsFile()));
    }

    private Path subscriptionsFile() {
        return location.control().resolve(location.subscriptionsName());
    }

    @Override
    public void subscribe(String name) throws StoreException {
        String n = MailboxNames.canonical(name);
        as(user.gid(), () -> {
            Path f = subscriptionsFile();
            List<String> list = Subscriptions.read(f);
            if (!list.contains(n)) {
                list.add(n);
                mkdirs(f.getParent());
                Subscriptions.write(f, list);
            }
            return null;
        });
    }

    @Override
    public void unsubscribe(String name) throws StoreException {
        String n = name.equalsIgnoreCase("INBOX") ? "INBOX" : name;
        as(user.gid(), () -> {
            Path f = subscriptionsFile();
            List<String> list = Subscriptions.read(f);
            if (!list.remove(n)) {
                throw new StoreException(Kind.NONEXISTENT, "Mailbox isn't subscribed: " + n);
            }
            Subscriptions.write(f, list);
            return null;
        });
    }

    // ------------------------------------------------------------ status, append, open

    @Override
    public MailboxStatus status(String name) throws StoreException {
        Resolved r = resolve(name);
        return io(r, () -> {
            checkNoSymlinks(r, true);
            ensureInbox(r);
            if (Files.isDirectory(r.path(), LinkOption.NOFOLLOW_LINKS)) {
                throw new StoreException(Kind.CANNOT, "Mailbox isn't selectable");
            }
            try (MboxFolder f = folder(r, true)) {
                f.open();
                long recent = 0;
                long unseen = 0;
                for (MboxEntry e : f.entries) {
                    if ((e.flags & Flags.NONRECENT) == 0) {
                        recent++;
                    }
                    if ((e.flags & Flags.SEEN) == 0) {
                        unseen++;
                    }
                }
                return new MailboxStatus(f.entries.size(), recent, f.nextUid, f.uidValidity, unseen, 0);
            }
        });
    }

    MboxFolder folder(Resolved r, boolean readOnly) {
        return new MboxFolder(r.name(), r.path(), r.indexFile(), readOnly, policy, hostname);
    }

    /** A missing spool INBOX is created (user, the spool's group, 0600/0660), as Dovecot does. */
    private void ensureInbox(Resolved r) throws IOException {
        if (!r.inbox() || Files.exists(r.path(), LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        String mode = inboxGid != user.gid() ? "rw-rw----" : "rw-------";
        mkdirsQuiet(r.path().getParent());
        try {
            Files.createFile(r.path(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode)));
            Files.setPosixFilePermissions(r.path(), PosixFilePermissions.fromString(mode)); // despite the umask
        } catch (FileAlreadyExistsException ignored) {
            // delivered meanwhile
        } catch (IOException e) {
            LOG.warn("user " + user.name() + ": cannot create " + r.path() + ": " + e.getMessage());
        }
    }

    private static void mkdirsQuiet(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, dirMode());
            }
        } catch (IOException ignored) {
            // the create that follows reports the problem
        }
    }

    @Override
    public AppendResult append(String mailbox, byte[] message, Set<String> flags, Instant internalDate)
            throws StoreException {
        Instant date = internalDate == null ? Instant.now() : internalDate;
        Set<String> fl = flags == null ? Set.of() : flags;
        MboxFolder.Append a = new MboxFolder.Append(message, Flags.bits(fl), Flags.keywords(fl), date, null);
        Appended r = appendAll(mailbox, List.of(a));
        return new AppendResult(r.uidValidity(), r.uids().get(0));
    }

    Appended appendAll(String mailbox, List<MboxFolder.Append> items) throws StoreException {
        Resolved r = resolve(mailbox);
        return io(r, () -> {
            checkNoSymlinks(r, true);
            ensureInbox(r);
            if (!Files.exists(r.path(), LinkOption.NOFOLLOW_LINKS)) {
                throw new StoreException(Kind.NONEXISTENT, "Mailbox doesn't exist: " + r.name());
            }
            long bytes = 0;
            for (MboxFolder.Append a : items) {
                bytes += a.message().length + 200;
            }
            try (MboxFolder f = folder(r, false)) {
                f.open();
                try (MboxFolder.WriteLock lock = f.lockExclusive()) {
                    f.syncExclusive();
                    // mailbox_size_limit is local delivery's limit on the spool file; QUOTA
                    // reports INBOX against it, so INBOX is where APPEND/COPY respect it too.
                    if (sizeLimit > 0 && r.inbox() && f.size() + bytes > sizeLimit) {
                        throw new StoreException(Kind.OVERQUOTA, "Quota exceeded (mailbox for user is full)");
                    }
                    if (!f.imapBaseInFile && f.size() > 0 && f.size() <= MboxFolder.LAZY_REWRITE_LIMIT) {
                        // Give the file its X-IMAPbase and X-UIDs first, so Dovecot and jmail
                        // agree on UIDVALIDITY from now on (Dovecot does so at its first sync).
                        f.rewrite(Set.of());
                    }
                    List<Long> uids = f.append(items, user.name().contains("@") ? user.name()
                            : user.name() + "@" + hostname);
                    return new Appended(f.uidValidity, uids);
                }
            }
        });
    }

    @Override
    public Mailbox open(String name, boolean readOnly) throws StoreException {
        Resolved r = resolve(name);
        io(r, () -> {
            checkNoSymlinks(r, true);
            ensureInbox(r);
            if (Files.isDirectory(r.path(), LinkOption.NOFOLLOW_LINKS)) {
                throw new StoreException(Kind.CANNOT, "Mailbox isn't selectable");
            }
            return null;
        });
        MboxMailbox box = new MboxMailbox(this, r, folder(r, readOnly), readOnly);
        box.open();
        return box;
    }

    @Override
    public Quota quota() {
        if (sizeLimit <= 0) {
            return null;
        }
        long used = 0;
        try {
            used = as(inboxGid, () -> {
                try {
                    return Files.size(location.inbox());
                } catch (NoSuchFileException e) {
                    return 0L;
                }
            });
        } catch (StoreException e) {
            LOG.warn("user " + user.name() + ": quota: " + e.getMessage());
        }
        return new Quota(used, sizeLimit);
    }

    /** Creates ROOT and the special-use folders that don't exist yet (first login). */
    void createDefaults() throws StoreException {
        as(user.gid(), () -> {
            mkdirs(location.root());
            for (String n : SpecialUse.NAMES) {
                Path p = location.root().resolve(n);
                if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                    try {
                        Files.createFile(p, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                    } catch (FileAlreadyExistsException ignored) {
                        // another session was quicker
                    }
                }
            }
            return null;
        });
    }

    @Override
    public void close() {
        // nothing held: each Mailbox releases its own files
    }
}
