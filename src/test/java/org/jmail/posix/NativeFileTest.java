package org.jmail.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeFileTest {

    @TempDir
    Path dir;

    @Test
    void writeReadTruncateRoundTrip() throws Exception {
        String path = dir.resolve("f").toString();
        try (NativeFile f = NativeFile.open(path, NativeFile.O_RDWR | NativeFile.O_CREAT | NativeFile.O_EXCL
                | NativeFile.O_APPEND, 0640)) {
            byte[] data = "hello world\n".getBytes(StandardCharsets.US_ASCII);
            f.writeFully(data, 0, data.length);
            f.fsync();
            assertEquals(12, f.size());
            ByteBuffer b = ByteBuffer.allocate(5);
            assertEquals(5, f.pread(b, 6));
            assertEquals("world", new String(b.array(), StandardCharsets.US_ASCII));
            f.truncate(5);
            assertEquals(5, f.size());
            assertEquals(0640, f.stat().permissions());
            assertTrue(f.stat().isRegular());
        }
        assertEquals("hello", Files.readString(Path.of(path)));
    }

    @Test
    void exclusiveCreateOfExistingFileFailsWithEexist() throws Exception {
        Path p = dir.resolve("x");
        Files.writeString(p, "");
        PosixException e = assertThrows(PosixException.class,
                () -> NativeFile.open(p.toString(), NativeFile.O_RDWR | NativeFile.O_CREAT | NativeFile.O_EXCL, 0600));
        assertEquals(PosixException.EEXIST, e.errno());
        assertEquals("cannot create file exclusively: File exists", e.reason());
    }

    @Test
    void nofollowRefusesSymlink() throws Exception {
        Path target = dir.resolve("target");
        Files.writeString(target, "");
        Path link = dir.resolve("link");
        Files.createSymbolicLink(link, target);
        PosixException e = assertThrows(PosixException.class,
                () -> NativeFile.open(link.toString(), NativeFile.O_RDWR | NativeFile.O_NOFOLLOW, 0));
        assertEquals(PosixException.ELOOP, e.errno());
        assertTrue(NativeFile.lstat(link.toString()).isSymlink());
        assertNull(NativeFile.lstat(dir.resolve("none").toString()));
    }

    @Test
    void ofdLocksExcludeEachOtherWithinOneProcess() throws Exception {
        String path = dir.resolve("m").toString();
        try (NativeFile a = NativeFile.open(path, NativeFile.O_RDWR | NativeFile.O_CREAT, 0600);
             NativeFile b = NativeFile.open(path, NativeFile.O_RDWR, 0)) {
            assertTrue(a.tryLockExclusive());
            assertFalse(b.tryLockExclusive());
            assertTrue(b.isLockedByOthers());
            a.unlock();
            assertTrue(b.tryLockExclusive());
        }
    }

    @Test
    void ofdLockConflictsWithPythonLockf() throws Exception {
        Path p = dir.resolve("mbox");
        Files.writeString(p, "");
        Process py = new ProcessBuilder("python3", "-c",
                "import fcntl,sys,time\nf=open(sys.argv[1],'r+')\nfcntl.lockf(f,fcntl.LOCK_EX)\n"
                        + "print('locked',flush=True)\nsys.stdin.readline()\n", p.toString())
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(py.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("locked", out.readLine());
            try (NativeFile f = NativeFile.open(p.toString(), NativeFile.O_RDWR, 0)) {
                assertFalse(f.tryLockExclusive(), "python holds a POSIX lock");
                py.getOutputStream().write('\n');
                py.getOutputStream().flush();
                assertTrue(py.waitFor(10, TimeUnit.SECONDS));
                assertTrue(f.tryLockExclusive());
            }
        } finally {
            py.destroyForcibly();
        }
    }

    @Test
    void pythonLockfIsBlockedByOurOfdLock() throws Exception {
        Path p = dir.resolve("mbox2");
        Files.writeString(p, "");
        try (NativeFile f = NativeFile.open(p.toString(), NativeFile.O_RDWR, 0)) {
            assertTrue(f.tryLockExclusive());
            Process py = new ProcessBuilder("python3", "-c",
                    "import fcntl,sys\nf=open(sys.argv[1],'r+')\n"
                            + "try:\n fcntl.lockf(f,fcntl.LOCK_EX|fcntl.LOCK_NB)\n print('got')\n"
                            + "except OSError:\n print('busy')\n", p.toString())
                    .redirectErrorStream(true).start();
            String line = new BufferedReader(new InputStreamReader(py.getInputStream(), StandardCharsets.UTF_8)).readLine();
            py.waitFor(10, TimeUnit.SECONDS);
            assertEquals("busy", line);
        }
    }

    @Test
    void strerrorTextsMatchLibc() {
        assertEquals("File too large", PosixException.strerror(PosixException.EFBIG));
        assertEquals("No space left on device", PosixException.strerror(PosixException.ENOSPC));
        assertEquals("Resource temporarily unavailable", PosixException.strerror(PosixException.EAGAIN));
    }
}
