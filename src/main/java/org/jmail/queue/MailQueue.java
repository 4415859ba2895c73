package org.jmail.queue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jmail.config.MainConfig;
import org.jmail.log.MailLog;

/**
 * The durable mail queue under {@code queue_directory}, laid out like Postfix's:
 * <ul>
 * <li>{@code incoming/} — files cleanup is still writing; never acknowledged, so leftovers
 *     after a crash are deleted by the queue manager at start-up;</li>
 * <li>{@code active/} — committed messages the queue manager is working on (a file found
 *     here at start-up was in flight when the daemon died);</li>
 * <li>{@code deferred/} — messages waiting for a retry; the file's mtime is the time of the
 *     next attempt, as in Postfix;</li>
 * <li>{@code hold/} — messages on hold (postsuper -h), never scheduled;</li>
 * <li>{@code corrupt/} — unreadable files, kept for inspection.</li>
 * </ul>
 * Postfix's per-message {@code bounce/} and {@code defer/} logs are not needed: delivery
 * outcomes are appended to the queue file itself (see {@link QueueFile}).
 *
 * <p><b>Durability.</b> {@link #commit} writes the file (in {@code incoming/}, or a recycled
 * one in {@code active/}), fdatasyncs it, renames it to {@code active/ID} and fsyncs
 * {@code active/} before returning, so an
 * acknowledged message survives SIGKILL and power loss. The directory fsync is shared
 * between concurrent commits ({@link GroupCommitter}). {@link #remove} unlinks without a
 * directory fsync, as Postfix does: the unlink is visible to the next process at once (so a
 * killed daemon never delivers the message again), and only a power loss can bring the file
 * back, which means a second delivery (at-least-once), never a lost one. Callers must make
 * the delivery itself durable (the mbox fsync) before calling remove.
 *
 * <p><b>Recycled files.</b> A removed message's file in {@code active/} is renamed to a
 * hidden spare name there, {@code .spare-ID} (up to {@link #SPARE_MAX} of them; queue
 * listings skip names that are not queue ids). A new message overwrites a spare where it
 * lies, and commit renames it to {@code active/ID}; {@link QueueFileWriter} keeps the file's
 * size where it can. Creating and unlinking an inode per message was the largest
 * file-system cost of a busy queue: on ext4 without a journal each create skips every
 * recently deleted inode of the group ({@code recently_deleted()}), and each unlink frees
 * and evicts one. Renames within one directory also stay off the file system's rename
 * mutex, which every rename between directories takes. Durability is the same: the
 * rename to a spare name is no more and no less durable than the unlink it replaces; a
 * spare being written is, like a file in {@code incoming/}, never acknowledged until commit
 * (a crash leaves it a spare); and the fsync of {@code active/} at commit covers the spare
 * name's removal together with the new name.
 *
 * <p>Thread-safe. Directories are created with mode 0700, files with 0600.
 */
public final class MailQueue implements AutoCloseable {

    public static final String INCOMING = "incoming";
    public static final String ACTIVE = "active";
    public static final String DEFERRED = "deferred";
    public static final String HOLD = "hold";
    public static final String CORRUPT = "corrupt";
    public static final List<String> QUEUES = List.of(INCOMING, ACTIVE, DEFERRED, HOLD, CORRUPT);
    /** Where earlier builds kept recycled files; emptied and removed at start-up. */
    private static final String OLD_FREE = "free";
    /** The name prefix of recycled files in {@code active/} (see the class comment). */
    static final String SPARE_PREFIX = ".spare-";
    /** Spare files kept: about the messages in flight under load; more are unlinked. */
    static final int SPARE_MAX = 256;
    /** Extra spares older than this are unlinked at start-up (see {@link #adoptSpares}). */
    private static final long SPARE_STALE_MILLIS = 3_600_000L;

    private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    /** In-memory content budget between cleanup and delivery. */
    private static final long CACHE_BYTES = 64L * 1024 * 1024;

    private static final MailLog LOG = MailLog.of("qmgr");

