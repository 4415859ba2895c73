package org.jmail.pickup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.jmail.cleanup.Cleanup;
import org.jmail.config.MainConfig;
import org.jmail.queue.MailQueue;
import org.jmail.queue.QueuedMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pickup's trust and lifecycle rules on real files, with a real queue and cleanup (no daemon). */
class PickupTest {

    @TempDir
    Path dir;
    private MailQueue queue;
    private Pickup pickup;
    private Path maildrop;
    private final AtomicInteger flushes = new AtomicInteger();

    @BeforeEach
    void setUp() throws Exception {
        MainConfig config = MainConfig.of(dir, Map.of("myhostname", "mail.example.tst", "queue_directory",
                dir.resolve("spool").toString()));
        queue = MailQueue.open(dir.resolve("spool"));
        Cleanup cleanup = new Cleanup(config, queue);
        pickup = new Pickup(config, queue, () -> cleanup, flushes::incrementAndGet, () -> { });
        maildrop = Maildrop.ensure(queue.directory());
    }

    @AfterEach
    void tearDown() {
        queue.close();
    }

    private Path drop(String name, String content, String mode) throws Exception {
        Path p = maildrop.resolve(name);
        Files.writeString(p, content, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString(mode));
        return p;
    }

    @Test
    void maildropIsStickyWorldWritableAndUnreadable() throws Exception {
        assertEquals(01733, (Integer) Files.getAttribute(maildrop, "unix:mode") & 07777);
    }

    @Test
    void readyFileIsQueuedThenRemoved() throws Exception {
        Path p = drop("1.1", "JMD1\nrcpt=bob@example.tst\n\nSubject: hi\n\nbody\n", "rwx------");
        pickup.process("1.1");
        assertFalse(Files.exists(p));
        List<String> ids = queue.list(MailQueue.ACTIVE);
        assertEquals(1, ids.size());
        QueuedMessage m = queue.read(MailQueue.ACTIVE, ids.get(0));
        assertEquals("bob@example.tst", m.recipients().get(0).address());
        String owner = org.jmail.posix.Posix.getpwuid(org.jmail.posix.Posix.geteuid()).name();
        assertEquals(owner + "@mail.example.tst", m.sender(), "the file owner is the sender");
        String content = new String(m.readContent(100_000), StandardCharsets.UTF_8);
        assertTrue(content.startsWith("Received: by mail.example.tst (jmail, from userid "), content);
        m.releaseContent();
    }

    @Test
    void fileStillBeingWrittenIsLeftAlone() throws Exception {
        Path p = drop("1.2", "JMD1\nrcpt=bob@example.tst\n\nSubject: hi\n\nbody\n", "rw-------");
        pickup.process("1.2");
        assertTrue(Files.exists(p));
        assertEquals(0, queue.list(MailQueue.ACTIVE).size());
    }

    @Test
    void symlinksAndHardLinksAreRemovedNotFollowed() throws Exception {
        Path secret = dir.resolve("secret");
        Files.writeString(secret, "JMD1\nrcpt=bob@example.tst\n\nsecret\n");
        Files.createSymbolicLink(maildrop.resolve("1.3"), secret);
        pickup.process("1.3");
        assertFalse(Files.exists(maildrop.resolve("1.3"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
        Files.setPosixFilePermissions(secret, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        Files.createLink(maildrop.resolve("1.4"), secret);
        pickup.process("1.4");
        assertFalse(Files.exists(maildrop.resolve("1.4")));
        assertTrue(Files.exists(secret), "the link's target is untouched");
        assertEquals(0, queue.list(MailQueue.ACTIVE).size());
    }

    @Test
    void malformedFileGoesToCorrupt() throws Exception {
        drop("1.5", "not a maildrop file\n", "rwx------");
        pickup.process("1.5");
        assertFalse(Files.exists(maildrop.resolve("1.5")));
        assertTrue(Files.exists(queue.path(MailQueue.CORRUPT, "1.5")));
    }

    @Test
    void messageWithoutRecipientsIsRemoved() throws Exception {
        drop("1.6", "JMD1\nflags=t\n\nSubject: none\n\nbody\n", "rwx------");
        pickup.process("1.6");
        assertFalse(Files.exists(maildrop.resolve("1.6")));
        assertEquals(0, queue.list(MailQueue.ACTIVE).size());
    }

    @Test
    void flushRequestRunsTheQueueFlush() throws Exception {
        drop(Maildrop.FLUSH_PREFIX + "7", "", "rwx------");
        pickup.process(Maildrop.FLUSH_PREFIX + "7");
        assertEquals(1, flushes.get());
        assertFalse(Files.exists(maildrop.resolve(Maildrop.FLUSH_PREFIX + "7")));
    }

    @Test
    void requeuedQueueFileIsCopiedUnderANewId() throws Exception {
        drop("1.8", "JMD1\nrcpt=bob@example.tst\nrcpt=carol@example.tst\n\nSubject: rq\n\nbody\n", "rwx------");
        pickup.process("1.8");
        String old = queue.list(MailQueue.ACTIVE).get(0);
        Files.move(queue.path(MailQueue.ACTIVE, old), maildrop.resolve(old));
        Files.setPosixFilePermissions(maildrop.resolve(old), java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        pickup.process(old);
        List<String> ids = queue.list(MailQueue.ACTIVE);
        assertEquals(1, ids.size());
        assertFalse(ids.get(0).equals(old));
        assertFalse(Files.exists(maildrop.resolve(old)));
        QueuedMessage m = queue.read(MailQueue.ACTIVE, ids.get(0));
        assertEquals(2, m.recipients().size());
        m.releaseContent();
    }
}
