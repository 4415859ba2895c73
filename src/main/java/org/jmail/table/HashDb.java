package org.jmail.table;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;

/**
 * jmail's compiled table format (the {@code .db} that postmap/postalias write), read through a
 * read-only memory map: a lookup hashes the key, probes an open-addressing slot table and
 * compares one or two keys in place; nothing is loaded into a heap map.
 *
 * <pre>
 * offset 0   "JMAILDB1"                 magic
 *        8   int   flags                FLAG_FOLD: keys were folded to lower case (no -f)
 *                                       FLAG_ALIASES: built by postalias from aliases(5) syntax
 *        12  int   hash version (1)
 *        16  long  entry count
 *        24  long  slot count           a power of two, at least twice the entry count
 *        32  long  slot table offset
 *        40  long  data offset (64)
 *        48  long  data end
 *        56  long  file length          a truncated file is refused
 *        64  records: int keyLength, int valueLength, key bytes, value bytes (UTF-8), in source order
 *        ... slot table: one long per slot, 0 = empty, else (hash >>> 40) << 40 | record offset
 * </pre>
 * Multi-byte numbers are big-endian. The file is immutable once written (writers replace it by
 * rename), so a mapping stays consistent for as long as it is held.
 *
 * <p>Failure modes: {@link #open} throws {@link java.nio.file.NoSuchFileException} when the file
 * is missing, {@link ForeignFormatException} when it is not ours (e.g. a Berkeley DB left by
 * Postfix), and a plain IOException when it is ours but damaged.
 */
final class HashDb {

    static final byte[] MAGIC = "JMAILDB1".getBytes(StandardCharsets.US_ASCII);
    static final int FLAG_FOLD = 1;
    static final int FLAG_ALIASES = 2;
    static final int HASH_VERSION = 1;
    static final int HEADER_SIZE = 64;
    static final long OFFSET_MASK = (1L << 40) - 1;

    /** The file exists but is not in jmail's format. */
    static final class ForeignFormatException extends IOException {
        private static final long serialVersionUID = 1L;

        ForeignFormatException(String message) {
            super(message);
        }
    }

    /** Visits records in file order. */
    interface Visitor {
        void entry(String key, String value) throws IOException;
    }

    private final Path path;
    private final MappedByteBuffer buf;
    private final int flags;
    private final long entries;
    private final int slotMask;
    private final int slotOffset;
    private final int dataOffset;
    private final int dataEnd;

    private HashDb(Path path, MappedByteBuffer buf, int flags, long entries, int slotMask, int slotOffset,
            int dataOffset, int dataEnd) {
        this.path = path;
        this.buf = buf;
        this.flags = flags;
        this.entries = entries;
        this.slotMask = slotMask;
        this.slotOffset = slotOffset;
        this.dataOffset = dataOffset;
        this.dataEnd = dataEnd;
    }

    /** Maps a compiled file; see the class comment for the failure modes. */
    static HashDb open(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < HEADER_SIZE) {
                if (size >= MAGIC.length && startsWithMagic(ch)) {
                    throw new IOException("database " + path + " is truncated");
                }
                throw new ForeignFormatException("database " + path + " is not in jmail format");
            }
            if (size > Integer.MAX_VALUE) {
                throw new IOException("database " + path + " is too large (" + size + " bytes)");
            }
            MappedByteBuffer buf = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
            buf.order(ByteOrder.BIG_ENDIAN);
            for (int i = 0; i < MAGIC.length; i++) {
                if (buf.get(i) != MAGIC[i]) {
                    throw new ForeignFormatException("database " + path + " is not in jmail format");
                }
            }
            int flags = buf.getInt(8);
            int version = buf.getInt(12);
            long entries = buf.getLong(16);
            long slots = buf.getLong(24);
            long slotOffset = buf.getLong(32);
            long dataOffset = buf.getLong(40);
            long dataEnd = buf.getLong(48);
            long length = buf.getLong(56);
            if (version != HASH_VERSION || length != size || slots <= 0 || Long.bitCount(slots) != 1
                    || slots > Integer.MAX_VALUE / 8 || slotOffset + slots * 8 > size || dataOffset < HEADER_SIZE
                    || dataEnd > slotOffset || dataOffset > dataEnd || entries < 0 || entries > slots) {
                throw new IOException("database " + path + " is corrupt");
            }
            return new HashDb(path, buf, flags, entries, (int) slots - 1, (int) slotOffset, (int) dataOffset,
                    (int) dataEnd);
        }
    }

    private static boolean startsWithMagic(FileChannel ch) throws IOException {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(MAGIC.length);
        ch.read(b, 0);
        return Arrays.equals(b.array(), MAGIC);
    }

    Path path() {
        return path;
    }

    boolean folded() {
        return (flags & FLAG_FOLD) != 0;
    }

    boolean aliases() {
        return (flags & FLAG_ALIASES) != 0;
    }

    long size() {
        return entries;
    }

    int flags() {
        return flags;
    }

    /** The value for {@code key} (folded first when the table was built folded), or null. */
    String find(String key) throws IOException {
        if (folded()) {
            key = fold(key);
        }
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        long h = hash(k);
        long tag = h >>> 40;
        int i = (int) h & slotMask;
        try {
            for (int probes = 0; probes <= slotMask; probes++) {
                long slot = buf.getLong(slotOffset + (i << 3));
                if (slot == 0) {
                    return null;
                }
                if ((slot >>> 40) == tag) {
                    int off = (int) (slot & OFFSET_MASK);
                    int klen = buf.getInt(off);
                    if (klen == k.length && sameBytes(off + 8, k)) {
                        int vlen = buf.getInt(off + 4);
                        byte[] v = new byte[vlen];
                        buf.get(off + 8 + klen, v, 0, vlen);
                        return new String(v, StandardCharsets.UTF_8);
                    }
                }
                i = (i + 1) & slotMask;
            }
            return null;
        } catch (IndexOutOfBoundsException | InternalError e) {
            // InternalError: the mapped file was truncated under us (a tool that writes in place).
            throw new IOException("database " + path + " is corrupt", e);
        }
    }

    private boolean sameBytes(int off, byte[] k) {
        for (int j = 0; j < k.length; j++) {
            if (buf.get(off + j) != k[j]) {
                return false;
            }
        }
        return true;
    }

    /** Every record in file (source) order. */
    void forEach(Visitor visitor) throws IOException {
        int off = dataOffset;
        try {
            while (off < dataEnd) {
                int klen = buf.getInt(off);
                int vlen = buf.getInt(off + 4);
                byte[] k = new byte[klen];
                byte[] v = new byte[vlen];
                buf.get(off + 8, k, 0, klen);
                buf.get(off + 8 + klen, v, 0, vlen);
                visitor.entry(new String(k, StandardCharsets.UTF_8), new String(v, StandardCharsets.UTF_8));
                off += 8 + klen + vlen;
            }
        } catch (IndexOutOfBoundsException | InternalError e) {
            throw new IOException("database " + path + " is corrupt", e);
        }
    }

    /** Postfix's key folding: lower case (ASCII fast path, no allocation when already lower case). */
    static String fold(String key) {
        int n = key.length();
        for (int i = 0; i < n; i++) {
            char c = key.charAt(i);
            if ((c >= 'A' && c <= 'Z') || c >= 0x80) {
                return key.toLowerCase(Locale.ROOT);
            }
        }
        return key;
    }

    /** FNV-1a over the key bytes, finished with a 64-bit mixer so low and high bits are both usable. */
    static long hash(byte[] k) {
        long h = 0xcbf29ce484222325L;
        for (byte b : k) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
