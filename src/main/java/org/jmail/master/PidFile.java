package org.jmail.master;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jmail.config.MainConfig;

/**
 * {@code queue_directory/pid/master.pid}, where Postfix keeps it: the running daemon's pid, so
 * that stop/reload/status find it. A stale file (no such process, or a process that is not
 * a JVM) counts as "not running".
 */
public final class PidFile {

    private final Path path;

    private PidFile(Path path) {
        this.path = path;
    }

    public static PidFile of(MainConfig config) {
        return new PidFile(Path.of(config.get("queue_directory"), "pid", "master.pid"));
    }

    public Path path() {
        return path;
    }

    public void write(long pid) throws IOException {
        Files.createDirectories(path.getParent());
        Path tmp = path.resolveSibling("master.pid.tmp");
        Files.writeString(tmp, String.format("%11d%n", pid), StandardCharsets.US_ASCII);
        Files.move(tmp, path, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** The pid of a live daemon, or -1. */
    public long runningPid() {
        try {
            long pid = Long.parseLong(Files.readString(path, StandardCharsets.US_ASCII).strip());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(ph -> ph.info().command().map(c -> c.contains("java")).orElse(true))
                    .map(ProcessHandle::pid).orElse(-1L);
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    public void remove() {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // a stale pid file is detected as such later
        }
    }
}
