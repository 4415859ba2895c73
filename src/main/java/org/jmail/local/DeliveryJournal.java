package org.jmail.local;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;
import org.jmail.log.MailLog;

/**
 * local(8)'s crash-recovery journal, the piece that makes mailbox delivery exactly-once.
 *
 * <p>Before appending to a mailbox, the agent records here which copies it is about to write
 * (queue id, recipient index, mbox path, offset, length and CRC of each copy, and the From_
 * time). The record is written with pwrite(2) but not synced: it protects against the
 * failure the journal is for, a daemon killed (SIGKILL, OOM, crash) mid-delivery, for which
 * the page cache is as good as the disk. After a power loss or kernel crash a record may be
 * missing; the recovered delivery is then appended again (at-least-once, which is what
 * Postfix promises in every case). The record stays until qmgr has made the outcome durable
 * ({@code afterCommit}). After a crash, a request marked {@code recovered} finds the record and
 * compares it with the mailbox: copies already there are reported delivered without a second
 * append; a half-written copy at the end is truncated and written again. Forwarding via
 * cleanup is recorded after the new queue file is committed, so a recovered request does not
 * forward twice.
 *
 * <p>Storage: a directory of fixed "slot" files (one record each, overwritten in place), so a
 * record costs one pwrite and no directory update; slots are reused once
 * released. Slot files are created, and the directory synced, only when more deliveries run
 * in parallel than ever before. At start-up, records younger than {@code maxAge} are loaded
 * for recovery; older ones (their queue files are long gone) are dropped. Thread-safe.
 */
final class DeliveryJournal {

    private static final MailLog LOG = MailLog.of("local");
    private static final int MAGIC = 0x4a4d4c31; // "JML1"

    /** One copy in a record, identified by recipient index and ordinal within that recipient. */
    record Entry(int recipient, int seq, int length, int crc) {
    }

    /**
     * @param kind "mbox" or "fwd"
     * @param path the mailbox (empty for forwarding)
     * @param offset where the first copy starts
     * @param time From_ line time, epoch seconds (so a recovered delivery rebuilds identical bytes)
     * @param forwardId the queue id cleanup gave a forwarded message
     */
    record Record(String queueId, String kind, String path, long offset, long time, List<Entry> entries,
                  String forwardId) {
    }

    /** A slot file holding at most one record. */
    static final class Slot {
        private final Path file;
        private final FileChannel channel;
        private volatile Record record;

        private Slot(Path file, FileChannel channel) {
            this.file = file;
            this.channel = channel;
        }

        Record record() {
            return record;
        }
    }

    private final Path dir;
    private final ConcurrentLinkedQueue<Slot> free = new ConcurrentLinkedQueue<>();
    private final Map<String, List<Slot>> recovered = new HashMap<>();
    private final AtomicInteger nextSlot = new AtomicInteger();

    /** One journal per directory per process: agents rebuilt on reload share it. */
    private static final Map<Path, DeliveryJournal> OPEN = new HashMap<>();

    /**
     * The journal in {@code dir} (created, mode 0700, inside an existing queue directory).
     * The first call in a process loads the previous run's records for recovery; later calls
     * (an agent rebuilt by a reload) return the same instance.
     */
    static synchronized DeliveryJournal open(Path dir, Duration maxAge) throws IOException {
        Path key = dir.toAbsolutePath().normalize();
        DeliveryJournal j = OPEN.get(key);
        if (j == null) {
            j = new DeliveryJournal(key, maxAge);
            OPEN.put(key, j);
        }
        return j;
    }

    /** Tests: forget open journals, as a restarted process would. */
    static synchronized void simulateRestart() {
        for (DeliveryJournal j : OPEN.values()) {
            j.close();
        }
        OPEN.clear();
    }

