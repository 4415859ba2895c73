package org.jmail.mailbox;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.jmail.posix.FileInfo;
import org.jmail.posix.NativeFile;
import org.jmail.posix.PosixException;

/**
 * An mbox (or other file) opened for appending the way Postfix's mbox_open(3) and
 * safe_open(3) do it, and appended to all-or-nothing.
 *
 * <p>Opening: an existing file is opened without O_CREAT and must then have exactly one hard
 * link, must not be a directory, and lstat(2) of the name must show the same inode (a
 * symbolic link is accepted only when root owns it, as Postfix allows). A missing file is
 * created with O_CREAT|O_EXCL, which never follows a symlink, and handed to the
 * {@link CreateHook} for ownership and mode. Regular files are then locked
 * ({@link MboxLock}) and checked again: a file replaced by rename while we waited for the lock
 * is reopened and locked afresh (see {@link #open}); one that gained hard links, or that keeps
 * being replaced, fails with "target file status changed unexpectedly" (EAGAIN). Special
 * files such as {@code /dev/null} are opened but not locked, synced or truncated.
 *
 * <p>Appending ({@link #append}): the whole buffer is written with as few write(2) calls as
 * possible and fsync'd; on any error, or when the result would exceed the size limit
 * (EFBIG, "File too large", the error Postfix gets from its file size rlimit), the file is
 * truncated back to its previous size. The caller's thread identity ({@code FsIdentity})
 * applies to every file operation.
 *
 * <p>Errors are {@link MboxException}s carrying errno and Postfix's reason text.
 */
public final class MboxWriter implements Closeable {

    /** Sets owner and mode of a file this writer just created (runs before locking). */
    @FunctionalInterface
    public interface CreateHook {
        void created(NativeFile file) throws IOException;
    }

    private final String path;
    private final NativeFile file;
    private final FileInfo info;
    private final boolean created;
    private final MboxLock lock;

    private MboxWriter(String path, NativeFile file, FileInfo info, boolean created, MboxLock lock) {
        this.path = path;
        this.file = file;
        this.info = info;
        this.created = created;
        this.lock = lock;
    }

    /**
     * How often a file replaced while we waited for its lock is reopened before giving up
     * with EAGAIN (each replacement is a whole rewrite by another program, so more than a
     * couple in a row means something keeps rewriting it).
     */
    static final int MAX_REOPENS = 5;

    /**
     * Opens (creating if {@code createMode >= 0}) and, if it is a regular file, locks
     * {@code path}.
     *
     * <p>The file is opened before it is locked, so a program holding the lock may replace it
     * by rename(2) meanwhile (the IMAP store's expunge, mutt, Dovecot). After locking, the
     * descriptor is therefore compared with the path, as Dovecot's deliver and procmail do: a
     * link count of 0, or another device/inode at the path, means the descriptor holds the old,
     * unlinked file. Then the fcntl lock is released, the descriptor closed, the path opened
     * afresh (with the same safe_open checks, creating it again when it was removed) and
     * locked again, keeping the JVM lock and dotlock that guard the path throughout
     * ({@link MboxLock#relock}); at most {@link #MAX_REOPENS} times, then EAGAIN "target file
     * status changed unexpectedly", as before.
     *
     * @param createMode mode for a new file (0600 as Postfix, before the hook), or -1 to
     *                   require an existing file
     */
    public static MboxWriter open(String path, int createMode, CreateHook hook, LockPolicy policy)
            throws MboxException {
        Opened o = openPath(path, createMode, hook);
        if (!o.info.isRegular()) {
            return new MboxWriter(path, o.file, o.info, o.created, null);
        }
        NativeFile f = o.file;
        boolean created = o.created;
        MboxLock lock = null;
        try {
            lock = MboxLock.exclusive(path, f, policy);
            for (int reopens = 0; ; reopens++) {
                FileInfo now = f.stat();
                if (now.nlink() > 1) {
                    throw changed();
                }
                if (now.nlink() == 1 && now.sameFile(atPath(path))) {
                    return new MboxWriter(path, f, now, created, lock);
                }
                // Replaced or removed while we waited for the lock: our descriptor holds the
                // old inode, and anything appended to it would be lost.
                if (reopens == MAX_REOPENS) {
                    throw changed();
                }
                Opened next = openPath(path, createMode, hook);
                if (!next.info.isRegular()) {
                    next.file.close();
                    throw changed();
                }
                NativeFile old = f;
                f = next.file;
                created = next.created;
                try {
                    lock.relock(f);
                } finally {
                    old.close();
                }
            }
        } catch (PosixException e) {
            if (lock != null) {
                lock.close();
            }
            f.close();
            throw new MboxException(e.errno(), e.reason(), e);
        } catch (MboxException e) {
            if (lock != null) {
                lock.close();
            }
            f.close();
            throw e;
        }
    }