    private final Path directory;
    private final Path activeDir;
    private final QueueIds ids = new QueueIds();
    private final GroupCommitter committer;
    private final ContentCache cache = new ContentCache(CACHE_BYTES);
    private final Set<String> open = ConcurrentHashMap.newKeySet();
    /** Spare names in {@code active/}, ready for reuse. */
    private final ConcurrentLinkedQueue<String> spares = new ConcurrentLinkedQueue<>();
    private final AtomicInteger spareCount = new AtomicInteger();
    private volatile Consumer<QueuedMessage> listener = QueuedMessage::releaseContent;

    private MailQueue(Path directory) {
        this.directory = directory;
        this.activeDir = directory.resolve(ACTIVE);
        this.committer = new GroupCommitter("queue-sync");
    }

    /** Opens (creating when needed) the queue at main.cf's {@code queue_directory}. */
    public static MailQueue open(MainConfig config) throws IOException {
        return open(Path.of(config.get("queue_directory")));
    }

    /** Opens (creating when needed) the queue rooted at {@code directory}. */
    public static MailQueue open(Path directory) throws IOException {
        Files.createDirectories(directory);
        for (String q : QUEUES) {
            Path d = directory.resolve(q);
            if (!Files.isDirectory(d)) {
                try {
                    Files.createDirectory(d, PosixFilePermissions.asFileAttribute(DIR_MODE));
                } catch (FileAlreadyExistsException raced) {
                    // another opener made it
                }
            }
            Files.setPosixFilePermissions(d, DIR_MODE);
        }
        MailQueue q = new MailQueue(directory);
        for (String name : List.of(ACTIVE, DEFERRED, HOLD, CORRUPT)) {
            for (String id : q.list(name)) {
                q.ids.observe(id);
            }
        }
        q.adoptSpares();
        return q;
    }

    public Path directory() {
        return directory;
    }

    public Path path(String queueName, String id) {
        return directory.resolve(queueName).resolve(id);
    }

    /** Who is told about every committed message (the queue manager). */
    public void setListener(Consumer<QueuedMessage> listener) {
        this.listener = listener == null ? QueuedMessage::releaseContent : listener;
    }

    /**
     * Creates a new queue file in {@code incoming/} under a fresh queue id. The caller must
     * {@link #commit} or {@link QueueFileWriter#discard} it.
     */
    public QueueFileWriter create(Instant arrival, String sender) throws IOException {
        for (int attempt = 0; ; attempt++) {
            String id = ids.next();
            QueueFileWriter spare = reuseSpare(id, arrival, sender);
            if (spare != null) {
                return spare;
            }
            Path p = path(INCOMING, id);
            try {
                FileChannel ch = FileChannel.open(p, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                        PosixFilePermissions.asFileAttribute(FILE_MODE));
                open.add(id);
                return new QueueFileWriter(this, id, p, ch, -1, arrival, sender);
            } catch (FileAlreadyExistsException e) {
                if (attempt > 10) {
                    throw e;
                }
            }
        }
    }

    /**
     * Makes the message durable in {@code active/} and hands it to the listener. Returns only
     * when the file data and the directory entry are on disk.
     */
    public QueuedMessage commit(QueueFileWriter writer) throws IOException {
        return commit(writer, ACTIVE, null);
    }

    /** As {@link #commit(QueueFileWriter)}; {@code whenDurable} (may be null) runs before the listener. */
    public QueuedMessage commit(QueueFileWriter writer, Runnable whenDurable) throws IOException {
        return commit(writer, ACTIVE, whenDurable);
    }

    /**
     * As {@link #commit(QueueFileWriter)}, into {@code hold/}: durable, but not handed to the
     * listener (header_checks HOLD; {@code postsuper -H} releases it).
     */
    public QueuedMessage commitHeld(QueueFileWriter writer) throws IOException {
        return commit(writer, HOLD, null);
    }

