package org.jmail.store.mbox;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * jmail's per-mailbox index ({@code jmail.index} in Dovecot's index directory, beside but
 * never touching Dovecot's own {@code dovecot.index*} files): everything SELECT needs, so an
 * unchanged mbox is never read on open.
 *
 * <p>Format (big-endian), version 1:
 * <pre>
 * "JMBXIDX1"                              magic
 * long dev, ino, size, mtimeNanos         the mbox this describes (FileStamp)
 * long uidValidity, nextUid, uidLastInFile, pseudoEnd
 * byte imapBaseInFile
 * int  nKeywords, then per keyword: short len + UTF-8 bytes  (the mailbox's keyword list)
 * int  nFileKeywords, same form           (X-IMAPbase's keyword list as on disk)
 * int  nMessages, then per message 70+ bytes:
 *      long fromOff, hdrOff, bodyOff, bodyEnd, nextOff, uid, fileUid, vsize, date
 *      int flags (Flags bits incl. NONRECENT), byte dirty,
 *      short nKw, short keywordIndex...
 * int  CRC32C of everything above
 * </pre>
 * Written to a temporary file and renamed, so a reader sees the old or the new index. A file
 * that is short, has another magic or a bad checksum is ignored (the mbox is parsed instead).
 */
final class MboxIndexFile {

    static final String NAME = "jmail.index";
    private static final byte[] MAGIC = "JMBXIDX1".getBytes(StandardCharsets.US_ASCII);

    /** The content of an index file. */
    static final class Data {
        FileStamp stamp;
        long uidValidity;
        long nextUid;
        long uidLastInFile;
        long pseudoEnd;
        boolean imapBaseInFile;
        List<String> keywords = new ArrayList<>();
        List<String> fileKeywords = new ArrayList<>();
        List<MboxEntry> entries = new ArrayList<>();
    }

    private MboxIndexFile() {
    }

    /** Reads the index; null when missing or unusable. */
    static Data read(Path file) {
        byte[] b;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            long size = ch.size();
            if (size < MAGIC.length + 4 || size > Integer.MAX_VALUE - 64) {
                return null;
            }
            b = new byte[(int) size];
            ByteBuffer bb = ByteBuffer.wrap(b);
            while (bb.hasRemaining() && ch.read(bb) >= 0) {
                // read it all
            }
            if (bb.hasRemaining()) {
                return null;
            }
        } catch (IOException e) {
            return null;
        }
        ByteBuffer in = ByteBuffer.wrap(b);
        CRC32C crc = new CRC32C();
        crc.update(b, 0, b.length - 4);
        if ((int) crc.getValue() != in.getInt(b.length - 4)) {
            return null;
        }
        for (byte m : MAGIC) {
            if (in.get() != m) {
                return null;
            }
        }
        try {
            Data d = new Data();
            d.stamp = new FileStamp(in.getLong(), in.getLong(), in.getLong(), in.getLong());
            d.uidValidity = in.getLong();
            d.nextUid = in.getLong();
            d.uidLastInFile = in.getLong();
            d.pseudoEnd = in.getLong();
            d.imapBaseInFile = in.get() != 0;
            d.keywords = strings(in);
            d.fileKeywords = strings(in);
            String[] kw = d.keywords.toArray(new String[0]);
            int n = in.getInt();
            d.entries = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                MboxEntry e = new MboxEntry();
                e.fromOff = in.getLong();
                e.hdrOff = in.getLong();
                e.bodyOff = in.getLong();
                e.bodyEnd = in.getLong();
                e.nextOff = in.getLong();
                e.uid = in.getLong();
                e.fileUid = in.getLong();
                e.vsize = in.getLong();
                e.date = in.getLong();
                e.flags = in.getInt();
                e.dirty = in.get() != 0;
                int k = in.getShort();
                if (k > 0) {
                    String[] ks = new String[k];
                    for (int j = 0; j < k; j++) {
                        ks[j] = kw[in.getShort()];
                    }
                    e.keywords = ks;
                }
                d.entries.add(e);
            }
            return d;
        } catch (RuntimeException e) {
            return null; // truncated or inconsistent
        }
    }

    private static List<String> strings(ByteBuffer in) {
        int n = in.getInt();
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] s = new byte[in.getShort()];
            in.get(s);
            out.add(new String(s, StandardCharsets.UTF_8).intern());
        }
        return out;
    }

    /** Writes the index atomically (temporary file + rename); creates the directory (0700). */
    static void write(Path file, Data d) throws IOException {
        Map<String, Integer> kwIndex = new HashMap<>();
        List<String> keywords = new ArrayList<>(d.keywords);
        for (String k : keywords) {
            kwIndex.putIfAbsent(k, kwIndex.size());
        }
        for (MboxEntry e : d.entries) {
            for (String k : e.keywords) {
                if (!kwIndex.containsKey(k)) {
                    kwIndex.put(k, kwIndex.size());
                    keywords.add(k);
                }
            }
        }
        ByteArrayOutputStream bos = new ByteArrayOutputStream(128 + d.entries.size() * 84);
        DataOutputStream out = new DataOutputStream(bos);
        out.write(MAGIC);
        out.writeLong(d.stamp.dev());
        out.writeLong(d.stamp.ino());
        out.writeLong(d.stamp.size());
        out.writeLong(d.stamp.mtimeNanos());
        out.writeLong(d.uidValidity);
        out.writeLong(d.nextUid);
        out.writeLong(d.uidLastInFile);
        out.writeLong(d.pseudoEnd);
        out.writeByte(d.imapBaseInFile ? 1 : 0);
        writeStrings(out, keywords);
        writeStrings(out, d.fileKeywords);
        out.writeInt(d.entries.size());
        for (MboxEntry e : d.entries) {
            out.writeLong(e.fromOff);
            out.writeLong(e.hdrOff);
            out.writeLong(e.bodyOff);
            out.writeLong(e.bodyEnd);
            out.writeLong(e.nextOff);
            out.writeLong(e.uid);
            out.writeLong(e.fileUid);
            out.writeLong(e.vsize);
            out.writeLong(e.date);
            out.writeInt(e.flags);
            out.writeByte(e.dirty ? 1 : 0);
            out.writeShort(e.keywords.length);
            for (String k : e.keywords) {
                out.writeShort(kwIndex.get(k));
            }
        }
        out.flush();
        byte[] body = bos.toByteArray();
        CRC32C crc = new CRC32C();
        crc.update(body);
        Path dir = file.getParent();
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Path tmp = dir.resolve(NAME + ".tmp." + ProcessHandle.current().pid() + "." + Thread.currentThread().getId());
        try (FileChannel ch = FileChannel.open(tmp, java.util.Set.of(StandardOpenOption.WRITE,
                StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
            ByteBuffer bb = ByteBuffer.wrap(body);
            while (bb.hasRemaining()) {
                ch.write(bb);
            }
            ByteBuffer c = ByteBuffer.allocate(4).putInt(0, (int) crc.getValue());
            while (c.hasRemaining()) {
                ch.write(c);
            }
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void writeStrings(DataOutputStream out, List<String> list) throws IOException {
        out.writeInt(list.size());
        for (String s : list) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            out.writeShort(b.length);
            out.write(b);
        }
    }
}
