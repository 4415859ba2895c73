package org.jmail.posix;

import java.io.Closeable;
import java.nio.ByteBuffer;
import jnr.constants.platform.OpenFlags;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.posix.FileStat;

/**
 * A file descriptor opened with open(2) itself, for the places where Java's channels can't do
 * what mail delivery needs: O_EXCL|O_NOFOLLOW opens with an exact mode, fstat(2) of the open
 * file (Postfix's safe_open checks), fchown/fchmod on the descriptor, ftruncate for rollback
 * and open-file-description (OFD) fcntl locks.
 *
 * <p>OFD locks ({@code F_OFD_SETLK}) conflict with the classic POSIX fcntl locks that mutt,
 * Dovecot, procmail and Python's {@code fcntl.lockf} take, but unlike those they belong to the
 * open file, not the process: two threads of this JVM holding different descriptors exclude
 * each other, and closing some other descriptor for the same file does not drop the lock.
 *
 * <p>Every failure throws {@link PosixException} with the errno and Postfix-style text. Not
 * thread-safe; one owner at a time. {@link #close()} is idempotent.
 */
public final class NativeFile implements Closeable {

    public static final int O_RDONLY = OpenFlags.O_RDONLY.intValue();
    public static final int O_WRONLY = OpenFlags.O_WRONLY.intValue();
    public static final int O_RDWR = OpenFlags.O_RDWR.intValue();
    public static final int O_CREAT = OpenFlags.O_CREAT.intValue();
    public static final int O_EXCL = OpenFlags.O_EXCL.intValue();
    public static final int O_APPEND = OpenFlags.O_APPEND.intValue();
    public static final int O_NONBLOCK = OpenFlags.O_NONBLOCK.intValue();
    public static final int O_NOFOLLOW = OpenFlags.O_NOFOLLOW.defined() ? OpenFlags.O_NOFOLLOW.intValue() : 0;
    /** O_CLOEXEC (02000000 on Linux): commands we fork must not inherit mailbox descriptors. */
    public static final int O_CLOEXEC = 02000000;

    private static final int F_OFD_GETLK = 36;
    private static final int F_OFD_SETLK = 37;
    private static final short F_WRLCK = 1;
    private static final short F_UNLCK = 2;
    private static final short F_RDLCK = 0;
    private static final int FLOCK_SIZE = 32;

    private static final int IO_CHUNK = 64 * 1024;

    /** Per-thread native buffer for copying Java bytes to write(2)/from pread(2). */
    private static final ThreadLocal<Pointer> IO_BUFFER =
            ThreadLocal.withInitial(() -> Memory.allocateDirect(LibC.RUNTIME, IO_CHUNK));
    /**
     * Per-thread {@code struct flock}: a fresh native allocation per lock call cost an mmap,
     * and a munmap on jnr's finalizer thread, twice per delivery.
     */
    private static final ThreadLocal<Pointer> FLOCK_BUFFER =
            ThreadLocal.withInitial(() -> Memory.allocateDirect(LibC.RUNTIME, FLOCK_SIZE, true));

    private final String path;
    private int fd;

    private NativeFile(String path, int fd) {
        this.path = path;
        this.fd = fd;
    }

    /**
     * open(2). {@code O_CLOEXEC} is always added.
     *
     * @throws PosixException with errno and "cannot open file: ..." text
     */
    public static NativeFile open(String path, int flags, int mode) throws PosixException {
        int fd = LibC.API.open(path, flags | O_CLOEXEC, mode);
        if (fd < 0) {
            int errno = LibC.errno();
            boolean create = (flags & O_CREAT) != 0;
            throw PosixException.of(errno, create ? "cannot create file exclusively" : "cannot open file");
        }
        return new NativeFile(path, fd);
    }

    /** lstat(2); null when the path does not exist (ENOENT/ENOTDIR). */
    public static FileInfo lstat(String path) throws PosixException {
        FileStat st = Posix.api().allocateStat();
        if (Posix.api().lstat(path, st) < 0) {
            int errno = Posix.api().errno();
            if (errno == PosixException.ENOENT || errno == 20 /* ENOTDIR */) {
                return null;
            }
            throw PosixException.of(errno, "cannot lstat " + path);
        }
        return FileInfo.of(st);
    }

