package org.jmail.pickup;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code queue_directory/maildrop}, where sendmail(1) leaves messages for the daemon: mode
 * 1733 (sticky; write and search for everybody, read for the owner only), owned by the
 * daemon. A local user can create files there but can neither list the directory nor read,
 * replace or remove another user's files (those are 0700, owned by their submitter); the
 * daemon (root) reads them all. The queue directory itself must be searchable by everybody
 * (0755) for sendmail to reach it.
 *
 * <p>File names: {@code .}-prefixed names are never picked up; {@code flush-*} and
 * {@code showq-*} are requests from postqueue(1) (see {@link Pickup}); every other name is a
 * message. A file is ready once its mode is 0700 (Postfix's postdrop convention).
 */
public final class Maildrop {

    public static final String NAME = "maildrop";
    static final int DIR_MODE = 01733;
    static final int READY_MODE = 0700;
    public static final String FLUSH_PREFIX = "flush-";
    public static final String SHOWQ_PREFIX = "showq-";
    public static final String REPLY_SUFFIX = ".reply";

    private Maildrop() {
    }

    /** The maildrop directory under a queue directory. */
    public static Path of(Path queueDirectory) {
        return queueDirectory.resolve(NAME);
    }

    /**
     * Creates maildrop/ when missing and gives it mode 1733; makes the queue directory
     * searchable by everybody. Call at daemon start-up (as the daemon's user).
     */
    public static Path ensure(Path queueDirectory) throws IOException {
        Files.createDirectories(queueDirectory);
        int qmode = (Integer) Files.getAttribute(queueDirectory, "unix:mode");
        if ((qmode & 0011) != 0011) {
            Files.setAttribute(queueDirectory, "unix:mode", (qmode & 07777) | 0755);
        }
        Path md = of(queueDirectory);
        try {
            Files.createDirectory(md);
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(md, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException(md + " exists and is not a directory");
            }
        }
        // chmod, not the creation mode: umask would take the group/other bits away
        Files.setAttribute(md, "unix:mode", DIR_MODE, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        return md;
    }
}
