package org.jmail.store.mbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MboxParserTest {

    @TempDir
    Path tmp;

    MboxParser.Result parse(String content) throws Exception {
        Path f = tmp.resolve("mbox");
        Files.writeString(f, content, StandardCharsets.ISO_8859_1);
        try (FileChannel ch = FileChannel.open(f)) {
            return new MboxParser(ch, ch.size()).parse(0);
        }
    }

    static long local(int y, int mo, int d, int h, int mi, int s) {
        return LocalDateTime.of(y, mo, d, h, mi, s).atZone(ZoneId.systemDefault()).toEpochSecond();
    }

    @Test
    void fromLineDatesInTheFormsFoundInTheWild() {
        byte[] a = "From a@b  Mon Jan  5 10:00:00 2026".getBytes();
        assertEquals(local(2026, 1, 5, 10, 0, 0), FromLineDate.parse(a, 0, a.length));
        byte[] b = "From \"odd name\"@b Tue Feb 17 23:59:59 +0100 2026 remote from x".getBytes();
        assertEquals(LocalDateTime.of(2026, 2, 17, 23, 59, 59).toEpochSecond(ZoneOffset.ofHours(1)),
                FromLineDate.parse(b, 0, b.length));
        byte[] c = "From MAILER-DAEMON Wed Mar 4 01:02 2026".getBytes();
        assertEquals(local(2026, 3, 4, 1, 2, 0), FromLineDate.parse(c, 0, c.length));
        byte[] d = "From the desk of the president, Mon Jan".getBytes();
        assertEquals(FromLineDate.INVALID, FromLineDate.parse(d, 0, d.length));
    }

    @Test
    void sizesAreCrlfSizesWithoutMetadataAndOffsetsPointAtTheParts() throws Exception {
        String m1 = "From a@b  Mon Jan  5 10:00:00 2026\nSubject: x\nX-UID: 1\nStatus: RO\nX-Keywords: a b\n\nline\n\n";
        MboxParser.Result r = parse("garbage line\n" + m1 + "From a@b  Mon Jan  5 10:00:01 2026\nSubject: y\r\n\r\nz\r\n");
        assertEquals(2, r.entries.size());
        MboxEntry e = r.entries.get(0);
        assertEquals(13, e.fromOff);
        assertEquals("Subject: x\r\n\r\nline\r\n".length(), e.vsize);
        assertEquals(Flags.SEEN | Flags.NONRECENT, e.flags);
        assertEquals(List.of("a", "b"), List.of(e.keywords));
        assertEquals(0, e.fileUid, "X-UID in the first message without X-IMAPbase before it is not trusted");
        MboxEntry f = r.entries.get(1);
        assertEquals("Subject: y\r\n\r\nz".length(), f.vsize, "existing CRLFs are not doubled; CRLF trailer dropped");
        assertEquals(f.bodyOff + 1, f.bodyEnd);
    }

    @Test
    void xuidRulesFollowDovecot() throws Exception {
        String base = "From a@b  Mon Jan  5 10:00:00 2026\nX-IMAPbase: 777 0000000002 $Work\nX-UID: 1\n\nb\n\n";
        String m2 = "From a@b  Mon Jan  5 10:00:00 2026\nX-UID: 2\n\nb\n\n";
        String forged = "From a@b  Mon Jan  5 10:00:00 2026\nX-UID: 4000000\n\nb\n\n";
        MboxParser.Result r = parse(base + m2 + forged);
        assertTrue(r.imapBase);
        assertEquals(777, r.uidValidity);
        assertEquals(2, r.uidLast);
        assertEquals(List.of("$Work"), List.of(r.keywords));
        assertEquals(4000000, r.entries.get(2).fileUid, "parser reports; the folder refuses it");

        Path dir = tmp.resolve("d");
        Files.createDirectories(dir);
        Path f = dir.resolve("box");
        Files.writeString(f, base + m2 + forged);
        try (MboxFolder folder = new MboxFolder("box", f, null, true, org.jmail.mailbox.LockPolicy.defaults(), "h")) {
            folder.open();
            assertEquals(List.of(1L, 2L, 3L), folder.entries.stream().map(x -> x.uid).toList());
            assertEquals(4, folder.nextUid);
            assertEquals(777, folder.uidValidity);
        }
    }

    @Test
    void pseudoMessageIsNotAMessage() throws Exception {
        String pseudo = "From MAILER_DAEMON  Sat Nov 28 11:20:08 2026\nSubject: DON'T DELETE THIS MESSAGE -- FOLDER INTERNAL DATA\n"
                + "X-IMAP: 1795864640 0000000002\nStatus: RO\n\nThis text is part of the internal format\n\n";
        MboxParser.Result r = parse(pseudo + "From a@b  Mon Jan  5 10:00:00 2026\nX-UID: 3\n\nb\n\n");
        assertEquals(1, r.entries.size());
        assertEquals(pseudo.length(), r.pseudoEnd);
        assertEquals(1795864640L, r.uidValidity);
        assertEquals(3, r.entries.get(0).fileUid);
    }
}
