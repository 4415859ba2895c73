package org.jmail.posix;

import jnr.ffi.LibraryLoader;
import jnr.ffi.LibraryOption;
import jnr.ffi.Pointer;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.types.off_t;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The libc calls jmail makes itself through jnr-ffi, where jnr-posix has no binding or one
 * whose semantics don't fit: open(2) with O_NOFOLLOW/O_EXCL flags returning a raw descriptor,
 * write/pread on native memory, fcntl(2) record locks with a {@code struct flock}, and the
 * per-thread credential calls setfsuid(2)/setfsgid(2). Every call saves errno, read back with
 * {@link #errno()}.
 */
final class LibC {

    /** The jnr-ffi binding; names and argument types as in the C prototypes. */
    public interface Api {
        int open(String path, int flags, int mode);

        int close(int fd);

        @ssize_t long write(int fd, @In Pointer buf, @size_t long count);

        @ssize_t long pread(int fd, @Out Pointer buf, @size_t long count, @off_t long offset);

        int fsync(int fd);

        int fdatasync(int fd);

        int ftruncate(int fd, @off_t long length);

        int fchown(int fd, int uid, int gid);

        int fchmod(int fd, int mode);

        int fcntl(int fd, int cmd, Pointer flock);

        int link(String from, String to);

        int unlink(String path);

        int setfsuid(int uid);

        int setfsgid(int gid);

        /** Heap int[] argument: copied for the call, no native allocation (setgroups runs per delivery). */
        long syscall(long number, long arg1, @In int[] arg2);

        int getgroups(int size, @Out int[] list);

        int kill(int pid, int sig);

        int prctl(int option, long arg2, long arg3, long arg4, long arg5);

        /** capget(2): {@code header} is a {@code struct __user_cap_header_struct} (version, pid). */
        int capget(int[] header, @Out int[] data);

        int capset(int[] header, @In int[] data);
    }

    static final Api API = LibraryLoader.create(Api.class)
            .option(LibraryOption.SaveError, Boolean.TRUE)
            .load("c");

    static final jnr.ffi.Runtime RUNTIME = jnr.ffi.Runtime.getRuntime(API);

    private LibC() {
    }

    /** errno of the last call made on this thread. */
    static int errno() {
        return RUNTIME.getLastError();
    }
}
