package org.jmail.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash recovery: a first agent delivers and "dies" before qmgr's commit (no afterCommit); a
 * second agent, as after a restart, gets the same request marked recovered.
 */
class JournalRecoveryTest {

    @TempDir
    Path dir;
    LocalHarness h;

    static final String MSG = "Subject: once\n\nexactly once, please\n";

    @BeforeEach
    void setUp() throws Exception {
        h = new LocalHarness(dir);
    }

    private FakeRequest crashAfterDelivery(String... rcpts) {
        FakeRequest first = new FakeRequest("QCRASH", "sender@remote.example", MSG, rcpts);
        h.agent().deliver(first); // no afterCommit: the outcome never became durable
        return first;
    }

    private FakeRequest recover(String... rcpts) {
        FakeRequest again = new FakeRequest("QCRASH", "sender@remote.example", MSG, rcpts).recovered(true);
        DeliveryJournal.simulateRestart();
        LocalDeliveryAgent restarted = h.agent();
        restarted.deliver(again);
        restarted.afterCommit(again);
        return again;
    }

    private static void truncate(Path p, long size) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(size);
        }
    }

    @Test
    void completeAppendBeforeTheCrashIsNotRepeated() throws Exception {
        crashAfterDelivery("root@host.example");
        byte[] after = Files.readAllBytes(h.mbox("root"));
        FakeRequest r = recover("root@host.example");
        assertEquals("root@host.example sent 2.0.0 (delivered to mailbox)", r.only().toString());
        assertEquals(1, LocalHarness.pythonMessages(h.mbox("root")).size());
        assertEquals(new String(after), h.read(h.mbox("root")));
    }

    @Test
    void tornAppendIsTruncatedAndWrittenOnce() throws Exception {
        Files.writeString(h.mbox("root"), "");
        h.deliver("Subject: earlier\n\nolder mail\n", "root@host.example");
        long before = Files.size(h.mbox("root"));
        crashAfterDelivery("root@host.example");
        byte[] complete = Files.readAllBytes(h.mbox("root"));
        truncate(h.mbox("root"), before + (complete.length - before) / 2);
        FakeRequest r = recover("root@host.example");
        assertEquals("sent", r.only().kind());
        assertEquals(2, LocalHarness.pythonMessages(h.mbox("root")).size());
        assertEquals(new String(complete), h.read(h.mbox("root")), "same bytes as the uninterrupted append");
    }

    @Test
    void crashBeforeTheWriteDeliversOnce() throws Exception {
        crashAfterDelivery("root@host.example");
        truncate(h.mbox("root"), 0);
        FakeRequest r = recover("root@host.example");
        assertEquals("sent", r.only().kind());
        assertEquals(1, LocalHarness.pythonMessages(h.mbox("root")).size());
    }

    @Test
    void afterCommitForgetsTheRecord() throws Exception {
        FakeRequest first = new FakeRequest("QDONE", "sender@remote.example", MSG, "root@host.example");
        LocalDeliveryAgent a = h.agent();
        a.deliver(first);
        a.afterCommit(first);
        FakeRequest again = new FakeRequest("QDONE", "sender@remote.example", MSG, "root@host.example").recovered(true);
        DeliveryJournal.simulateRestart();
        h.agent().deliver(again);
        assertEquals(2, LocalHarness.pythonMessages(h.mbox("root")).size(),
                "without a record a recovered request appends again");
    }

    @Test
    void batchTornInTheSecondCopyKeepsTheFirst() throws Exception {
        h.conf.put("recipient_delimiter", "+");
        crashAfterDelivery("root@host.example", "root+a@host.example");
        byte[] complete = Files.readAllBytes(h.mbox("root"));
        String text = new String(complete);
        int second = text.indexOf("\nFrom sender@remote.example  ") + 1;
        truncate(h.mbox("root"), second + 20);
        FakeRequest r = recover("root@host.example", "root+a@host.example");
        assertEquals("sent", r.of("root@host.example").kind());
        assertEquals("sent", r.of("root+a@host.example").kind());
        assertEquals(2, LocalHarness.pythonMessages(h.mbox("root")).size());
        assertEquals(text, h.read(h.mbox("root")));
    }

    @Test
    void mailboxRewrittenByAReaderAfterTheCrashIsSearched() throws Exception {
        h.deliver("Subject: old\n\nto be expunged\n", "root@host.example");
        long before = Files.size(h.mbox("root"));
        crashAfterDelivery("root@host.example");
        byte[] all = Files.readAllBytes(h.mbox("root"));
        // a mail reader expunged the old message: ours is now at offset 0
        Files.write(h.mbox("root"), java.util.Arrays.copyOfRange(all, (int) before, all.length));
        FakeRequest r = recover("root@host.example");
        assertEquals("sent", r.only().kind());
        assertEquals(1, LocalHarness.pythonMessages(h.mbox("root")).size());
    }

    @Test
    void agentsRebuiltByAReloadShareTheJournal() throws Exception {
        crashAfterDelivery("root@host.example");
        // same process, new agent (reload): the pending record is not mistaken for a crash
        FakeRequest other = new FakeRequest("QOTHER", "sender@remote.example", MSG, "root@host.example");
        LocalDeliveryAgent reloaded = h.agent();
        reloaded.deliver(other);
        reloaded.afterCommit(other);
        try (var slots = Files.list(h.queue.resolve("jmail-local-journal"))) {
            assertEquals(2, slots.count(), "the crashed request's slot is still held, not reused");
        }
    }

    @Test
    void forwardCommittedBeforeTheCrashIsNotResubmitted() {
        h.aliases.put("ext", "someone@remote.example");
        crashAfterDelivery("ext@host.example");
        assertEquals(1, h.cleanup.committed().size());
        FakeRequest r = recover("ext@host.example");
        assertEquals("ext@host.example sent 2.0.0 (forwarded as FWD1)", r.only().toString());
        assertEquals(1, h.cleanup.committed().size());
    }

    @Test
    void fileDestinationIsRecoveredToo() throws Exception {
        Path archive = dir.resolve("archive");
        h.aliases.put("arch", archive.toString());
        h.conf.put("default_privs", "root".equals(System.getProperty("user.name")) ? "nobody" : "nobody");
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        crashAfterDelivery("arch@host.example");
        long size = Files.size(archive);
        truncate(archive, size - 7);
        FakeRequest r = recover("arch@host.example");
        assertEquals("sent", r.only().kind(), r.reports.toString());
        assertEquals(size, Files.size(archive));
        assertTrue(h.read(archive).endsWith("exactly once, please\n\n"));
    }
}