    private QueuedMessage commit(QueueFileWriter writer, String queueName, Runnable whenDurable) throws IOException {
        QueuedMessage m = null;
        Path target = path(queueName, writer.id());
        boolean renamed = false;
        try {
            m = writer.finish();
            if (Files.exists(target)) {
                // Never replace a queued message; QueueIds makes this unreachable short of a broken clock.
                throw new FileAlreadyExistsException(target.toString());
            }
            Files.move(writer.path(), target, StandardCopyOption.ATOMIC_MOVE);
            renamed = true;
            m.setQueueName(queueName);
            committer.sync(directory.resolve(queueName));
        } catch (IOException | RuntimeException e) {
            if (m != null) {
                m.releaseContent();
            }
            try {
                // The client hears 4xx and will retry: the file must not be delivered as well.
                Files.deleteIfExists(renamed ? target : writer.path());
            } catch (IOException ignored) {
                // an incoming/ leftover is removed at next start-up
            }
            throw e;
        } finally {
            open.remove(writer.id());
        }
        try {
            if (whenDurable != null) {
                whenDurable.run();
            }
        } finally {
            if (queueName.equals(ACTIVE)) {
                listener.accept(m);
            } else {
                m.releaseContent();
            }
        }
        return m;
    }

    /** True while a cleanup session of this process is writing {@code incoming/id}. */
    public boolean isOpen(String id) {
        return open.contains(id);
    }

    void closed(String id) {
        open.remove(id);
    }

