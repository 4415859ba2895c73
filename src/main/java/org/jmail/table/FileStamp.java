package org.jmail.table;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * What one stat(2) says about a file, enough to notice a change: existence, modification time
 * (nanoseconds), size and (device, inode) — a rebuilt table arrives by rename, so its inode
 * changes even when the clock does not.
 */
record FileStamp(boolean exists, long mtimeNanos, long size, Object fileKey) {

    static final FileStamp MISSING = new FileStamp(false, 0, -1, null);

    static FileStamp of(Path path) {
        try {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
            long nanos = a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS);
            return new FileStamp(true, nanos, a.size(), a.fileKey());
        } catch (IOException e) {
            return MISSING;
        }
    }

    boolean sameAs(FileStamp o) {
        return exists == o.exists && mtimeNanos == o.mtimeNanos && size == o.size && Objects.equals(fileKey, o.fileKey);
    }
}
