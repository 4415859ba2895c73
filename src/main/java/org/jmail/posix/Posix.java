package org.jmail.posix;

import jnr.posix.FileStat;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;
import jnr.posix.Passwd;
import jnr.posix.Group;

/**
 * The one door to the operating system (JNR-POSIX): account lookups, ownership, identity.
 * Nothing outside this package imports jnr.
 */
public final class Posix {

    private static final POSIX POSIX_API = POSIXFactory.getNativePOSIX();
    private static final boolean ROOT = POSIX_API.geteuid() == 0;

    private Posix() {
    }

    static POSIX api() {
        return POSIX_API;
    }

    /** /etc/passwd's version: answers are reused while it is unchanged ({@link PasswdCache}). */
    private static final PasswdCache<UnixUser> PASSWD = new PasswdCache<>(Posix::passwdStamp, Posix::lookupPwnam,
            System::nanoTime, 1_000_000_000L, 60_000_000_000L);

    private static Object passwdStamp() {
        try {
            FileInfo st = NativeFile.stat("/etc/passwd");
            return st == null ? null : java.util.List.of(st.dev(), st.ino(), st.size(), st.mtime(), st.ctime());
        } catch (PosixException e) {
            return null;
        }
    }

    /**
     * getpwnam(3); null when there is no such account. Names are case-sensitive, as in passwd.
     * Answers are cached while /etc/passwd is unchanged (checked at most once a second).
     */
    public static UnixUser getpwnam(String name) {
        if (name == null || name.isEmpty() || name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
            return null;
        }
        return PASSWD.get(name);
    }

    private static UnixUser lookupPwnam(String name) {
        Passwd pw;
        synchronized (Posix.class) { // getpwnam(3) returns a static buffer
            pw = POSIX_API.getpwnam(name);
            if (pw == null) {
                return null;
            }
            return new UnixUser(pw.getLoginName(), (int) pw.getUID(), (int) pw.getGID(), pw.getGECOS(),
                    pw.getHome(), pw.getShell());
        }
    }

    /** getpwuid(3); null when unknown. */
    public static UnixUser getpwuid(int uid) {
        synchronized (Posix.class) {
            Passwd pw = POSIX_API.getpwuid(uid);
            if (pw == null) {
                return null;
            }
            return new UnixUser(pw.getLoginName(), (int) pw.getUID(), (int) pw.getGID(), pw.getGECOS(),
                    pw.getHome(), pw.getShell());
        }
    }

    /** The gid of a group, or -1 when there is no such group. */
    public static int getgrnam(String name) {
        synchronized (Posix.class) {
            Group g = POSIX_API.getgrnam(name);
            return g == null ? -1 : (int) g.getGID();
        }
    }

    public static int geteuid() {
        return POSIX_API.geteuid();
    }

    public static int getuid() {
        return POSIX_API.getuid();
    }

    /** True when the process runs as root (asked once: jmail never calls seteuid, see FsIdentity). */
    public static boolean isRoot() {
        return ROOT;
    }

    public static int getpid() {
        return POSIX_API.getpid();
    }

    /** kill(2); returns true when the signal was delivered (signal 0: the process exists). */
    public static boolean kill(long pid, int signal) {
        return POSIX_API.kill((int) pid, signal) == 0;
    }

    /** lstat(2) owner uid of a path, or -1 when it does not exist. */
    public static int ownerOf(String path) {
        FileStat st = POSIX_API.allocateStat();
        return POSIX_API.lstat(path, st) == 0 ? st.uid() : -1;
    }
}
