package org.jmail.mailbox;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.jmail.posix.NativeFile;
import org.jmail.posix.PosixException;

/**
 * Exclusive (or shared) access to one mbox file, interoperable with Debian's mail tools.
 *
 * <p>An exclusive lock takes, in Postfix's order: (1) this JVM's own lock for the path, so that
 * local delivery and IMAP/POP3 threads queue up without polling; (2) the dotlock
 * {@code <mbox>.lock} ({@link DotLock}); (3) an fcntl write lock on the whole file. The fcntl
 * lock is an open-file-description lock ({@link NativeFile#tryLockExclusive()}), which mutt,
 * Dovecot and Python's {@code fcntl.lockf} see as a conflicting POSIX lock. A shared lock
 * takes the JVM read lock and an fcntl read lock, no dotlock (Dovecot's mbox_read_locks).
 *
 * <p>The JVM lock and the dotlock belong to the path, the fcntl lock to the open file. When the
 * file was replaced by rename(2) while we waited (an IMAP expunge rewrites the mbox that way),
 * {@link #relock(NativeFile)} moves the fcntl lock to a descriptor of the new file and keeps
 * the other two, which still guard the path.
 *
 * <p>Failure: {@link MboxException} with EEXIST ("unable to create lock file ...") or EAGAIN
 * ("unable to lock for exclusive access: Resource temporarily unavailable") after
 * {@link LockPolicy#maxWait()}; nothing stays locked. {@link #close()} releases all three in
 * reverse order and is idempotent. A lock belongs to the thread that took it.
 */
public final class MboxLock implements AutoCloseable {

    private static final ConcurrentHashMap<String, Entry> JVM_LOCKS = new ConcurrentHashMap<>();

    private static final class Entry {
        final ReentrantReadWriteLock lock = new ReentrantReadWriteLock(true);
        int users;
    }

    private final String path;
    private final Lock jvmLock;
    private final DotLock dotLock;
    private final boolean exclusive;
    private final LockPolicy policy;
    private final String dotlockWarning;
    private NativeFile file;
    private boolean released;

    private MboxLock(String path, Lock jvmLock, DotLock dotLock, NativeFile file, boolean exclusive,
                     LockPolicy policy, String dotlockWarning) {
        this.path = path;
        this.jvmLock = jvmLock;
        this.dotLock = dotLock;
        this.file = file;
        this.exclusive = exclusive;
        this.policy = policy;
        this.dotlockWarning = dotlockWarning;
    }

    /** Locks the open mbox {@code file} (whose name is {@code path}) for writing. */
    public static MboxLock exclusive(String path, NativeFile file, LockPolicy policy) throws MboxException {
        return acquire(path, file, policy, true);
    }

    /** Locks the open mbox {@code file} for reading. */
    public static MboxLock shared(String path, NativeFile file, LockPolicy policy) throws MboxException {
        return acquire(path, file, policy, false);
    }

    private static MboxLock acquire(String path, NativeFile file, LockPolicy policy, boolean exclusive)
            throws MboxException {
        Backoff backoff = new Backoff(policy.maxWait(), policy.maxDelay());
        Entry entry = JVM_LOCKS.compute(path, (k, e) -> {
            Entry x = e == null ? new Entry() : e;
            x.users++;
            return x;
        });
        Lock jvmLock = exclusive ? entry.lock.writeLock() : entry.lock.readLock();
        boolean success = false;
        boolean jvmLocked = false;
        DotLock dot = null;
        try {
            try {
                jvmLocked = jvmLock.tryLock(backoff.remainingNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (!jvmLocked) {
                throw busy();
            }
            String warning = null;
            if (exclusive && policy.dotlock()) {
                try {
                    dot = DotLock.acquire(path, policy.withMaxWait(java.time.Duration.ofNanos(
                            Math.max(backoff.remainingNanos(), 1))));
                } catch (MboxException e) {
                    if (e.errno() == PosixException.EEXIST || !policy.dotlockMayFail()) {
                        throw e;
                    }
                    warning = e.reason();
                }
            }
            lockFile(file, exclusive, backoff);
            success = true;
            return new MboxLock(path, jvmLock, dot, file, exclusive, policy, warning);
        } finally {
            if (!success) {
                if (dot != null) {
                    dot.close();
                }
                if (jvmLocked) {
                    jvmLock.unlock();
                }
                unregister(path);
            }
        }
    }

    /** Takes the fcntl lock of {@code file}, polling until {@code backoff} runs out. */
    private static void lockFile(NativeFile file, boolean exclusive, Backoff backoff) throws MboxException {
        try {
            while (!(exclusive ? file.tryLockExclusive() : file.tryLockShared())) {
                if (!backoff.pause()) {
                    throw busy();
                }
            }
        } catch (PosixException e) {
            throw new MboxException(e.errno(), "unable to lock for exclusive access: "
                    + PosixException.strerror(e.errno()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw busy();
        }
    }

    /**
     * Moves the fcntl lock to {@code replacement}, a new descriptor for the same path (the file
     * there was replaced while we waited): releases the old descriptor's lock, then takes the
     * same kind of lock on {@code replacement}, waiting up to {@link LockPolicy#maxWait()} for
     * programs that lock with fcntl only. The JVM lock and the dotlock, which belong to the
     * path, stay held throughout, so no dotlocking writer can slip in between. The caller
     * still owns (and closes) both descriptors.
     *
     * @throws MboxException EAGAIN when the new file stays locked; {@link #close()} is still
     *                       required and then releases the JVM lock and the dotlock
     */
    public void relock(NativeFile replacement) throws MboxException {
        if (released) {
            throw new IllegalStateException("lock on " + path + " already released");
        }
        try {
            if (file.isOpen()) {
                file.unlock();
            }
        } catch (PosixException ignored) {
            // closing that descriptor releases its OFD lock anyway
        }
        file = replacement;
        lockFile(replacement, exclusive, new Backoff(policy.maxWait(), policy.maxDelay()));
    }

    private static void unregister(String path) {
        JVM_LOCKS.computeIfPresent(path, (k, e) -> --e.users == 0 ? null : e);
    }

    private static MboxException busy() {
        return new MboxException(PosixException.EAGAIN, "unable to lock for exclusive access: "
                + PosixException.strerror(PosixException.EAGAIN));
    }

    /** Why the dotlock was skipped under {@link LockPolicy#dotlockMayFail()}, else null. */
    public String dotlockWarning() {
        return dotlockWarning;
    }

    public String path() {
        return path;
    }

    @Override
    public void close() {
        if (released) {
            return;
        }
        released = true;
        try {
            if (file.isOpen()) {
                file.unlock();
            }
        } catch (PosixException ignored) {
            // closing the descriptor releases the OFD lock anyway
        } finally {
            if (dotLock != null) {
                dotLock.close();
            }
            jvmLock.unlock();
            unregister(path);
        }
    }
}