    /** A freshly opened file: descriptor, its fstat, and whether we created it. */
    private record Opened(NativeFile file, FileInfo info, boolean created) {
    }

    /**
     * safe_open(): opens the existing file or creates it, runs the hook on a new one and
     * checks an existing one; never leaves a descriptor open on failure.
     */
    private static Opened openPath(String path, int createMode, CreateHook hook) throws MboxException {
        NativeFile f = null;
        boolean created = false;
        try {
            while (true) {
                try {
                    f = openExisting(path);
                    break;
                } catch (PosixException e) {
                    if (e.errno() != PosixException.ENOENT || createMode < 0) {
                        throw e;
                    }
                }
                try {
                    f = NativeFile.open(path, NativeFile.O_RDWR | NativeFile.O_APPEND | NativeFile.O_CREAT
                            | NativeFile.O_EXCL | NativeFile.O_NONBLOCK, createMode);
                    created = true;
                    break;
                } catch (PosixException e) {
                    if (e.errno() != PosixException.EEXIST) {
                        throw e;
                    }
                    // someone created it between our two opens: open it as existing
                }
            }
            if (created && hook != null) {
                try {
                    hook.created(f);
                } catch (IOException e) {
                    // As Postfix: a chown failure is logged by the hook's owner, not fatal here.
                    if (e instanceof MboxException me) {
                        throw me;
                    }
                }
            }
            return new Opened(f, created ? f.stat() : checkExisting(path, f), created);
        } catch (PosixException e) {
            if (f != null) {
                f.close();
            }
            throw new MboxException(e.errno(), e.reason(), e);
        } catch (MboxException e) {
            if (f != null) {
                f.close();
            }
            throw e;
        }
    }

    /**
     * What the path names now: lstat(2), or stat(2) through a (root-owned, already accepted)
     * symbolic link; null when it no longer exists.
     */
    private static FileInfo atPath(String path) throws PosixException {
        FileInfo l = NativeFile.lstat(path);
        return l != null && l.isSymlink() ? NativeFile.stat(path) : l;
    }

    private static MboxException changed() {
        return new MboxException(PosixException.EAGAIN, "target file status changed unexpectedly");
    }

    private static NativeFile openExisting(String path) throws PosixException {
        try {
            return NativeFile.open(path, NativeFile.O_RDWR | NativeFile.O_APPEND | NativeFile.O_NONBLOCK, 0);
        } catch (PosixException e) {
            if (e.errno() != PosixException.EACCES && e.errno() != PosixException.EISDIR) {
                throw e;
            }
            // write-only files exist (and directories must be reported as such below)
            return NativeFile.open(path, NativeFile.O_WRONLY | NativeFile.O_APPEND | NativeFile.O_NONBLOCK, 0);
        }
    }

