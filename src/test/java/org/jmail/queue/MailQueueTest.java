package org.jmail.queue;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MailQueueTest {

    @TempDir
    Path dir;
    MailQueue queue;

    @BeforeEach
    void open() throws Exception {
        queue = MailQueue.open(dir.resolve("spool"));
    }

    @AfterEach
    void close() {
        queue.close();
    }

    private QueuedMessage commit(String sender, List<String> rcpts, String content) throws Exception {
        QueueFileWriter w = queue.create(Instant.parse("2024-05-06T07:08:09.123456Z"), sender);
        w.attribute("client_name", "client.example");
        for (String r : rcpts) {
            w.addRecipient(r, "orig-" + r);
        }
        for (String line : content.split("\n", -1)) {
            byte[] b = line.getBytes(StandardCharsets.UTF_8);
            w.appendLine(b, 0, b.length);
        }
        return queue.commit(w);
    }

    private static String text(InputStream in) throws Exception {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void queueDirectoriesAreCreatedPrivate() throws Exception {
        for (String q : MailQueue.QUEUES) {
            Path d = dir.resolve("spool").resolve(q);
            assertTrue(Files.isDirectory(d), q);
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(d)), q);
        }
    }

    @Test
    void committedMessageIsInActiveAndReadsBackIdentically() throws Exception {
        QueuedMessage m = commit("a@example.com", List.of("b@example.org", "c@example.org"),
                "Subject: hi\n\nbody line\nzweite Zeile \u00e4");
        assertFalse(Files.exists(queue.path(MailQueue.INCOMING, m.id())));
        assertTrue(Files.exists(queue.path(MailQueue.ACTIVE, m.id())));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(m.path())));

        QueuedMessage r = queue.read(MailQueue.ACTIVE, m.id());
        assertEquals("a@example.com", r.sender());
        assertEquals(Instant.parse("2024-05-06T07:08:09.123456Z"), r.arrivalTime());
        assertEquals("client.example", r.attributes().get("client_name"));
        assertEquals(2, r.recipients().size());
        assertEquals("c@example.org", r.recipients().get(1).address());
        assertEquals("orig-c@example.org", r.recipients().get(1).original());
        String expected = "Subject: hi\n\nbody line\nzweite Zeile \u00e4\n";
        assertEquals(expected, text(r.openContent()));
        assertEquals(expected.getBytes(StandardCharsets.UTF_8).length, r.contentSize());
        assertEquals(expected, text(m.openContent()), "the in-memory copy matches the file");
    }

    @Test
    void dsnRequestsReadBackAndOldRecipientRecordsStillRead() throws Exception {
        QueueFileWriter w = queue.create(Instant.parse("2024-05-06T07:08:09Z"), "a@example.com");
        w.attribute("dsn_ret", "HDRS");
        w.attribute("dsn_envid", "env 1");
        w.addRecipient("plain@example.org", null);
        w.addRecipient("n@example.org", null, QueuedRecipient.NOTIFY_SUCCESS | QueuedRecipient.NOTIFY_DELAY, null);
        w.addRecipient("o@example.org", "orig@example.org", QueuedRecipient.NOTIFY_NEVER, "rfc822;x;y@example.net");
        w.addRecipient("p@example.org", null, 0, "rfc822;p@example.net");
        byte[] b = "Subject: x".getBytes(StandardCharsets.UTF_8);
        w.appendLine(b, 0, b.length);
        QueuedMessage m = queue.commit(w);
        QueuedMessage r = queue.read(MailQueue.ACTIVE, m.id());
        assertEquals("HDRS", r.attributes().get("dsn_ret"));
        assertEquals("env 1", r.attributes().get("dsn_envid"));
        List<QueuedRecipient> rs = r.recipients();
        assertEquals(0, rs.get(0).dsnNotify());
        assertEquals(null, rs.get(0).orcpt());
        assertTrue(rs.get(0).wantsFailureNotice() && rs.get(0).wantsDelayNotice() && !rs.get(0).wantsSuccessNotice());
        assertEquals(QueuedRecipient.NOTIFY_SUCCESS | QueuedRecipient.NOTIFY_DELAY, rs.get(1).dsnNotify());
        assertFalse(rs.get(1).wantsFailureNotice());
        assertEquals("SUCCESS,DELAY", QueuedRecipient.notifyText(rs.get(1).dsnNotify()));
        assertEquals("orig@example.org", rs.get(2).original());
        assertEquals("rfc822;x;y@example.net", rs.get(2).orcpt());
        assertEquals("NEVER", QueuedRecipient.notifyText(rs.get(2).dsnNotify()));
        assertEquals(0, rs.get(3).dsnNotify());
        assertEquals("rfc822;p@example.net", rs.get(3).orcpt());
        assertEquals(QueuedRecipient.NOTIFY_SUCCESS | QueuedRecipient.NOTIFY_FAILURE,
                QueuedRecipient.parseNotify("success,FAILURE"));
    }

    @Test
    void listenerHearsOfEveryCommit() throws Exception {
        List<String> heard = new ArrayList<>();
        queue.setListener(m -> heard.add(m.id()));
        QueuedMessage m = commit("", List.of("x@y"), "x");
        assertEquals(List.of(m.id()), heard);
    }

    @Test
    void largeContentIsStreamedAndReadBackIntact() throws Exception {
        StringBuilder b = new StringBuilder();
        for (int i = 0; b.length() < 1_500_000; i++) {
            b.append("line ").append(i).append(" ").append("x".repeat(i % 90)).append('\n');
        }
        String content = b.substring(0, b.length() - 1);
        QueuedMessage m = commit("s@x", List.of("r@x", "q@x"), content);
        queue.appendStatus(m, new QueueFile.StatusBatch().done(m.recipients().get(1), true));
        QueuedMessage r = queue.read(MailQueue.ACTIVE, m.id());
        assertEquals(content + "\n", text(r.openContent()));
        assertEquals("r@x", r.recipients().get(0).address());
        assertFalse(r.recipients().get(0).isDone());
        assertTrue(r.recipients().get(1).isDone(), "status records after a large content are found");
    }

    @Test
    void discardedWriterLeavesNoFile() throws Exception {
        QueueFileWriter w = queue.create(Instant.now(), "s@x");
        Path p = queue.path(MailQueue.INCOMING, w.id());
        assertTrue(Files.exists(p));
        assertTrue(queue.isOpen(w.id()));
        w.discard();
        w.discard();
        assertFalse(Files.exists(p));
        assertFalse(queue.isOpen(w.id()));
    }

    @Test
    void statusRecordsSurviveRereadAndTornAppendIsIgnored() throws Exception {
        QueuedMessage m = commit("s@x", List.of("a@x", "b@x", "c@x"), "hello");
        QueueFile.StatusBatch batch = new QueueFile.StatusBatch()
                .done(m.recipients().get(0), false)
                .deferred(m.recipients().get(2), "4.4.1", "mx.example[192.0.2.1]:25", "connection refused");
        queue.appendStatus(m, batch);
        assertTrue(m.recipients().get(0).isDone());

        // a crash in the middle of the next append: half a record
        try (var ch = java.nio.channels.FileChannel.open(m.path(), StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {'D', 0, 0, 0, 5, 0, 0}));
        }
        QueuedMessage r = queue.read(MailQueue.ACTIVE, m.id());
        assertTrue(r.recipients().get(0).isDone());
        assertFalse(r.recipients().get(1).isDone());
        assertFalse(r.recipients().get(2).isDone());
        assertEquals("4.4.1", r.recipients().get(2).deferDsn());
        assertEquals("connection refused", r.recipients().get(2).deferText());
        assertEquals(2, r.pendingRecipients());
        assertNull(r.recipients().get(1).deferDsn());
    }

    @Test
    void truncatedFileIsCorrupt() throws Exception {
        QueuedMessage m = commit("s@x", List.of("a@x"), "some content here");
        long size = Files.size(m.path());
        try (RandomAccessFile f = new RandomAccessFile(m.path().toFile(), "rw")) {
            f.setLength(size - 10);
        }
        assertThrows(CorruptQueueFileException.class, () -> queue.read(MailQueue.ACTIVE, m.id()));
    }

    @Test
    void flippedContentByteIsCorrupt() throws Exception {
        QueuedMessage m = commit("s@x", List.of("a@x"), "some content here");
        byte[] all = Files.readAllBytes(m.path());
        int at = new String(all, StandardCharsets.ISO_8859_1).indexOf("content");
        all[at] = 'C';
        Files.write(m.path(), all);
        assertThrows(CorruptQueueFileException.class, () -> queue.read(MailQueue.ACTIVE, m.id()));
    }

    @Test
    void garbageFileIsCorruptAndCanBeSaved() throws Exception {
        Path p = queue.path(MailQueue.ACTIVE, "0123456789AB");
        Files.write(p, "not a queue file".getBytes(StandardCharsets.US_ASCII));
        assertThrows(CorruptQueueFileException.class, () -> queue.read(MailQueue.ACTIVE, "0123456789AB"));
        CapturedLog log = CapturedLog.install();
        try {
            queue.saveCorrupt(MailQueue.ACTIVE, "0123456789AB");
        } finally {
            log.uninstall();
        }
        assertTrue(Files.exists(queue.path(MailQueue.CORRUPT, "0123456789AB")));
        assertEquals(List.of("postfix/qmgr: warning: saving corrupt file \"0123456789AB\" from queue \"active\" to queue \"corrupt\""),
                log.lines());
    }

    @Test
    void removeDeletesTheFile() throws Exception {
        QueuedMessage m = commit("s@x", List.of("a@x"), "x");
        queue.remove(m);
        assertFalse(Files.exists(queue.path(MailQueue.ACTIVE, m.id())));
        assertEquals(List.of(), queue.list(MailQueue.ACTIVE));
    }

    private Path spare(QueuedMessage m) {
        return dir.resolve("spool/active").resolve(MailQueue.SPARE_PREFIX + m.id());
    }

    @Test
    void removedFileIsReusedAndItsLongerOldContentCutOff() throws Exception {
        String big = "y".repeat(200_000) + "\nend of big";
        QueuedMessage first = commit("s@x", List.of("a@x", "b@x"), big);
        queue.appendStatus(first, new QueueFile.StatusBatch().done(first.recipients().get(0), true));
        Object inode = Files.getAttribute(first.path(), "unix:ino");
        queue.remove(first);
        assertFalse(Files.exists(first.path()));
        assertTrue(Files.exists(spare(first)), "kept for reuse");
        assertEquals(List.of(), queue.list(MailQueue.ACTIVE), "a spare is not a queued message");

        QueuedMessage second = commit("t@x", List.of("c@x"), "short");
        assertEquals(inode, Files.getAttribute(second.path(), "unix:ino"), "the same file, renamed");
        assertFalse(Files.exists(spare(first)));
        QueuedMessage r = queue.read(MailQueue.ACTIVE, second.id());
        assertEquals("short\n", text(r.openContent()));
        assertEquals("t@x", r.sender());
        assertEquals(1, r.recipients().size());
        assertFalse(r.recipients().get(0).isDone(), "no status record of the old message survives");
        assertTrue(Files.size(second.path()) < 8192, "the old tail was cut: " + Files.size(second.path()));

        // a status record appended to the reused file is found (the file ends where we wrote)
        queue.appendStatus(second, new QueueFile.StatusBatch().done(second.recipients().get(0), true));
        assertTrue(queue.read(MailQueue.ACTIVE, second.id()).recipients().get(0).isDone());
    }

    @Test
    void newFilesAreWholeBlocksAndReusedOnesKeepTheirSize() throws Exception {
        QueuedMessage first = commit("s@x", List.of("a@x"), "x".repeat(5000));
        long size = Files.size(first.path());
        assertEquals(0, size % 4096, "padded to whole blocks: " + size);
        assertEquals("x".repeat(5000) + "\n", text(queue.read(MailQueue.ACTIVE, first.id()).openContent()));
        // the old message's done mark makes the file longer than the same message needs
        queue.appendStatus(first, new QueueFile.StatusBatch().done(first.recipients().get(0), true));
        long withStatus = Files.size(first.path());
        queue.remove(first);

        // a message of exactly the same length: the old done mark must not be read as its own
        QueuedMessage second = commit("s@x", List.of("a@x"), "z".repeat(5000));
        assertEquals(withStatus, Files.size(second.path()), "the recycled file keeps its size");
        QueuedMessage r = queue.read(MailQueue.ACTIVE, second.id());
        assertFalse(r.recipients().get(0).isDone(), "no status record of the old message survives");
        assertEquals("z".repeat(5000) + "\n", text(r.openContent()));
        queue.remove(second);

        // somewhat shorter: padded to the same size; longer: grown to whole blocks again
        QueuedMessage third = commit("s@x", List.of("a@x"), "w".repeat(3000));
        assertEquals(withStatus, Files.size(third.path()));
        assertEquals("w".repeat(3000) + "\n", text(queue.read(MailQueue.ACTIVE, third.id()).openContent()));
        queue.remove(third);
        QueuedMessage fourth = commit("s@x", List.of("a@x"), "v".repeat(9000));
        assertEquals(12288, Files.size(fourth.path()));
        assertEquals("v".repeat(9000) + "\n", text(queue.read(MailQueue.ACTIVE, fourth.id()).openContent()));
    }

    @Test
    void aLargeMessagesFileIsUnlinkedNotKept() throws Exception {
        QueuedMessage big = commit("s@x", List.of("a@x"), "z".repeat(300_000));
        queue.remove(big);
        assertFalse(Files.exists(big.path()));
        assertFalse(Files.exists(spare(big)), "spares hold no file over 256 KB");
    }

    @Test
    void aDiscardedWriterGivesItsSpareBack() throws Exception {
        QueuedMessage m = commit("s@x", List.of("a@x"), "x");
        Object inode = Files.getAttribute(m.path(), "unix:ino");
        queue.remove(m);
        QueueFileWriter w = queue.create(Instant.now(), "s@x");
        w.addRecipient("a@x", null);
        byte[] line = "partial".getBytes(StandardCharsets.UTF_8);
        w.appendLine(line, 0, line.length);
        w.discard();
        assertEquals(List.of(), queue.list(MailQueue.ACTIVE));
        assertEquals(List.of(), queue.list(MailQueue.INCOMING));
        QueuedMessage n = commit("t@x", List.of("b@x"), "second");
        assertEquals(inode, Files.getAttribute(n.path(), "unix:ino"), "the spare was used again");
        assertEquals("second\n", text(queue.read(MailQueue.ACTIVE, n.id()).openContent()));
    }

    @Test
    void sparesOfAnEarlierRunAreReusedAndStrayFilesRemoved() throws Exception {
        QueuedMessage m = commit("s@x", List.of("a@x"), "x");
        queue.remove(m);
        Path stray = dir.resolve("spool/active").resolve(MailQueue.SPARE_PREFIX + "not-a-queue-id");
        Files.writeString(stray, "junk");
        Path oldFree = dir.resolve("spool/free");
        Files.createDirectories(oldFree);
        Files.writeString(oldFree.resolve("0123456789AB"), "an older version's spare");
        queue.close();
        queue = MailQueue.open(dir.resolve("spool"));
        assertFalse(Files.exists(stray));
        assertFalse(Files.exists(oldFree), "the free/ directory of older versions is removed");
        QueuedMessage n = commit("s@x", List.of("a@x"), "new");
        assertFalse(Files.exists(spare(m)), "the spare was taken");
        assertEquals("new\n", text(queue.read(MailQueue.ACTIVE, n.id()).openContent()));
        assertEquals(List.of(), queue.list(MailQueue.INCOMING));
    }

    @Test
    void anotherOpenerDeletesOnlyOldSparesBeyondTheLimit() throws Exception {
        // mailq opens the queue while the daemon runs; the daemon may be writing spares beyond
        // what a second opener adopts, and those must survive
        Path active = dir.resolve("spool/active");
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < MailQueue.SPARE_MAX + 2; i++) {
            Path p = active.resolve(MailQueue.SPARE_PREFIX + String.format("%012X", 0xA000000000L + i));
            Files.writeString(p, "spare");
            files.add(p);
        }
        Path old = files.get(files.size() - 1);
        Files.setLastModifiedTime(old, java.nio.file.attribute.FileTime.from(Instant.now().minusSeconds(7200)));
        try (MailQueue other = MailQueue.open(dir.resolve("spool"))) {
            long left = files.stream().filter(Files::exists).count();
            assertTrue(left >= MailQueue.SPARE_MAX + 1, "fresh extra spares are left alone: " + left);
            assertEquals(List.of(), other.list(MailQueue.ACTIVE));
        }
    }

    @Test
    void nextAttemptIsTheFileTimeAfterMovingToDeferred() throws Exception {
        QueuedMessage m = commit("s@x", List.of("a@x"), "x");
        Instant when = Instant.parse("2030-01-01T00:00:00Z");
        queue.setNextAttempt(m, when);
        queue.move(m, MailQueue.DEFERRED);
        assertEquals(MailQueue.DEFERRED, m.queueName());
        assertEquals(when, queue.nextAttempt(MailQueue.DEFERRED, m.id()));
        assertEquals("x\n", text(queue.read(MailQueue.DEFERRED, m.id()).openContent()));
    }

    @Test
    void concurrentCommitsShareDirectoryFsyncs() throws Exception {
        int threads = 16;
        int each = 20;
        CountDownLatch go = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Set<String> ids = java.util.Collections.synchronizedSet(new HashSet<>());
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(() -> {
                try {
                    go.await();
                    for (int i = 0; i < each; i++) {
                        ids.add(commit("s@x", List.of("a@x"), "m").id());
                    }
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            th.start();
            ts.add(th);
        }
        go.countDown();
        for (Thread th : ts) {
            th.join();
        }
        assertNull(failure.get());
        assertEquals(threads * each, ids.size(), "queue ids are unique");
        assertEquals(threads * each, queue.list(MailQueue.ACTIVE).size());
        long[] s = queue.syncStatistics();
        assertEquals(threads * each, s[1], "every commit waited for a directory fsync");
        assertTrue(s[0] < s[1], "some fsyncs were shared: " + s[0] + " fsyncs for " + s[1] + " commits");
    }

    @Test
    void queueIdsAreTwelveHexDigitsAndIncrease() {
        QueueIds ids = new QueueIds();
        String prev = ids.next();
        for (int i = 0; i < 10000; i++) {
            String id = ids.next();
            assertTrue(QueueIds.isQueueId(id), id);
            assertTrue(id.compareTo(prev) > 0 || prev.compareTo("FFFFFFF00000") > 0, prev + " then " + id);
            prev = id;
        }
    }

    @Test
    void idsAfterAnExistingFutureIdSortAfterIt() {
        QueueIds ids = new QueueIds();
        String now = ids.next();
        long v = Long.parseLong(now, 16) + 5_000_000_000L; // ~83 minutes ahead: a clock stepped back
        String future = String.format("%012X", v);
        ids.observe(future);
        assertTrue(ids.next().compareTo(future) > 0);
    }

    @Test
    void contentReadFromFileWhenNotCached() throws Exception {
        QueuedMessage m = commit("s@x", List.of("a@x"), "abc\ndef");
        m.releaseContent();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = m.openContent()) {
            in.transferTo(out);
        }
        assertArrayEquals("abc\ndef\n".getBytes(StandardCharsets.US_ASCII), out.toByteArray());
    }
}
