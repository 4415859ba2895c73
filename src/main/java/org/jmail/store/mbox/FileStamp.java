package org.jmail.store.mbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;

/**
 * What identifies one state of an mbox file: device, inode, size and modification time in
 * nanoseconds. Equal stamps mean the index describes the file; a grown size with the same
 * inode usually means the MTA appended.
 */
record FileStamp(long dev, long ino, long size, long mtimeNanos) {

    /** lstat(2) of {@code path}; null when it does not exist. Symlinks are not followed. */
    static FileStamp of(Path path) throws IOException {
        Map<String, Object> a;
        try {
            a = Files.readAttributes(path, "unix:dev,ino,size,lastModifiedTime,mode", LinkOption.NOFOLLOW_LINKS);
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        }
        long dev = ((Number) a.get("dev")).longValue();
        long ino = ((Number) a.get("ino")).longValue();
        long size = ((Number) a.get("size")).longValue();
        FileTime t = (FileTime) a.get("lastModifiedTime");
        int mode = ((Number) a.get("mode")).intValue();
        if ((mode & 0170000) == 0120000) {
            throw new SymlinkException(path);
        }
        long nanos = t.to(java.util.concurrent.TimeUnit.NANOSECONDS);
        return new FileStamp(dev, ino, size, nanos);
    }

    boolean sameFile(FileStamp o) {
        return o != null && dev == o.dev && ino == o.ino;
    }

    /** lstat found a symbolic link where a mailbox should be. */
    static final class SymlinkException extends IOException {
        private static final long serialVersionUID = 1L;

        SymlinkException(Path p) {
            super("symbolic link: " + p);
        }
    }
}