    DeliveryJournal(Path dir, Duration maxAge) throws IOException {
        this.dir = dir;
        if (!Files.isDirectory(dir)) {
            // not createDirectories: the queue directory itself is the queue manager's to make
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        long oldest = System.currentTimeMillis() / 1000 - maxAge.toSeconds();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "slot-*")) {
            for (Path p : ds) {
                int n = slotNumber(p);
                if (n < 0) {
                    continue;
                }
                nextSlot.accumulateAndGet(n + 1, Math::max);
                FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE);
                Slot slot = new Slot(p, ch);
                Record r = read(ch);
                if (r != null && r.time() >= oldest) {
                    slot.record = r;
                    recovered.computeIfAbsent(r.queueId(), k -> new ArrayList<>()).add(slot);
                } else {
                    if (r != null) {
                        clear(slot);
                    }
                    free.add(slot);
                }
            }
        }
    }

    private static int slotNumber(Path p) {
        try {
            return Integer.parseInt(p.getFileName().toString().substring(5));
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /**
     * Takes a free slot (creating a slot file if none is free). Call with the daemon's own
     * identity: writing into an acquired slot later works whatever the thread's identity, as
     * the file is already open.
     */
    Slot acquire() throws IOException {
        Slot slot = free.poll();
        return slot != null ? slot : newSlot();
    }

    /**
     * Writes {@code r} into {@code slot} (into the page cache: it survives the death of this
     * process, see the class comment); the caller releases the slot after commit.
     */
    void write(Slot slot, Record r) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(encode(r));
        int pos = 0;
        while (b.hasRemaining()) {
            pos += slot.channel.write(b, pos);
        }
        slot.record = r;
    }

    /** {@link #acquire} and {@link #write} in one. */
    Slot write(Record r) throws IOException {
        Slot slot = acquire();
        try {
            write(slot, r);
            return slot;
        } catch (IOException e) {
            release(slot);
            throw e;
        }
    }

    /** Forgets a slot's record (no sync needed: a stale record only costs a recovery check). */
    void release(Slot slot) {
        if (slot.record != null) {
            try {
                clear(slot);
            } catch (IOException e) {
                LOG.warn("cannot clear delivery journal " + slot.file + ": " + e.getMessage());
            }
            slot.record = null;
        }
        free.add(slot);
    }

    /** Records of queue file {@code queueId} left by a previous run. */
    synchronized List<Record> recovered(String queueId) {
        List<Slot> slots = recovered.get(queueId);
        if (slots == null) {
            return List.of();
        }
        List<Record> out = new ArrayList<>();
        for (Slot s : slots) {
            if (s.record != null) {
                out.add(s.record);
            }
        }
        return out;
    }

    /**
     * Drops previous-run records of {@code queueId} that only concern the given recipients
     * (their outcomes are now durable in the queue).
     */
    synchronized void releaseRecovered(String queueId, Set<Integer> recipients) {
        List<Slot> slots = recovered.get(queueId);
        if (slots == null) {
            return;
        }
        slots.removeIf(s -> {
            Record r = s.record;
            if (r == null || r.entries().stream().allMatch(e -> recipients.contains(e.recipient()))) {
                release(s);
                return true;
            }
            return false;
        });
        if (slots.isEmpty()) {
            recovered.remove(queueId);
        }
    }

    private Slot newSlot() throws IOException {
        while (true) {
            Path p = dir.resolve("slot-" + nextSlot.getAndIncrement());
            try {
                FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                        StandardOpenOption.WRITE);
                // the new directory entry must survive a crash along with the record in it
                try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                    d.force(true);
                }
                return new Slot(p, ch);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // a slot number used by a file we skipped: take the next one
            }
        }
    }

    private static void clear(Slot slot) throws IOException {
        slot.channel.write(ByteBuffer.wrap(new byte[8]), 0);
    }

    static byte[] encode(Record r) {
        try {
            ByteArrayOutputStream bo = new ByteArrayOutputStream(256);
            DataOutputStream out = new DataOutputStream(bo);
            out.writeInt(MAGIC);
            out.writeInt(0); // body length, patched below
            out.writeUTF(r.queueId());
            out.writeUTF(r.kind());
            out.writeUTF(r.path());
            out.writeLong(r.offset());
            out.writeLong(r.time());
            out.writeUTF(r.forwardId() == null ? "" : r.forwardId());
            out.writeInt(r.entries().size());
            for (Entry e : r.entries()) {
                out.writeInt(e.recipient());
                out.writeInt(e.seq());
                out.writeInt(e.length());
                out.writeInt(e.crc());
            }
            out.flush();
            byte[] b = bo.toByteArray();
            int bodyLen = b.length - 8;
            ByteBuffer.wrap(b).putInt(4, bodyLen);
            CRC32 crc = new CRC32();
            crc.update(b, 0, b.length);
            byte[] full = new byte[b.length + 4];
            System.arraycopy(b, 0, full, 0, b.length);
            ByteBuffer.wrap(full).putInt(b.length, (int) crc.getValue());
            return full;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The record in a slot, or null (empty, torn or foreign). */
    static Record read(FileChannel ch) {
        try {
            ByteBuffer head = ByteBuffer.allocate(8);
            if (ch.read(head, 0) != 8 || head.getInt(0) != MAGIC) {
                return null;
            }
            int bodyLen = head.getInt(4);
            if (bodyLen <= 0 || bodyLen > 1 << 20) {
                return null;
            }
            ByteBuffer all = ByteBuffer.allocate(8 + bodyLen + 4);
            int n = 0;
            while (all.hasRemaining()) {
                int r = ch.read(all, n);
                if (r < 0) {
                    return null;
                }
                n += r;
            }
            byte[] b = all.array();
            CRC32 crc = new CRC32();
            crc.update(b, 0, 8 + bodyLen);
            if ((int) crc.getValue() != ByteBuffer.wrap(b).getInt(8 + bodyLen)) {
                return null;
            }
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(b, 8, bodyLen));
            String queueId = in.readUTF();
            String kind = in.readUTF();
            String path = in.readUTF();
            long offset = in.readLong();
            long time = in.readLong();
            String fwd = in.readUTF();
            int count = in.readInt();
            List<Entry> entries = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                entries.add(new Entry(in.readInt(), in.readInt(), in.readInt(), in.readInt()));
            }
            return new Record(queueId, kind, path, offset, time, List.copyOf(entries), fwd.isEmpty() ? null : fwd);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Closes the slot files (tests; the daemon keeps them open for its lifetime). */
    void close() {
        for (Slot s : free) {
            try {
                s.channel.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }
}