    /** stat(2) (follows symlinks); null when the path does not exist. */
    public static FileInfo stat(String path) throws PosixException {
        FileStat st = Posix.api().allocateStat();
        if (Posix.api().stat(path, st) < 0) {
            int errno = Posix.api().errno();
            if (errno == PosixException.ENOENT || errno == 20) {
                return null;
            }
            throw PosixException.of(errno, "cannot stat " + path);
        }
        return FileInfo.of(st);
    }

    /** link(2); false with the errno in the exception only for unexpected errors, false on EEXIST. */
    public static void link(String from, String to) throws PosixException {
        if (LibC.API.link(from, to) < 0) {
            throw PosixException.of(LibC.errno(), "cannot link " + from + " to " + to);
        }
    }

    /** unlink(2); returns false when the file did not exist. */
    public static boolean unlink(String path) throws PosixException {
        if (LibC.API.unlink(path) < 0) {
            int errno = LibC.errno();
            if (errno == PosixException.ENOENT) {
                return false;
            }
            throw PosixException.of(errno, "cannot remove " + path);
        }
        return true;
    }

    public String path() {
        return path;
    }

    /** fstat(2) of the open file. */
    public FileInfo stat() throws PosixException {
        ensureOpen();
        FileStat st = Posix.api().allocateStat();
        if (Posix.api().fstat(fd, st) < 0) {
            throw PosixException.of(Posix.api().errno(), "cannot fstat " + path);
        }
        return FileInfo.of(st);
    }

    /** Current size from fstat(2). */
    public long size() throws PosixException {
        return stat().size();
    }

    /**
     * Writes all of {@code data} (position to limit) with write(2), in chunks, retrying short
     * writes. On failure some bytes may have been written: the caller truncates.
     */
    public void writeFully(ByteBuffer data) throws PosixException {
        writeFully(new ByteBuffer[] {data});
    }

    /**
     * Writes all of each buffer in turn, as one stream: the pieces are gathered into the
     * thread's native buffer and written in chunks of up to 64 KB, so that many small pieces
     * (an mbox envelope, then the body) cost neither a system call each nor a copy into one
     * Java array first.
     */
    public void writeFully(ByteBuffer... data) throws PosixException {
        ensureOpen();
        Pointer buf = IO_BUFFER.get();
        int filled = 0;
        for (ByteBuffer d : data) {
            while (d.hasRemaining()) {
                int n = Math.min(d.remaining(), IO_CHUNK - filled);
                copyIn(buf, filled, d, n);
                filled += n;
                if (filled == IO_CHUNK) {
                    writeOut(buf, filled);
                    filled = 0;
                }
            }
        }
        writeOut(buf, filled);
    }

    private void writeOut(Pointer buf, int n) throws PosixException {
        long off = 0;
        while (off < n) {
            long w = LibC.API.write(fd, buf.slice(off), n - off);
            if (w < 0) {
                int errno = LibC.errno();
                if (errno == PosixException.EINTR) {
                    continue;
                }
                throw PosixException.of(errno, "error writing message");
            }
            off += w;
        }
    }

    /** Writes bytes[off, off+len). */
    public void writeFully(byte[] bytes, int off, int len) throws PosixException {
        writeFully(ByteBuffer.wrap(bytes, off, len));
    }

    /**
     * pread(2) up to {@code dst.remaining()} bytes at {@code offset}; returns the number read,
     * 0 at end of file.
     */
    public int pread(ByteBuffer dst, long offset) throws PosixException {
        ensureOpen();
        Pointer buf = IO_BUFFER.get();
        int want = Math.min(dst.remaining(), IO_CHUNK);
        while (true) {
            long r = LibC.API.pread(fd, buf, want, offset);
            if (r < 0) {
                int errno = LibC.errno();
                if (errno == PosixException.EINTR) {
                    continue;
                }
                throw PosixException.of(errno, "error reading " + path);
            }
            byte[] tmp = new byte[(int) r];
            buf.get(0, tmp, 0, (int) r);
            dst.put(tmp);
            return (int) r;
        }
    }

