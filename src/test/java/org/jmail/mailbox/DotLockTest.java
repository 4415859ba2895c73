package org.jmail.mailbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DotLockTest {

    @TempDir
    Path dir;

    @Test
    void theLockAppearsWithItsPidAndNoTemporaryFileStays() throws Exception {
        Path box = dir.resolve("alex");
        Files.writeString(box, "");
        try (DotLock lock = DotLock.acquire(box.toString(), LockPolicy.defaults())) {
            Path lockFile = dir.resolve("alex.lock");
            // created by link() from a file already holding the pid: never empty, even mid-create
            assertEquals(ProcessHandle.current().pid() + "\n", Files.readString(lockFile, StandardCharsets.US_ASCII));
            try (Stream<Path> s = Files.list(dir)) {
                assertEquals(List.of("alex", "alex.lock"), s.map(p -> p.getFileName().toString()).sorted().toList());
            }
        }
        assertFalse(Files.exists(dir.resolve("alex.lock")));
    }

    @Test
    void aLeftoverTemporaryFileOfTheSameThreadIsReplaced() throws Exception {
        Path box = dir.resolve("bo");
        Files.writeString(box, "");
        Path tmp = dir.resolve(".lk" + ProcessHandle.current().pid() + "." + Thread.currentThread().getId() + ".jmail");
        Files.writeString(tmp, "junk");
        try (DotLock lock = DotLock.acquire(box.toString(), LockPolicy.defaults())) {
            assertFalse(Files.exists(tmp));
        }
    }
}
