package org.jmail.mailbox;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jmail.posix.FileInfo;
import org.jmail.posix.NativeFile;
import org.jmail.posix.PosixException;
import org.jmail.posix.ProcessProbe;

/**
 * A liblockfile-compatible dotlock: {@code <file>.lock}, as created by Debian's
 * {@code dotlockfile}, mutt, mailx, procmail and Dovecot ({@code mbox_write_locks = dotlock}).
 *
 * <p>Creation is liblockfile's: our pid is written into a hidden temporary file beside the
 * lock ({@code .lk<pid>.<thread>.jmail}), which is then {@code link()}ed to the lock name and
 * removed. The lock so never exists without its pid: with Postfix's {@code open(O_EXCL)} and
 * then write, a daemon killed between the two left an empty lock that blocked the mailbox
 * until it aged out. liblockfile's tools read the pid to break stale locks. An existing lock is removed as stale when the
 * pid in it is not running, or, when it holds no pid, when it is older than
 * {@link LockPolicy#staleAfter()}. A lock carrying this JVM's own pid that this JVM does not
 * hold is a leftover of an earlier run with the same pid (containers reuse pids) and is stale.
 *
 * <p>Failures: {@link MboxException} with EEXIST when a live lock could not be broken within
 * {@link LockPolicy#maxWait()}, or the errno of the failed create (EACCES, EROFS...), with
 * Postfix's text {@code unable to create lock file PATH: REASON}. The caller's file-system
 * identity applies (the dotlock is created as whoever the thread works as).
 */
public final class DotLock implements AutoCloseable {

    /** Lock files this JVM holds or is about to take; see the class comment. */
    private static final Set<String> HELD = ConcurrentHashMap.newKeySet();
    private static final long PID = ProcessHandle.current().pid();

    private final String lockPath;
    private final FileInfo lockInode;
    private boolean released;

    private DotLock(String lockPath, FileInfo lockInode) {
        this.lockPath = lockPath;
        this.lockInode = lockInode;
    }

    /** Locks {@code file} by creating {@code file + ".lock"}. */
    public static DotLock acquire(String file, LockPolicy policy) throws MboxException {
        String lockPath = file + ".lock";
        if (!HELD.add(lockPath)) {
            // Another thread of ours holds it; callers serialize within the JVM first (MboxLock),
            // so this only happens with direct use: wait like for any other holder.
            return waitForOwnRelease(file, lockPath, policy);
        }
        boolean ok = false;
        try {
            DotLock lock = create(lockPath, policy);
            ok = true;
            return lock;
        } finally {
            if (!ok) {
                HELD.remove(lockPath);
            }
        }
    }

