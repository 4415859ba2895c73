package org.jmail.auth;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A text file parsed once and re-parsed only when stat(2) says it changed (modification time,
 * size, inode: {@code passwd -e}, {@code usermod} and editors replace the file by rename).
 * One stat per {@link #get()} keeps a login's passdb lookup in microseconds while a changed
 * password is seen by the next login.
 *
 * <p>An unreadable or missing file is an {@link AuthUnavailableException} ("open(path)
 * failed: ..."), so logins tempfail instead of reporting every user unknown.
 */
final class WatchedFile<T> {

    /** What stat said when the current value was parsed; also the passdb generation. */
    record Stamp(long mtimeNanos, long size, Object fileKey) {
    }

    private final Path path;
    private final Function<List<String>, T> parser;
    private Stamp stamp;
    private T value;

    WatchedFile(Path path, Function<List<String>, T> parser) {
        this.path = path;
        this.parser = parser;
    }

    Path path() {
        return path;
    }

    synchronized T get() throws AuthUnavailableException {
        Stamp now = stat();
        if (value == null || !now.equals(stamp)) {
            try {
                value = parser.apply(Files.readAllLines(path, java.nio.charset.StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw unavailable(e);
            } catch (java.io.UncheckedIOException e) {
                throw unavailable(e.getCause());
            }
            stamp = now;
        }
        return value;
    }

    /** The file's stamp now (one stat), null when it can't be read: changes whenever the file does. */
    Object generation() {
        try {
            return stat();
        } catch (AuthUnavailableException e) {
            return null;
        }
    }

    private Stamp stat() throws AuthUnavailableException {
        try {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
            return new Stamp(a.lastModifiedTime().to(TimeUnit.NANOSECONDS), a.size(), a.fileKey());
        } catch (IOException e) {
            throw unavailable(e);
        }
    }

    private AuthUnavailableException unavailable(IOException e) {
        String why = e instanceof NoSuchFileException ? "No such file or directory"
                : e instanceof AccessDeniedException ? "Permission denied"
                : Objects.toString(e.getMessage(), e.getClass().getSimpleName());
        return new AuthUnavailableException("open(" + path + ") failed: " + why, e);
    }
}
