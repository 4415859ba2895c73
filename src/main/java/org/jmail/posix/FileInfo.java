package org.jmail.posix;

/**
 * The parts of a {@code struct stat} jmail looks at.
 *
 * @param mode full st_mode (type bits and permission bits)
 * @param mtime modification time, seconds since the epoch
 * @param ctime status change time, seconds since the epoch
 */
public record FileInfo(long dev, long ino, int mode, int nlink, int uid, int gid, long size, long mtime,
                       long ctime) {

    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFLNK = 0120000;

    public boolean isRegular() {
        return (mode & S_IFMT) == S_IFREG;
    }

    public boolean isDirectory() {
        return (mode & S_IFMT) == S_IFDIR;
    }

    public boolean isSymlink() {
        return (mode & S_IFMT) == S_IFLNK;
    }

    /** Permission bits only (0777 plus setuid/setgid/sticky). */
    public int permissions() {
        return mode & 07777;
    }

    /** Same inode on the same device. */
    public boolean sameFile(FileInfo other) {
        return other != null && dev == other.dev && ino == other.ino;
    }

    static FileInfo of(jnr.posix.FileStat st) {
        return new FileInfo(st.dev(), st.ino(), st.mode(), st.nlink(), st.uid(), st.gid(), st.st_size(),
                st.mtime(), st.ctime());
    }
}