    private static DotLock waitForOwnRelease(String file, String lockPath, LockPolicy policy) throws MboxException {
        Backoff backoff = new Backoff(policy.maxWait(), policy.maxDelay());
        try {
            while (backoff.pause()) {
                if (HELD.add(lockPath)) {
                    boolean ok = false;
                    try {
                        DotLock lock = create(lockPath, policy.withMaxWait(
                                java.time.Duration.ofNanos(backoff.remainingNanos())));
                        ok = true;
                        return lock;
                    } finally {
                        if (!ok) {
                            HELD.remove(lockPath);
                        }
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new MboxException(PosixException.EEXIST, "unable to create lock file " + lockPath + ": "
                + PosixException.strerror(PosixException.EEXIST));
    }

    private static DotLock create(String lockPath, LockPolicy policy) throws MboxException {
        Backoff backoff = new Backoff(policy.maxWait(), policy.maxDelay());
        try {
            while (true) {
                // O_CREAT|O_EXCL, as Postfix's dot_lockfile(): atomic on local file systems and
                // on NFSv3+, and one directory entry per lock instead of liblockfile's
                // temporary file + link(2) + unlink(2).
                DotLock lock = createExclusive(lockPath);
                if (lock != null) {
                    return lock;
                }
                FileInfo existing = NativeFile.lstat(lockPath);
                if (existing == null) {
                    continue; // removed between our open and lstat: try again at once
                }
                if (isStale(lockPath, existing, policy)) {
                    NativeFile.unlink(lockPath);
                    continue;
                }
                if (!backoff.pause()) {
                    throw new MboxException(PosixException.EEXIST, "unable to create lock file " + lockPath
                            + ": " + PosixException.strerror(PosixException.EEXIST));
                }
            }
        } catch (PosixException e) {
            throw new MboxException(e.errno(), "unable to create lock file " + lockPath + ": "
                    + PosixException.strerror(e.errno()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MboxException(PosixException.EINTR, "unable to create lock file " + lockPath + ": "
                    + PosixException.strerror(PosixException.EINTR));
        }
    }

    /** Returns the lock, null when it exists already; throws when creating is impossible. */
    private static DotLock createExclusive(String lockPath) throws PosixException {
        int slash = lockPath.lastIndexOf('/');
        String tmp = lockPath.substring(0, slash + 1) + ".lk" + PID + "." + Thread.currentThread().getId() + ".jmail";
        NativeFile f;
        try {
            f = NativeFile.open(tmp, NativeFile.O_WRONLY | NativeFile.O_CREAT | NativeFile.O_EXCL, 0644);
        } catch (PosixException e) {
            if (e.errno() != PosixException.EEXIST) {
                throw e;
            }
            NativeFile.unlink(tmp); // a leftover of a run killed here, with the same pid
            f = NativeFile.open(tmp, NativeFile.O_WRONLY | NativeFile.O_CREAT | NativeFile.O_EXCL, 0644);
        }
        try {
            try {
                byte[] pid = (PID + "\n").getBytes(StandardCharsets.US_ASCII);
                f.writeFully(pid, 0, pid.length);
            } finally {
                f.close();
            }
            try {
                NativeFile.link(tmp, lockPath);
            } catch (PosixException e) {
                if (e.errno() == PosixException.EEXIST) {
                    return null;
                }
                throw new PosixException(e.errno(), e.reason());
            }
            return new DotLock(lockPath, NativeFile.lstat(lockPath));
        } finally {
            NativeFile.unlink(tmp);
        }
    }

    /**
     * liblockfile's lockfile_check(), plus the own-pid rule described in the class comment.
     * Called only by the thread that owns {@code lockPath}'s entry in {@link #HELD}.
     */
    static boolean isStale(String lockPath, FileInfo lock, LockPolicy policy) {
        long pid = readPid(lockPath);
        if (pid > 0) {
            if (pid == PID) {
                // We are the one thread of this JVM entitled to this lock (HELD is exclusive),
                // so a lock file with our pid is a leftover of an earlier run.
                return true;
            }
            return !ProcessProbe.isAlive(pid);
        }
        long now = System.currentTimeMillis() / 1000;
        return now >= lock.mtime() + policy.staleAfter().toSeconds();
    }

    private static long readPid(String lockPath) {
        try {
            byte[] b = Files.readAllBytes(Path.of(lockPath));
            String s = new String(b, 0, Math.min(b.length, 16), StandardCharsets.US_ASCII).strip();
            int end = 0;
            while (end < s.length() && Character.isDigit(s.charAt(end))) {
                end++;
            }
            return end == 0 ? 0 : Long.parseLong(s.substring(0, end));
        } catch (Exception e) {
            return 0;
        }
    }

    public String lockPath() {
        return lockPath;
    }

    /** Removes the lock file if it is still ours (it may have been broken as stale). */
    @Override
    public void close() {
        if (released) {
            return;
        }
        released = true;
        try {
            FileInfo now = NativeFile.lstat(lockPath);
            if (lockInode.sameFile(now)) {
                NativeFile.unlink(lockPath);
            }
        } catch (PosixException ignored) {
            // nothing more we can do; a stale lock is broken by the next locker
        } finally {
            HELD.remove(lockPath);
        }
    }
}