    /** safe_open_exist(): the checks on a file we did not create. */
    private static FileInfo checkExisting(String path, NativeFile f) throws PosixException {
        FileInfo st = f.stat();
        if (st.nlink() != 1) {
            throw new PosixException(PosixException.EPERM, "file has " + st.nlink() + " hard links");
        }
        if (st.isDirectory()) {
            throw new PosixException(PosixException.EISDIR, "file is a directory");
        }
        FileInfo l = NativeFile.lstat(path);
        if (l == null) {
            throw new PosixException(PosixException.EPERM, "file status changed unexpectedly");
        }
        if (l.isSymlink()) {
            if (l.uid() == 0) {
                return st; // Postfix: root's symlinks (e.g. Solaris /dev) are trusted
            }
            throw new PosixException(PosixException.EPERM, "file is a symbolic link");
        }
        if (!st.sameFile(l) || st.nlink() != l.nlink() || st.mode() != l.mode()) {
            throw new PosixException(PosixException.EPERM, "file status changed unexpectedly");
        }
        return st;
    }

    public String path() {
        return path;
    }

    /** fstat(2) result taken after locking. */
    public FileInfo info() {
        return info;
    }

    public boolean isRegular() {
        return info.isRegular();
    }

    /** True when this writer created the file. */
    public boolean created() {
        return created;
    }

    /** The dotlock problem skipped under {@link LockPolicy#dotlockMayFail()}, or null. */
    public String lockWarning() {
        return lock == null ? null : lock.dotlockWarning();
    }

    /** Current size (fstat). */
    public long size() throws MboxException {
        try {
            return file.size();
        } catch (PosixException e) {
            throw new MboxException(e.errno(), e.reason(), e);
        }
    }

    /**
     * Appends {@code data} (position to limit) all-or-nothing and fsyncs.
     *
     * @param sizeLimit maximum file size after the append; 0 = no limit
     * @return the offset at which the data starts (the size before the append)
     */
    public long append(ByteBuffer data, long sizeLimit) throws MboxException {
        return append(new ByteBuffer[] {data}, sizeLimit);
    }

    /** {@link #append(ByteBuffer, long)} of the buffers one after another, as one message. */
    public long append(ByteBuffer[] data, long sizeLimit) throws MboxException {
        long before = size();
        long len = 0;
        for (ByteBuffer d : data) {
            len += d.remaining();
        }
        if (sizeLimit > 0 && before + len > sizeLimit && info.isRegular()) {
            throw new MboxException(PosixException.EFBIG, "error writing message: "
                    + PosixException.strerror(PosixException.EFBIG));
        }
        try {
            FaultInjection.beforeWrite(len);
            file.writeFully(data);
            FaultInjection.afterWrite();
            if (info.isRegular()) {
                file.fsync();
            }
            return before;
        } catch (PosixException e) {
            if (info.isRegular()) {
                rollback(before);
            }
            throw new MboxException(e.errno(), "error writing message: " + PosixException.strerror(e.errno()), e);
        }
    }

    /** Reads up to {@code dst.remaining()} bytes at {@code offset}; 0 at end of file. */
    public int read(ByteBuffer dst, long offset) throws MboxException {
        try {
            return file.pread(dst, offset);
        } catch (PosixException e) {
            throw new MboxException(e.errno(), e.reason(), e);
        }
    }

    /** Truncates to {@code size} and fsyncs (crash recovery of a half-written append). */
    public void truncate(long size) throws MboxException {
        try {
            file.truncate(size);
            file.fsync();
        } catch (PosixException e) {
            throw new MboxException(e.errno(), e.reason(), e);
        }
    }

    private void rollback(long size) {
        try {
            file.truncate(size);
            file.fsync();
        } catch (PosixException ignored) {
            // Nothing better to do: the caller defers or bounces, and the next reader sees a
            // partial message. Postfix ignores the ftruncate() result the same way.
        }
    }

    /** Unlocks and closes. */
    @Override
    public void close() {
        try {
            if (lock != null) {
                lock.close();
            }
        } finally {
            file.close();
        }
    }
}
