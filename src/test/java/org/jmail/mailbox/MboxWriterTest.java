package org.jmail.mailbox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.jmail.posix.PosixException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MboxWriterTest {

    @TempDir
    Path dir;

    private static final LockPolicy QUICK = new LockPolicy(Duration.ofMillis(400), Duration.ofMillis(50),
            Duration.ofMinutes(5), true, false);

    private static byte[] message(String sender, String rcpt, String content) {
        byte[] env = MboxFormat.envelope(sender, Instant.parse("2024-03-15T08:01:02Z"), ZoneOffset.UTC, rcpt, rcpt);
        byte[] c = content.getBytes(StandardCharsets.UTF_8);
        byte[] body = MboxFormat.body(c, 0, c.length, MboxFormat.BodyOptions.MBOX);
        ByteBuffer b = ByteBuffer.allocate(env.length + body.length).put(env).put(body);
        return b.array();
    }

    private long append(Path mbox, byte[] data, long limit, LockPolicy policy) throws MboxException {
        try (MboxWriter w = MboxWriter.open(mbox.toString(), 0600, null, policy)) {
            return w.append(ByteBuffer.wrap(data), limit);
        }
    }

    @Test
    void appendedMessagesReadBackWithPythonMailbox() throws Exception {
        Path mbox = dir.resolve("alex");
        append(mbox, message("bob@example.org", "alex@host", "Subject: one\n\nFrom here on\nbody\n"), 0, QUICK);
        append(mbox, message("", "alex@host", "Subject: two\n\nsecond"), 0, QUICK);
        Process py = new ProcessBuilder("python3", "-c",
                "import mailbox,sys\nfor m in mailbox.mbox(sys.argv[1]):\n"
                        + " print(m['Subject'], '|', m.get_from(), '|', m['Return-Path'], '|', m['Delivered-To'], '|',"
                        + " repr(m.get_payload()))\n", mbox.toString()).redirectErrorStream(true).start();
        String out = new String(py.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(py.waitFor(20, TimeUnit.SECONDS));
        assertEquals("one | bob@example.org  Fri Mar 15 08:01:02 2024 | <bob@example.org> | alex@host | '>From here on\\nbody\\n'\n"
                + "two | MAILER-DAEMON  Fri Mar 15 08:01:02 2024 | <> | alex@host | 'second\\n'\n", out);
    }

    @Test
    void piecesAreWrittenAsOneStreamAcrossTheNativeChunkBoundaries() throws Exception {
        Path mbox = dir.resolve("pieces");
        java.util.Random rnd = new java.util.Random(3);
        java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
        java.nio.ByteBuffer[] pieces = new java.nio.ByteBuffer[7];
        for (int i = 0; i < pieces.length; i++) {
            byte[] b = new byte[i % 2 == 0 ? 1 + rnd.nextInt(300) : 60_000 + rnd.nextInt(90_000)];
            rnd.nextBytes(b);
            expected.write(b, 0, b.length);
            pieces[i] = java.nio.ByteBuffer.wrap(b);
        }
        try (MboxWriter w = MboxWriter.open(mbox.toString(), 0600, null, QUICK)) {
            assertEquals(0, w.append(pieces, 0));
        }
        assertArrayEquals(expected.toByteArray(), Files.readAllBytes(mbox));
    }

    @Test
    void newFileIsCreatedWithTheRequestedModeAndHookRuns() throws Exception {
        Path mbox = dir.resolve("new");
        boolean[] ran = {false};
        try (MboxWriter w = MboxWriter.open(mbox.toString(), 0600, f -> {
            ran[0] = true;
            f.chmod(0660);
        }, QUICK)) {
            assertTrue(w.created());
            w.append(ByteBuffer.wrap("x\n".getBytes()), 0);
        }
        assertTrue(ran[0]);
        assertEquals("rw-rw----", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(mbox)));
        assertFalse(Files.exists(dir.resolve("new.lock")), "dotlock removed");
    }

    @Test
    void injectedWriteFailureRollsBackToTheOldSize() throws Exception {
        Path mbox = dir.resolve("u");
        byte[] first = message("a@b", "u@h", "Subject: 1\n\nkeep\n");
        append(mbox, first, 0, QUICK);
        FaultInjection.failNextAppend(PosixException.ENOSPC);
        MboxException e = assertThrows(MboxException.class,
                () -> append(mbox, message("a@b", "u@h", "Subject: 2\n\nlost\n"), 0, QUICK));
        assertEquals(PosixException.ENOSPC, e.errno());
        assertEquals("error writing message: No space left on device", e.reason());
        assertEquals(first.length, Files.size(mbox));
    }

    @Test
    void sizeLimitRefusesTheAppendWithFileTooLargeAndLeavesTheFileAlone() throws Exception {
        Path mbox = dir.resolve("u");
        byte[] first = message("a@b", "u@h", "Subject: 1\n\nkeep\n");
        append(mbox, first, 0, QUICK);
        MboxException e = assertThrows(MboxException.class,
                () -> append(mbox, message("a@b", "u@h", "Subject: 2\n\nbig\n"), first.length + 10, QUICK));
        assertEquals(PosixException.EFBIG, e.errno());
        assertEquals("error writing message: File too large", e.reason());
        assertEquals(first.length, Files.size(mbox));
    }

    @Test
    void symlinkedMailboxIsRefused() throws Exception {
        Path target = dir.resolve("target");
        Files.writeString(target, "");
        Path link = dir.resolve("alex");
        Files.createSymbolicLink(link, target);
        assumeNotRootOwned(link);
        MboxException e = assertThrows(MboxException.class, () -> append(link, "x\n".getBytes(), 0, QUICK));
        assertEquals("file is a symbolic link", e.reason());
        assertEquals(0, Files.size(target));
    }

    private static void assumeNotRootOwned(Path link) throws Exception {
        // Postfix trusts symlinks owned by root; make this one belong to nobody.
        org.jmail.posix.UnixUser nobody = org.jmail.posix.Posix.getpwnam("nobody");
        org.junit.jupiter.api.Assumptions.assumeTrue(nobody != null && org.jmail.posix.Posix.isRoot());
        Files.setAttribute(link, "unix:uid", nobody.uid(), java.nio.file.LinkOption.NOFOLLOW_LINKS);
    }

    @Test
    void hardLinkedMailboxIsRefused() throws Exception {
        Path target = dir.resolve("target");
        Files.writeString(target, "");
        Files.createLink(dir.resolve("alex"), target);
        MboxException e = assertThrows(MboxException.class, () -> append(dir.resolve("alex"), "x\n".getBytes(), 0, QUICK));
        assertEquals("file has 2 hard links", e.reason());
        assertEquals(PosixException.EPERM, e.errno());
    }

    @Test
    void existingDotlockMakesTheAppendWaitThenGiveUp() throws Exception {
        Path mbox = dir.resolve("u");
        Files.writeString(mbox, "");
        Process p = new ProcessBuilder("dotlockfile", "-l", mbox + ".lock").start();
        assertEquals(0, p.waitFor());
        try {
            long t0 = System.nanoTime();
            MboxException e = assertThrows(MboxException.class, () -> append(mbox, "x\n".getBytes(), 0, QUICK));
            assertEquals(PosixException.EEXIST, e.errno());
            assertEquals("unable to create lock file " + mbox + ".lock: File exists", e.reason());
            assertTrue(System.nanoTime() - t0 >= 300_000_000L, "waited before giving up");
            assertEquals(0, Files.size(mbox));
        } finally {
            new ProcessBuilder("dotlockfile", "-u", mbox + ".lock").start().waitFor();
        }
        append(mbox, "x\n".getBytes(), 0, QUICK);
        assertEquals(2, Files.size(mbox));
    }

    @Test
    void appendProceedsWhenDotlockIsReleasedWhileWaiting() throws Exception {
        Path mbox = dir.resolve("u");
        Files.writeString(mbox, "");
        assertEquals(0, new ProcessBuilder("dotlockfile", "-l", mbox + ".lock").start().waitFor());
        Thread releaser = new Thread(() -> {
            try {
                Thread.sleep(200);
                new ProcessBuilder("dotlockfile", "-u", mbox + ".lock").start().waitFor();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        releaser.start();
        append(mbox, "x\n".getBytes(), 0, QUICK.withMaxWait(Duration.ofSeconds(5)));
        releaser.join();
        assertEquals(2, Files.size(mbox));
    }

    @Test
    void dotlockfileSeesOurLockWhileWeHoldIt() throws Exception {
        Path mbox = dir.resolve("u");
        try (MboxWriter w = MboxWriter.open(mbox.toString(), 0600, null, QUICK)) {
            assertTrue(Files.exists(dir.resolve("u.lock")));
            // dotlockfile -r 0: one try; exit status 2 = could not lock
            Process p = new ProcessBuilder("dotlockfile", "-r", "0", "-l", mbox + ".lock").start();
            assertTrue(p.waitFor() != 0, "dotlockfile must not get the lock we hold");
            assertEquals(ProcessHandle.current().pid() + "\n", Files.readString(dir.resolve("u.lock")));
        }
        assertFalse(Files.exists(dir.resolve("u.lock")));
    }

    @Test
    void staleDotlockOfDeadProcessIsBroken() throws Exception {
        Path mbox = dir.resolve("u");
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        Files.writeString(dir.resolve("u.lock"), dead.pid() + "\n");
        append(mbox, "x\n".getBytes(), 0, QUICK);
        assertEquals(2, Files.size(mbox));
        assertFalse(Files.exists(dir.resolve("u.lock")));
    }

    @Test
    void dotlockOfLiveProcessIsRespectedEvenWhenOld() throws Exception {
        Path mbox = dir.resolve("u");
        Path lock = dir.resolve("u.lock");
        Process sleeper = new ProcessBuilder("sleep", "30").start();
        try {
            Files.writeString(lock, sleeper.pid() + "\n");
            Files.setLastModifiedTime(lock, FileTime.from(Instant.now().minusSeconds(3600)));
            assertThrows(MboxException.class, () -> append(mbox, "x\n".getBytes(), 0, QUICK));
            assertTrue(Files.exists(lock));
        } finally {
            sleeper.destroyForcibly().waitFor();
        }
        append(mbox, "x\n".getBytes(), 0, QUICK);
        assertFalse(Files.exists(lock));
    }

    @Test
    void pidlessDotlockIsStaleOnlyAfterFiveMinutes() throws Exception {
        Path mbox = dir.resolve("u");
        Path lock = dir.resolve("u.lock");
        Files.writeString(lock, "0\n");
        assertThrows(MboxException.class, () -> append(mbox, "x\n".getBytes(), 0, QUICK));
        Files.setLastModifiedTime(lock, FileTime.from(Instant.now().minusSeconds(301)));
        append(mbox, "x\n".getBytes(), 0, QUICK);
        assertEquals(2, Files.size(mbox));
    }

    @Test
    void fcntlLockHeldByAnotherProcessBlocksTheAppend() throws Exception {
        Path mbox = dir.resolve("u");
        Files.writeString(mbox, "");
        Process py = new ProcessBuilder("python3", "-c",
                "import fcntl,sys\nf=open(sys.argv[1],'r+')\nfcntl.lockf(f,fcntl.LOCK_EX)\n"
                        + "print('locked',flush=True)\nsys.stdin.readline()\n", mbox.toString())
                .redirectErrorStream(true).start();
        try {
            assertEquals("locked", new BufferedReader(new InputStreamReader(py.getInputStream())).readLine());
            MboxException e = assertThrows(MboxException.class, () -> append(mbox, "x\n".getBytes(), 0, QUICK));
            assertEquals(PosixException.EAGAIN, e.errno());
            assertEquals("unable to lock for exclusive access: Resource temporarily unavailable", e.reason());
            assertFalse(Files.exists(dir.resolve("u.lock")), "dotlock released after failure");
            py.getOutputStream().write('\n');
            py.getOutputStream().flush();
            assertTrue(py.waitFor(10, TimeUnit.SECONDS));
        } finally {
            py.destroyForcibly();
        }
        append(mbox, "x\n".getBytes(), 0, QUICK);
        assertEquals(2, Files.size(mbox));
    }

    @Test
    void threadsOfOneJvmSerializeOnTheSameMailbox() throws Exception {
        Path mbox = dir.resolve("u");
        int threads = 8;
        int each = 25;
        Thread[] ts = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int id = t;
            ts[t] = new Thread(() -> {
                for (int i = 0; i < each; i++) {
                    try {
                        append(mbox, message("a@b", "u@h", "Subject: " + id + "-" + i + "\n\nbody\n"), 0,
                                QUICK.withMaxWait(Duration.ofSeconds(30)));
                    } catch (MboxException e) {
                        throw new RuntimeException(e);
                    }
                }
            });
            ts[t].start();
        }
        for (Thread t : ts) {
            t.join();
        }
        Process py = new ProcessBuilder("python3", "-c",
                "import mailbox,sys\nprint(len(mailbox.mbox(sys.argv[1])))", mbox.toString()).start();
        assertEquals(String.valueOf(threads * each), new String(py.getInputStream().readAllBytes()).strip());
    }

    @Test
    void devNullIsWritableWithoutLocking() throws Exception {
        try (MboxWriter w = MboxWriter.open("/dev/null", 0600, null, QUICK)) {
            assertFalse(w.isRegular());
            w.append(ByteBuffer.wrap("x\n".getBytes()), 10);
        }
        assertFalse(Files.exists(Path.of("/dev/null.lock")));
    }
}
