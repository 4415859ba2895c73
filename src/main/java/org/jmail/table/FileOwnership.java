package org.jmail.table;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Gives a compiled file the owner, group and read permissions of its source, as postmap(1)
 * does (it runs as the source's owner with a umask that removes the read bits the source
 * lacks): mode {@code 0600 | (source & 0044)}, or 0644 with {@code -p}.
 *
 * <p>Uses the JDK's "unix" attribute view (Linux). Changing the owner needs root; when that
 * is refused the file keeps the caller's ownership, which is what a non-root postmap gets too.
 */
final class FileOwnership {

    final int uid;
    final int gid;
    final int mode;

    private FileOwnership(int uid, int gid, int mode) {
        this.uid = uid;
        this.gid = gid;
        this.mode = mode;
    }

    /** The ownership a compiled file of {@code source} should get; null when the source can't be stat'ed. */
    static FileOwnership of(Path source, boolean savePermissions) {
        try {
            int uid = (Integer) Files.getAttribute(source, "unix:uid");
            int gid = (Integer) Files.getAttribute(source, "unix:gid");
            int srcMode = (Integer) Files.getAttribute(source, "unix:mode");
            int mode = savePermissions ? 0600 | (srcMode & 0044) : 0644;
            return new FileOwnership(uid, gid, mode);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return null;
        }
    }

    /** Default for files with no source to copy from (postmap -i into a new table). */
    static FileOwnership defaults() {
        return new FileOwnership(-1, -1, 0644);
    }

    void applyTo(Path file) throws IOException {
        try {
            Files.setAttribute(file, "unix:mode", mode);
        } catch (UnsupportedOperationException e) {
            return;
        }
        if (uid < 0) {
            return;
        }
        int curUid = (Integer) Files.getAttribute(file, "unix:uid");
        int curGid = (Integer) Files.getAttribute(file, "unix:gid");
        try {
            if (curUid != uid) {
                Files.setAttribute(file, "unix:uid", uid);
            }
        } catch (IOException e) {
            // Not root: keep our own ownership, as a non-root postmap would.
        }
        try {
            if (curGid != gid) {
                Files.setAttribute(file, "unix:gid", gid);
            }
        } catch (IOException e) {
            // Not a member of the source's group.
        }
    }
}