    /** Queue ids in one queue directory (names that are not queue ids are skipped). */
    public List<String> list(String queueName) throws IOException {
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(directory.resolve(queueName))) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (QueueIds.isQueueId(name)) {
                    out.add(name);
                }
            }
        } catch (NoSuchFileException e) {
            return Collections.emptyList();
        }
        Collections.sort(out);
        return out;
    }

    /** Reads and verifies one queue file. */
    public QueuedMessage read(String queueName, String id) throws IOException, CorruptQueueFileException {
        return QueueFileReader.read(this, queueName, id, path(queueName, id));
    }

    /**
     * Appends status records (done marks, deferral reasons) to the message's file and makes
     * them durable (fdatasync) before returning; then updates the in-memory recipients.
     */
    public void appendStatus(QueuedMessage m, QueueFile.StatusBatch batch) throws IOException {
        if (batch.isEmpty()) {
            return;
        }
        try (FileChannel ch = FileChannel.open(m.path(), StandardOpenOption.WRITE)) {
            ByteBuffer bb = batch.bytes().asBuffer();
            long pos = ch.size();
            while (bb.hasRemaining()) {
                pos += ch.write(bb, pos);
            }
            ch.force(false);
        }
        batch.applyInMemory();
    }

    /**
     * Removes the message's file from the queue: a file in {@code active/} of a message
     * written in one piece (up to 256 KB) becomes a spare there while there is room, so spares
     * never hold more than about {@code SPARE_MAX} × 256 KB; others are unlinked (no directory
     * fsync either way: see the class comment).
     */
    public void remove(QueuedMessage m) throws IOException {
        m.releaseContent();
        if (ACTIVE.equals(m.queueName()) && m.contentSize() <= QueueFileWriter.STREAM_THRESHOLD && takeSpareSlot()) {
            String name = SPARE_PREFIX + m.id();
            try {
                Files.move(m.path(), activeDir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
                spares.add(name);
                return;
            } catch (NoSuchFileException gone) {
                spareCount.decrementAndGet();
                return;
            } catch (IOException e) {
                spareCount.decrementAndGet(); // unlink instead
            }
        }
        Files.deleteIfExists(m.path());
    }

    /** Counts one more spare; false (and nothing counted) when the pool is full. */
    private boolean takeSpareSlot() {
        if (spareCount.incrementAndGet() <= SPARE_MAX) {
            return true;
        }
        spareCount.decrementAndGet();
        return false;
    }

    /**
     * A writer for a spare file, overwritten where it lies under its spare name; null when there
     * is none (or it vanished), and the caller creates a new file.
     */
    private QueueFileWriter reuseSpare(String id, Instant arrival, String sender) {
        String name;
        while ((name = spares.poll()) != null) {
            spareCount.decrementAndGet();
            Path p = activeDir.resolve(name);
            FileChannel ch = null;
            try {
                ch = FileChannel.open(p, StandardOpenOption.WRITE);
                long size = ch.size();
                open.add(id);
                return new QueueFileWriter(this, id, p, ch, size, arrival, sender);
            } catch (IOException e) {
                // removed by hand: try the next
                if (ch != null) {
                    try {
                        ch.close();
                    } catch (IOException ignored) {
                        // nothing to save
                    }
                }
            }
        }
        return null;
    }

    /**
     * Drops the file of a writer that was never committed: a spare goes back to the pool (its
     * content is garbage either way), a file in {@code incoming/} is deleted.
     */
    void dropUncommitted(Path file) {
        String name = file.getFileName().toString();
        if (name.startsWith(SPARE_PREFIX) && file.startsWith(activeDir) && takeSpareSlot()) {
            spares.add(name);
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // an incoming/ leftover is removed at the next start-up
        }
    }

    /**
     * Takes over the spares a previous run left in {@code active/}, and empties and removes the
     * {@code free/} directory of older versions. Spares beyond {@link #SPARE_MAX} are unlinked
     * only when they are old: a queue tool (mailq) opens the queue while the daemon runs, and
     * the daemon's writers are then overwriting spares of their own.
     */
    private void adoptSpares() throws IOException {
        long staleBefore = System.currentTimeMillis() - SPARE_STALE_MILLIS;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(activeDir, SPARE_PREFIX + "*")) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                boolean valid = QueueIds.isQueueId(name.substring(SPARE_PREFIX.length()))
                        && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS);
                if (valid && spareCount.get() < SPARE_MAX) {
                    spares.add(name);
                    spareCount.incrementAndGet();
                } else if (!valid || lastModifiedMillis(p) < staleBefore) {
                    Files.deleteIfExists(p);
                }
            }
        }
        Path old = directory.resolve(OLD_FREE);
        if (Files.isDirectory(old, LinkOption.NOFOLLOW_LINKS)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(old)) {
                for (Path p : ds) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(old);
        }
    }

    private static long lastModifiedMillis(Path p) {
        try {
            return Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toMillis();
        } catch (IOException e) {
            return Long.MAX_VALUE; // gone meanwhile: nothing to delete
        }
    }

    /**
     * Moves a message to another queue (no fsync: losing this rename in a crash only means
     * the message is found where it was, which recovery handles).
     */
    public void move(QueuedMessage m, String toQueue) throws IOException {
        Files.move(m.path(), path(toQueue, m.id()), StandardCopyOption.ATOMIC_MOVE);
        m.setQueueName(toQueue);
    }

    /** Moves a file by id without reading it. */
    public void move(String fromQueue, String id, String toQueue) throws IOException {
        Files.move(path(fromQueue, id), path(toQueue, id), StandardCopyOption.ATOMIC_MOVE);
    }

    /** Records the time of the next delivery attempt as the file's mtime (Postfix's convention). */
    public void setNextAttempt(QueuedMessage m, Instant when) throws IOException {
        Files.setLastModifiedTime(m.path(), FileTime.from(when));
    }

    /** The time of the next delivery attempt of a deferred message (its mtime). */
    public Instant nextAttempt(String queueName, String id) throws IOException {
        return Files.getLastModifiedTime(path(queueName, id)).toInstant();
    }

    /** Moves an unreadable file to {@code corrupt/} with Postfix's warning. */
    public void saveCorrupt(String queueName, String id) {
        try {
            Files.move(path(queueName, id), path(CORRUPT, id), StandardCopyOption.REPLACE_EXISTING);
            LOG.warn("saving corrupt file \"" + id + "\" from queue \"" + queueName + "\" to queue \"" + CORRUPT + "\"");
        } catch (NoSuchFileException gone) {
            // already moved or removed
        } catch (IOException e) {
            LOG.error("save corrupt file queue " + queueName + " id " + id + ": " + e.getMessage());
        }
    }

    /** Deletes a file that was never committed. */
    public void deleteIncoming(String id) throws IOException {
        Files.deleteIfExists(path(INCOMING, id));
    }

    /** Directory fsyncs and the requests they served: requests / fsyncs = average group size. */
    public long[] syncStatistics() {
        return new long[] {committer.batches(), committer.requests()};
    }

    ContentCache cache() {
        return cache;
    }

    /** Stops the committer thread; commits after this fail. */
    @Override
    public void close() {
        committer.close();
    }
}
