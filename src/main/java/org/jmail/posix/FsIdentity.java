package org.jmail.posix;

import java.util.concurrent.Callable;

/**
 * Runs file-system work on the calling thread with another user's file-system identity, so
 * that the kernel checks permissions as that user: a mailbox symlinked to {@code /etc/shadow}
 * can't make root write there, and files are created owned by the user.
 *
 * <p>Linux keeps {@code fsuid}/{@code fsgid} and the supplementary group list per thread
 * (setfsuid(2), setfsgid(2), and the raw setgroups system call: glibc's setgroups(3) would
 * change every thread of the process). seteuid(2) is not used because glibc applies it to all
 * threads. Other threads of the JVM keep their identity while one thread works as a user.
 *
 * <p>Calls nest: the previous identity is restored when the work returns or throws. If the
 * identity can't be restored the thread is unsafe to reuse and an {@link Error} is thrown.
 * Each thread's identity is remembered after the first switch (only this class changes it),
 * so a switch and its restore cost five system calls each, with no read-back of groups.
 *
 * <p>When the process is not root (a development instance) the work simply runs as the
 * current user; callers say so in their log.
 */
public final class FsIdentity {

    private static final long SYS_SETGROUPS = sysSetgroups();
    /** The effective uid never changes in the daemon (seteuid is not used, see above). */
    private static final boolean ROOT = Posix.isRoot();
    private static final ThreadLocal<State> STATE = new ThreadLocal<>();

    /** A thread's credentials as known to this class. */
    private record State(int uid, int gid, int[] groups) {
    }

    /** The identity a thread currently works with, for nesting and tests. */
    public record Ids(int fsuid, int fsgid) {
    }

    private FsIdentity() {
    }

    /** True when identities can actually be switched (the process runs as root). */
    public static boolean isSupported() {
        return ROOT;
    }

    public static <T> T runAs(UnixUser user, Callable<T> work) throws Exception {
        return runAs(user.uid(), user.gid(), work);
    }

    /**
     * Runs {@code work} with fsuid {@code uid}, fsgid {@code gid} and {@code gid} as the only
     * supplementary group, then restores the previous identity.
     */
    public static <T> T runAs(int uid, int gid, Callable<T> work) throws Exception {
        if (!ROOT) {
            return work.call();
        }
        State saved = state();
        if (uid == 0 && gid == 0 && saved.uid == 0) {
            return work.call(); // already root: root's groups don't matter to permission checks
        }
        if (saved.uid == uid && saved.gid == gid && saved.groups.length == 1 && saved.groups[0] == gid) {
            return work.call(); // nested call for the identity already in force
        }
        try {
            STATE.remove(); // unknown until verified
            setGroups(new int[] {gid});
            LibC.API.setfsgid(gid);
            LibC.API.setfsuid(uid);
            if (LibC.API.setfsuid(-1) != uid || LibC.API.setfsgid(-1) != gid) {
                throw new PosixException(PosixException.EPERM, "cannot switch to uid " + uid + " gid " + gid);
            }
            STATE.set(new State(uid, gid, new int[] {gid}));
            return work.call();
        } finally {
            restore(saved);
        }
    }

    /** Runs {@code work} with root's file-system identity (fd-based ownership fixes). */
    public static <T> T asRoot(Callable<T> work) throws Exception {
        if (!ROOT) {
            return work.call();
        }
        return runAs(0, 0, work);
    }

    /** The calling thread's current fsuid/fsgid. */
    public static Ids current() {
        int uid = LibC.API.setfsuid(-1);
        int gid = LibC.API.setfsgid(-1);
        return new Ids(uid, gid);
    }

    /**
     * The thread's identity as this class last set or read it. Only this class changes a
     * thread's fsuid/fsgid/groups, so the kernel is asked once per thread, not per switch.
     */
    private static State state() throws PosixException {
        State s = STATE.get();
        if (s == null) {
            s = new State(LibC.API.setfsuid(-1), LibC.API.setfsgid(-1), groups());
            STATE.set(s);
        }
        return s;
    }

    private static void restore(State saved) {
        STATE.remove();
        LibC.API.setfsuid(saved.uid);
        LibC.API.setfsgid(saved.gid);
        try {
            setGroups(saved.groups);
        } catch (PosixException e) {
            throw new Error("cannot restore supplementary groups: " + e.getMessage(), e);
        }
        if (LibC.API.setfsuid(-1) != saved.uid || LibC.API.setfsgid(-1) != saved.gid) {
            throw new Error("cannot restore file system identity " + saved.uid + "/" + saved.gid);
        }
        STATE.set(saved);
    }

    /** The calling thread's supplementary groups (getgroups(2) reads the thread's credentials). */
    static int[] groups() throws PosixException {
        int n = LibC.API.getgroups(0, null);
        if (n < 0) {
            throw PosixException.of(LibC.errno(), "getgroups");
        }
        int[] list = new int[n];
        if (n > 0 && LibC.API.getgroups(n, list) < 0) {
            throw PosixException.of(LibC.errno(), "getgroups");
        }
        return list;
    }

    private static void setGroups(int[] groups) throws PosixException {
        if (SYS_SETGROUPS < 0) {
            return; // unknown architecture: keep root's groups (fsuid/fsgid still apply)
        }
        long r = LibC.API.syscall(SYS_SETGROUPS, groups.length, groups.length == 0 ? new int[1] : groups);
        if (r < 0) {
            throw PosixException.of(LibC.errno(), "setgroups");
        }
    }

    private static long sysSetgroups() {
        String arch = System.getProperty("os.arch", "");
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
            return -1;
        }
        return switch (arch) {
            case "amd64", "x86_64" -> 116;
            case "aarch64", "arm64", "riscv64", "loongarch64" -> 159;
            default -> -1;
        };
    }
}