    public void fsync() throws PosixException {
        ensureOpen();
        if (LibC.API.fsync(fd) < 0) {
            throw PosixException.of(LibC.errno(), "error writing message");
        }
    }

    /** fdatasync(2): data and the size, not the timestamps. */
    public void fdatasync() throws PosixException {
        ensureOpen();
        if (LibC.API.fdatasync(fd) < 0) {
            throw PosixException.of(LibC.errno(), "error writing " + path);
        }
    }

    public void truncate(long size) throws PosixException {
        ensureOpen();
        if (LibC.API.ftruncate(fd, size) < 0) {
            throw PosixException.of(LibC.errno(), "cannot truncate " + path);
        }
    }

    /** fchown(2); -1 leaves that id unchanged. */
    public void chown(int uid, int gid) throws PosixException {
        ensureOpen();
        if (LibC.API.fchown(fd, uid, gid) < 0) {
            throw PosixException.of(LibC.errno(), "cannot change ownership of " + path);
        }
    }

    public void chmod(int mode) throws PosixException {
        ensureOpen();
        if (LibC.API.fchmod(fd, mode) < 0) {
            throw PosixException.of(LibC.errno(), "cannot change mode of " + path);
        }
    }

    /**
     * Tries once to take an exclusive OFD write lock on the whole file.
     *
     * @return true when locked, false when another process or descriptor holds a conflicting lock
     */
    public boolean tryLockExclusive() throws PosixException {
        return setLock(F_WRLCK);
    }

    /** Tries once to take a shared OFD read lock on the whole file. */
    public boolean tryLockShared() throws PosixException {
        return setLock(F_RDLCK);
    }

    /** Releases this descriptor's OFD lock (also released by close). */
    public void unlock() throws PosixException {
        setLock(F_UNLCK);
    }

    /** True when some other descriptor or process holds a lock conflicting with a write lock. */
    public boolean isLockedByOthers() throws PosixException {
        ensureOpen();
        Pointer fl = flock(F_WRLCK);
        if (LibC.API.fcntl(fd, F_OFD_GETLK, fl) < 0) {
            throw PosixException.of(LibC.errno(), "cannot test lock on " + path);
        }
        return fl.getShort(0) != F_UNLCK;
    }

    private boolean setLock(short type) throws PosixException {
        ensureOpen();
        Pointer fl = flock(type);
        while (true) {
            if (LibC.API.fcntl(fd, F_OFD_SETLK, fl) == 0) {
                return true;
            }
            int errno = LibC.errno();
            if (errno == PosixException.EINTR) {
                continue;
            }
            if (errno == PosixException.EAGAIN || errno == PosixException.EACCES) {
                return false;
            }
            throw PosixException.of(errno, "unable to lock for exclusive access");
        }
    }

    private static Pointer flock(short type) {
        // struct flock on Linux LP64: short l_type, short l_whence, off_t l_start, off_t l_len,
        // pid_t l_pid (must be 0 for OFD locks); 32 bytes with padding.
        Pointer fl = FLOCK_BUFFER.get();
        fl.putShort(0, type);
        fl.putShort(2, (short) 0); // SEEK_SET
        fl.putLong(8, 0L);
        fl.putLong(16, 0L); // 0 = to end of file, however it grows
        fl.putInt(24, 0);
        return fl;
    }

    private static void copyIn(Pointer buf, long at, ByteBuffer data, int n) {
        if (data.hasArray()) {
            buf.put(at, data.array(), data.arrayOffset() + data.position(), n);
            data.position(data.position() + n);
        } else {
            byte[] tmp = new byte[n];
            data.get(tmp);
            buf.put(at, tmp, 0, n);
        }
    }

    private void ensureOpen() throws PosixException {
        if (fd < 0) {
            throw new PosixException(9 /* EBADF */, "file " + path + " is closed");
        }
    }

    public boolean isOpen() {
        return fd >= 0;
    }

    @Override
    public void close() {
        if (fd >= 0) {
            LibC.API.close(fd);
            fd = -1;
        }
    }
}
