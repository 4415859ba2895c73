package org.jmail.table;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Builds a {@link HashDb} file: entries are added in source order, duplicates are resolved by
 * the {@link DuplicatePolicy}, and {@link #write} produces the file atomically — a temporary
 * file in the same directory is written, fsync'd, given the source's ownership and mode, and
 * renamed over the old file, then the directory is fsync'd. A reader therefore sees the old
 * table or the new one, never a half-written one, and a failed build leaves no temp file.
 *
 * <p>Keys are folded to lower case unless built with {@code -f} (the choice is recorded in the
 * header so lookups fold the same way).
 */
final class HashDbWriter {

    private final boolean fold;
    private final boolean aliases;
    private final DuplicatePolicy duplicates;
    private final Diagnostics diag;
    private final String dbName;

    // Entries live in one byte arena (key bytes then value bytes) rather than two small arrays
    // each: a million-entry build then makes a handful of large objects, not two million.
    private byte[] arena = new byte[1 << 16];
    private int arenaUsed;
    private int[] offsets = new int[1024];
    private int[] keyLengths = new int[1024];
    private int[] valueLengths = new int[1024];
    private long[] hashes = new long[1024];
    private int count;

    /**
     * @param fold       fold keys to lower case (postmap without -f)
     * @param aliases    mark the file as built from aliases(5) syntax
     * @param duplicates what to do with a repeated key
     * @param diag       where "duplicate entry" warnings go (may be null)
     * @param dbName     the compiled file's name, which those warnings start with as Postfix's
     *                   do ({@code /etc/x.db: duplicate entry: "key"}, no source line)
     */
    HashDbWriter(boolean fold, boolean aliases, DuplicatePolicy duplicates, Diagnostics diag, String dbName) {
        this.fold = fold;
        this.aliases = aliases;
        this.duplicates = duplicates;
        this.diag = diag;
        this.dbName = dbName;
    }

    /** Adds one entry. */
    void add(String key, String value) throws IOException {
        if (count == offsets.length) {
            int n = count * 2;
            offsets = Arrays.copyOf(offsets, n);
            keyLengths = Arrays.copyOf(keyLengths, n);
            valueLengths = Arrays.copyOf(valueLengths, n);
            hashes = Arrays.copyOf(hashes, n);
        }
        byte[] k = (fold ? HashDb.fold(key) : key).getBytes(StandardCharsets.UTF_8);
        byte[] v = value.getBytes(StandardCharsets.UTF_8);
        long need = (long) arenaUsed + k.length + v.length;
        if (need > arena.length) {
            if (need > Integer.MAX_VALUE - 16) {
                throw new IOException("table is too large: more than 2 GB of keys and values");
            }
            arena = Arrays.copyOf(arena, (int) Math.min(Integer.MAX_VALUE - 16, Math.max(need, arena.length * 2L)));
        }
        offsets[count] = arenaUsed;
        System.arraycopy(k, 0, arena, arenaUsed, k.length);
        System.arraycopy(v, 0, arena, arenaUsed + k.length, v.length);
        arenaUsed += k.length + v.length;
        keyLengths[count] = k.length;
        valueLengths[count] = v.length;
        hashes[count] = HashDb.hash(k);
        count++;
    }

    private boolean sameKey(int a, byte[] k) {
        return Arrays.equals(arena, offsets[a], offsets[a] + keyLengths[a], k, 0, k.length);
    }

    private boolean sameKey(int a, int b) {
        return Arrays.equals(arena, offsets[a], offsets[a] + keyLengths[a], arena, offsets[b], offsets[b] + keyLengths[b]);
    }

    private String keyText(int e) {
        return new String(arena, offsets[e], keyLengths[e], StandardCharsets.UTF_8);
    }

    /** Removes every entry whose key equals {@code key} (after folding); true when one was there. */
    boolean remove(String key) {
        byte[] k = (fold ? HashDb.fold(key) : key).getBytes(StandardCharsets.UTF_8);
        boolean found = false;
        int w = 0;
        for (int r = 0; r < count; r++) {
            if (sameKey(r, k)) {
                found = true;
                continue;
            }
            offsets[w] = offsets[r];
            keyLengths[w] = keyLengths[r];
            valueLengths[w] = valueLengths[r];
            hashes[w] = hashes[r];
            w++;
        }
        count = w;
        return found;
    }

    int count() {
        return count;
    }

    /** Writes the table to {@code db} atomically, owned like {@code owner} (null: process defaults). */
    void write(Path db, FileOwnership owner) throws IOException {
        // Resolve duplicates with a temporary slot table of entry indexes.
        long slotCount = 16;
        while (slotCount < 2L * count) {
            slotCount <<= 1;
        }
        if (slotCount > (1 << 28)) {
            throw new IOException("table " + db + " is too large: " + count + " entries");
        }
        int mask = (int) slotCount - 1;
        int[] slotEntry = new int[(int) slotCount]; // entry index + 1
        boolean[] dropped = new boolean[count];
        int live = 0;
        for (int e = 0; e < count; e++) {
            int i = (int) hashes[e] & mask;
            while (true) {
                int s = slotEntry[i];
                if (s == 0) {
                    slotEntry[i] = e + 1;
                    live++;
                    break;
                }
                int o = s - 1;
                if (hashes[o] == hashes[e] && sameKey(o, e)) {
                    if (duplicates == DuplicatePolicy.REPLACE) {
                        dropped[o] = true;
                        slotEntry[i] = e + 1;
                    } else {
                        dropped[e] = true;
                        if (duplicates == DuplicatePolicy.WARN && diag != null) {
                            diag.warnFile(dbName, "duplicate entry: \"" + keyText(e) + "\"");
                        }
                    }
                    break;
                }
                i = (i + 1) & mask;
            }
        }

        Path dir = db.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, "." + db.getFileName() + ".", ".tmp");
        boolean done = false;
        try {
            long[] fileOffsets = new long[count];
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer out = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.BIG_ENDIAN);
                long pos = HashDb.HEADER_SIZE;
                ch.position(pos);
                for (int e = 0; e < count; e++) {
                    if (dropped[e]) {
                        continue;
                    }
                    int kl = keyLengths[e];
                    int vl = valueLengths[e];
                    fileOffsets[e] = pos;
                    int len = 8 + kl + vl;
                    if (out.remaining() < len) {
                        drain(ch, out);
                        if (out.capacity() < len) {
                            out = ByteBuffer.allocate(len).order(ByteOrder.BIG_ENDIAN);
                        }
                    }
                    out.putInt(kl).putInt(vl).put(arena, offsets[e], kl + vl);
                    pos += len;
                }
                long dataEnd = pos;
                if (pos + slotCount * 8 > HashDb.OFFSET_MASK || pos + slotCount * 8 > Integer.MAX_VALUE) {
                    throw new IOException("table " + db + " is too large");
                }
                for (int s = 0; s <= mask; s++) {
                    if (out.remaining() < 8) {
                        drain(ch, out);
                    }
                    int ent = slotEntry[s];
                    out.putLong(ent == 0 ? 0L : ((hashes[ent - 1] >>> 40) << 40) | fileOffsets[ent - 1]);
                }
                drain(ch, out);
                long length = dataEnd + slotCount * 8;
                ByteBuffer header = ByteBuffer.allocate(HashDb.HEADER_SIZE).order(ByteOrder.BIG_ENDIAN);
                header.put(HashDb.MAGIC)
                        .putInt((fold ? HashDb.FLAG_FOLD : 0) | (aliases ? HashDb.FLAG_ALIASES : 0))
                        .putInt(HashDb.HASH_VERSION)
                        .putLong(live)
                        .putLong(slotCount)
                        .putLong(dataEnd)
                        .putLong(HashDb.HEADER_SIZE)
                        .putLong(dataEnd)
                        .putLong(length);
                header.flip();
                while (header.hasRemaining()) {
                    ch.write(header, header.position()); // the header starts at file offset 0
                }
                ch.force(true);
            }
            if (owner != null) {
                owner.applyTo(tmp);
            }
            try {
                Files.move(tmp, db, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("rename " + tmp + " to " + db + ": " + e.getMessage(), e);
            }
            done = true;
            fsyncDirectory(dir);
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    private static void drain(FileChannel ch, ByteBuffer out) throws IOException {
        out.flip();
        while (out.hasRemaining()) {
            ch.write(out);
        }
        out.clear();
    }

    static void fsyncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // Some file systems refuse fsync on a directory; the rename itself is done.
        }
    }
}
