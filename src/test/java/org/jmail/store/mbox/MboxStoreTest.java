package org.jmail.store.mbox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.jmail.auth.AuthUser;
import org.jmail.config.MainConfig;
import org.jmail.store.AppendResult;
import org.jmail.store.CopyResult;
import org.jmail.store.MailStore;
import org.jmail.store.Mailbox;
import org.jmail.store.MailboxInfo;
import org.jmail.store.MailboxStatus;
import org.jmail.store.StoreException;
import org.jmail.store.StoredMessage;
import org.jmail.store.SyncResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MboxStoreTest {

    @TempDir
    Path tmp;
    Path inbox;
    Path root;
    MailStore store;
    Map<String, String> settings = new HashMap<>();

    static String mtaMessage(int i) {
        return "From sender" + i + "@example.org  Mon Jan  5 10:00:0" + (i % 10) + " 2026\n"
                + "Return-Path: <sender@example.org>\n"
                + "From: Sender <sender@example.org>\n"
                + "Subject: message " + i + "\n"
                + "\n"
                + "body line " + i + "\n"
                + ">From quoted\n"
                + "\n";
    }

    @BeforeEach
    void setUp() throws Exception {
        inbox = tmp.resolve("spool/user");
        root = tmp.resolve("home/mail");
        Files.createDirectories(inbox.getParent());
        settings.put("mail_location", "mbox:~/mail:INBOX=" + tmp.resolve("spool") + "/%u");
        settings.put("mailbox_size_limit", "0");
        store = open();
    }

    MailStore open() throws StoreException {
        int uid = (Integer) attr(tmp, "uid");
        int gid = (Integer) attr(tmp, "gid");
        AuthUser u = new AuthUser("user", uid, gid, tmp.resolve("home").toString(), "");
        return new MboxMailStores(MainConfig.of(tmp, settings)).open(u);
    }

    static Object attr(Path p, String a) {
        try {
            return Files.getAttribute(p, "unix:" + a);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    void writeInbox(int n) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= n; i++) {
            sb.append(mtaMessage(i));
        }
        Files.writeString(inbox, sb.toString());
    }

    static byte[] msg(String subject, String body) {
        return ("From: a@example.org\r\nSubject: " + subject + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void mailLocationExpandsDovecotVariablesAndHome() throws Exception {
        MailLocation l = MailLocation.parse("mbox:~/mail:INBOX=/var/mail/%u:INDEX=/idx/%d/%n", "bob@ex.org", "/home/bob");
        assertEquals(Path.of("/home/bob/mail"), l.root());
        assertEquals(Path.of("/var/mail/bob@ex.org"), l.inbox());
        assertEquals(Path.of("/idx/ex.org/bob"), l.index());
        assertEquals(".subscriptions", l.subscriptionsName());
        MailLocation d = MailLocation.parse("", "bob", "/home/bob");
        assertEquals(Path.of("/var/mail/bob"), d.inbox());
        assertThrows(StoreException.class, () -> MailLocation.parse("maildir:~/Maildir", "bob", "/home/bob"));
    }

    @Test
    void firstOpenCreatesRootAndSpecialUseFolders() throws Exception {
        List<MailboxInfo> list = store.list();
        assertEquals("INBOX", list.get(0).name());
        MailboxInfo sent = list.stream().filter(i -> i.name().equals("Sent")).findFirst().orElseThrow();
        assertTrue(sent.attributes().contains("\\Sent"));
        assertTrue(sent.attributes().contains("\\NoInferiors"));
        for (String n : List.of("Drafts", "Trash", "Junk")) {
            assertTrue(Files.isRegularFile(root.resolve(n)), n);
        }
    }

    @Test
    void mtaMessagesGetUidsInOrderAreRecentOnceAndGetHeadersAtClose() throws Exception {
        writeInbox(3);
        long validity;
        try (Mailbox box = store.open("INBOX", false)) {
            List<StoredMessage> m = box.messages();
            assertEquals(List.of(1L, 2L, 3L), m.stream().map(StoredMessage::uid).toList());
            assertTrue(m.get(0).recent());
            assertEquals(4, box.uidNext());
            validity = box.uidValidity();
            assertTrue(validity > 0);
            byte[] body = box.read(2);
            String s = new String(body, StandardCharsets.US_ASCII);
            assertTrue(s.startsWith("Return-Path: <sender@example.org>\r\n"), s);
            assertTrue(s.endsWith("body line 2\r\n>From quoted\r\n"), s);
            assertEquals(m.get(1).size(), body.length);
            assertEquals(Instant.parse("2026-01-05T10:00:02Z").getEpochSecond(),
                    m.get(1).internalDate().getEpochSecond() + java.util.TimeZone.getDefault().getOffset(
                            m.get(1).internalDate().toEpochMilli()) / 1000);
        }
        String file = Files.readString(inbox);
        assertTrue(file.contains("X-IMAPbase: " + validity + " 0000000003\n"), file);
        assertTrue(file.contains("X-UID: 3\n"));
        assertTrue(file.contains("Status: O\n"));
        try (Mailbox box = store.open("INBOX", false)) {
            assertFalse(box.messages().get(0).recent());
            assertEquals(validity, box.uidValidity());
            assertEquals(List.of(1L, 2L, 3L), box.messages().stream().map(StoredMessage::uid).toList());
            String s = new String(box.read(1), StandardCharsets.US_ASCII);
            assertFalse(s.contains("X-UID"), s);
            assertFalse(s.contains("Status:"), s);
            assertEquals(box.messages().get(0).size(), box.read(1).length);
        }
    }

    @Test
    void appendWritesDovecotHeadersAndSelectSeesFlagsAndSizes() throws Exception {
        AppendResult a1 = store.append("INBOX", msg("one", "hello\r\nFrom me\r\n"), Set.of("\\Seen", "$Label1"), null);
        AppendResult a2 = store.append("INBOX", msg("two", "x\r\n"), Set.of(), Instant.parse("2025-05-05T05:05:05Z"));
        assertEquals(1, a1.uid());
        assertEquals(2, a2.uid());
        assertEquals(a1.uidValidity(), a2.uidValidity());
        String file = Files.readString(inbox);
        assertTrue(file.contains("X-IMAPbase: " + a1.uidValidity() + " 0000000002 $Label1\n"), file);
        assertTrue(file.contains("\nFrom me\n"), "Dovecot doesn't quote; Content-Length protects: " + file);
        assertTrue(file.contains("Content-Length: 14\n"), file);
        try (Mailbox box = store.open("INBOX", true)) {
            StoredMessage m1 = box.messages().get(0);
            assertEquals(Set.of("\\Seen", "$Label1"), m1.flags());
            byte[] raw = box.read(1);
            assertEquals("From: a@example.org\r\nSubject: one\r\n\r\nhello\r\nFrom me\r\n",
                    new String(raw, StandardCharsets.US_ASCII));
            assertEquals(raw.length, m1.size());
            assertEquals("From: a@example.org\r\nSubject: one\r\n\r\n",
                    new String(box.readHeader(1), StandardCharsets.US_ASCII));
            assertEquals(Instant.parse("2025-05-05T05:05:05Z"), box.messages().get(1).internalDate());
            assertEquals(2, box.messages().size());
            assertTrue(box.keywords().contains("$Label1"));
        }
    }

    @Test
    void flagChangeFitsInPlaceWithoutChangingTheFileSize() throws Exception {
        store.append("INBOX", msg("one", "a\r\n"), Set.of(), null);
        store.append("INBOX", msg("two", "b\r\n"), Set.of(), null);
        long size = Files.size(inbox);
        try (Mailbox box = store.open("INBOX", false)) {
            List<StoredMessage> r = box.setFlags(List.of(2L), Set.of("\\Flagged", "\\Answered", "\\Seen"),
                    Mailbox.FlagMode.ADD);
            assertEquals(1, r.size());
            assertEquals(Set.of("\\Flagged", "\\Answered", "\\Seen"), r.get(0).flags());
            assertEquals(size, Files.size(inbox));
            assertTrue(Files.readString(inbox).contains("X-Status: AF\n"));
            box.setFlags(List.of(2L), Set.of("\\Answered"), Mailbox.FlagMode.REMOVE);
            assertEquals(Set.of("\\Flagged", "\\Seen"), box.messages().get(1).flags());
        }
        MailStore other = open();
        try (Mailbox box = other.open("INBOX", true)) {
            assertEquals(Set.of("\\Flagged", "\\Seen"), box.messages().get(1).flags());
            assertEquals(Set.of(), box.messages().get(0).flags());
        }
    }

    @Test
    void expungeRewritesFileKeepingUidsAndReportsRemovedUids() throws Exception {
        writeInbox(4);
        try (Mailbox box = store.open("INBOX", false)) {
            box.setFlags(List.of(2L, 4L), Set.of("\\Deleted"), Mailbox.FlagMode.ADD);
            assertEquals(List.of(4L), box.expunge(List.of(4L)));
            assertEquals(List.of(2L), box.expunge(null));
            assertEquals(List.of(1L, 3L), box.messages().stream().map(StoredMessage::uid).toList());
            assertEquals(5, box.uidNext());
        }
        String file = Files.readString(inbox);
        assertFalse(file.contains("message 2\n"));
        assertTrue(file.contains("message 3\n"));
        try (Mailbox box = open().open("INBOX", true)) {
            assertEquals(List.of(1L, 3L), box.messages().stream().map(StoredMessage::uid).toList());
            assertEquals(5, box.uidNext());
        }
        // a cold parse (no index) gives the same UIDs from the headers
        Files.delete(root.resolve(".imap/INBOX/jmail.index"));
        try (Mailbox box = open().open("INBOX", true)) {
            assertEquals(List.of(1L, 3L), box.messages().stream().map(StoredMessage::uid).toList());
            assertEquals(5, box.uidNext());
        }
    }

    @Test
    void expungingEverythingLeavesThePseudoMessageWithUidValidityAndNextUid() throws Exception {
        writeInbox(2);
        long validity;
        try (Mailbox box = store.open("INBOX", false)) {
            validity = box.uidValidity();
            box.setFlags(List.of(1L, 2L), Set.of("\\Deleted"), Mailbox.FlagMode.ADD);
            assertEquals(List.of(1L, 2L), box.expunge(null));
        }
        String file = Files.readString(inbox);
        assertTrue(file.contains("Subject: DON'T DELETE THIS MESSAGE -- FOLDER INTERNAL DATA\n"), file);
        assertTrue(file.contains("X-IMAP: " + validity + " 0000000002\n"), file);
        Files.delete(root.resolve(".imap/INBOX/jmail.index"));
        try (Mailbox box = open().open("INBOX", true)) {
            assertEquals(0, box.messages().size());
            assertEquals(validity, box.uidValidity());
            assertEquals(3, box.uidNext());
        }
        assertEquals(3, store.append("INBOX", msg("again", "x\r\n"), Set.of(), null).uid());
    }

    @Test
    void mailAppendedByTheMtaIsFoundBySyncAsRecent() throws Exception {
        writeInbox(2);
        try (Mailbox box = store.open("INBOX", false)) {
            assertEquals(SyncResult.NONE, box.sync());
            Files.writeString(inbox, mtaMessage(3), StandardOpenOption.APPEND);
            SyncResult r = box.sync();
            assertEquals(1, r.added().size());
            assertEquals(3, r.added().get(0).uid());
            assertTrue(r.added().get(0).recent());
            assertEquals(3, box.messages().size());
            assertTrue(new String(box.read(3), StandardCharsets.US_ASCII).contains("body line 3"));
            assertTrue(box.sync().isEmpty());
        }
    }

    @Test
    void externalRewriteIsResyncedByUid() throws Exception {
        writeInbox(3);
        try (Mailbox box = store.open("INBOX", false)) {
            box.messages();
        } // close writes the X-UID headers
        try (Mailbox box = store.open("INBOX", false)) {
            // mutt deletes message 2 and marks message 3 read, rewriting the file
            String file = Files.readString(inbox);
            int s2 = file.indexOf("From sender2@");
            int s3 = file.indexOf("From sender3@");
            String edited = file.substring(0, s2) + file.substring(s3).replace("Status: O\n", "Status: RO\n");
            Files.writeString(inbox, edited);
            SyncResult r = box.sync();
            assertEquals(List.of(2L), r.expunged());
            assertEquals(1, r.flagsChanged().size());
            assertEquals(3, r.flagsChanged().get(0).uid());
            assertTrue(r.flagsChanged().get(0).has("\\Seen"));
            assertFalse(r.uidValidityChanged());
            assertEquals(List.of(1L, 3L), box.messages().stream().map(StoredMessage::uid).toList());
        }
    }

    @Test
    void replacedMailboxWithNewUidValidityEndsTheSession() throws Exception {
        writeInbox(1);
        try (Mailbox box = store.open("INBOX", true)) {
            Files.writeString(inbox, "From x@y  Mon Jan  5 10:00:00 2026\nX-IMAPbase: 12345 0000000001\n"
                    + "X-UID: 1\nSubject: s\n\nb\n\n");
            assertTrue(box.sync().uidValidityChanged());
        }
    }

    @Test
    void validIndexIsUsedWithoutReadingTheMbox() throws Exception {
        writeInbox(2);
        try (Mailbox box = store.open("INBOX", false)) {
            box.messages();
        }
        // change a flag behind the index's back but keep size and mtime: a warm open must not parse
        FileTime t = Files.getLastModifiedTime(inbox);
        String file = Files.readString(inbox);
        Files.writeString(inbox, file.replaceFirst("Status: O\n", "Status: R\n"));
        Files.setLastModifiedTime(inbox, t);
        try (Mailbox box = open().open("INBOX", true)) {
            assertEquals(Set.of(), box.messages().get(0).flags());
        }
        Files.setLastModifiedTime(inbox, FileTime.fromMillis(t.toMillis() + 5000));
        try (Mailbox box = open().open("INBOX", true)) {
            assertEquals(Set.of("\\Seen"), box.messages().get(0).flags());
        }
    }

    @Test
    void contentLengthProtectsUnquotedFromLinesAndWrongOnesAreIgnored() throws Exception {
        Files.writeString(inbox, "From a@b  Mon Jan  5 10:00:00 2026\nSubject: 1\nContent-Length: 37\n\n"
                + "x\nFrom b@c  Mon Jan  5 10:00:00 2026\n\n"
                + "From a@b  Mon Jan  5 10:00:01 2026\nSubject: 2\nContent-Length: 999\n\ny\n"
                + "\nFrom a@b  Mon Jan  5 10:00:02 2026\nSubject: 3\n\nz\n\n");
        try (Mailbox box = store.open("INBOX", true)) {
            assertEquals(3, box.messages().size());
            assertEquals("Subject: 1\r\n\r\nx\r\nFrom b@c  Mon Jan  5 10:00:00 2026\r\n",
                    new String(box.read(1), StandardCharsets.US_ASCII));
            assertEquals("Subject: 2\r\n\r\ny\r\n", new String(box.read(2), StandardCharsets.US_ASCII));
        }
    }

    @Test
    void invalidNamesAreRefused() {
        for (String n : List.of("", "..", "../x", "a/../b", "/etc/passwd", "a//b", "a\u0001b", ".imap", "a/.x")) {
            StoreException e = assertThrows(StoreException.class, () -> store.open(n, true), n);
            assertEquals(StoreException.Kind.CANNOT, e.kind(), n);
        }
    }

    @Test
    void symlinksOutOfTheTreeAreRefused() throws Exception {
        Path secret = tmp.resolve("secret");
        Files.writeString(secret, mtaMessage(1));
        Files.createSymbolicLink(root.resolve("evil"), secret);
        Files.createSymbolicLink(root.resolve("dir"), tmp);
        assertEquals(StoreException.Kind.NOPERM, assertThrows(StoreException.class,
                () -> store.open("evil", false)).kind());
        assertEquals(StoreException.Kind.NOPERM, assertThrows(StoreException.class,
                () -> store.open("dir/secret", false)).kind());
        assertEquals(StoreException.Kind.NOPERM, assertThrows(StoreException.class,
                () -> store.append("evil", msg("x", "y"), Set.of(), null)).kind());
        assertEquals(mtaMessage(1), Files.readString(secret));
        assertTrue(store.list().stream().noneMatch(i -> i.name().equals("evil")));
    }

    @Test
    void createListRenameDeleteAndSubscriptions() throws Exception {
        store.create("work/projects/a");
        store.create("dironly/");
        assertEquals(StoreException.Kind.ALREADYEXISTS,
                assertThrows(StoreException.class, () -> store.create("work/projects/a")).kind());
        List<String> names = store.list().stream().map(MailboxInfo::name).toList();
        assertTrue(names.containsAll(List.of("INBOX", "work", "work/projects", "work/projects/a", "dironly")), names.toString());
        MailboxInfo work = store.list().stream().filter(i -> i.name().equals("work")).findFirst().orElseThrow();
        assertTrue(work.attributes().containsAll(Set.of("\\Noselect", "\\HasChildren")));
        store.append("work/projects/a", msg("m", "b\r\n"), Set.of("\\Flagged"), null);
        store.rename("work/projects/a", "archive/2026");
        try (Mailbox box = store.open("archive/2026", true)) {
            assertEquals(1, box.messages().size());
            assertTrue(box.messages().get(0).has("\\Flagged"));
        }
        assertEquals(StoreException.Kind.NONEXISTENT,
                assertThrows(StoreException.class, () -> store.open("work/projects/a", true)).kind());
        assertEquals(StoreException.Kind.CANNOT, assertThrows(StoreException.class, () -> store.delete("INBOX")).kind());
        assertEquals(StoreException.Kind.CANNOT, assertThrows(StoreException.class, () -> store.delete("archive")).kind());
        store.delete("archive/2026");
        store.delete("archive");
        assertFalse(Files.exists(root.resolve("archive")));

        store.subscribe("Sent");
        store.subscribe("work/projects");
        store.subscribe("inbox");
        assertEquals(List.of("Sent", "work/projects", "INBOX"), store.subscriptions());
        assertEquals("V\t2\n\nSent\nwork\tprojects\nINBOX\n", Files.readString(root.resolve(".subscriptions")));
        store.unsubscribe("Sent");
        assertEquals(List.of("work/projects", "INBOX"), open().subscriptions());
    }

    @Test
    void renamingInboxMovesItsMessagesAndLeavesItEmpty() throws Exception {
        writeInbox(2);
        store.rename("INBOX", "old");
        assertEquals(0, store.status("INBOX").messages());
        assertEquals(2, store.status("old").messages());
    }

    @Test
    void statusCountsWithoutClearingRecent() throws Exception {
        writeInbox(3);
        MailboxStatus s = store.status("INBOX");
        assertEquals(3, s.messages());
        assertEquals(3, s.recent());
        assertEquals(3, s.unseen());
        assertEquals(4, s.uidNext());
        assertEquals(3, store.status("INBOX").recent());
        try (Mailbox box = store.open("INBOX", false)) {
            box.setFlags(List.of(1L), Set.of("\\Seen"), Mailbox.FlagMode.ADD);
        }
        s = store.status("INBOX");
        assertEquals(0, s.recent());
        assertEquals(2, s.unseen());
    }

    @Test
    void copyKeepsFlagsAndDatesAndReportsCopyUid() throws Exception {
        writeInbox(2);
        try (Mailbox box = store.open("INBOX", false)) {
            box.setFlags(List.of(2L), Set.of("\\Answered", "Work"), Mailbox.FlagMode.ADD);
            CopyResult r = box.copyTo(List.of(2L, 1L), "Trash");
            assertEquals(List.of(1L, 2L), r.sourceUids());
            assertEquals(List.of(1L, 2L), r.targetUids());
            assertEquals(store.status("Trash").uidValidity(), r.uidValidity());
            try (Mailbox trash = store.open("Trash", true)) {
                assertEquals(Set.of("\\Answered", "Work"), trash.messages().get(1).flags());
                assertEquals(box.messages().get(1).internalDate(), trash.messages().get(1).internalDate());
                assertArrayEquals(box.read(1), trash.read(1));
            }
        }
    }

    @Test
    void readOnlyMailboxRefusesWritesAndKeepsRecent() throws Exception {
        writeInbox(1);
        try (Mailbox box = store.open("INBOX", true)) {
            assertTrue(box.readOnly());
            assertThrows(StoreException.class, () -> box.setFlags(List.of(1L), Set.of("\\Seen"), Mailbox.FlagMode.ADD));
            assertThrows(StoreException.class, () -> box.expunge(null));
        }
        try (Mailbox box = store.open("INBOX", true)) {
            assertTrue(box.messages().get(0).recent());
        }
    }

    @Test
    void lockHeldByAnotherProcessTimesOutAsTemporary() throws Exception {
        settings.put("mbox_lock_timeout", "1s");
        MailStore s = open();
        writeInbox(1);
        Files.writeString(tmp.resolve("spool/user.lock"), "1\n"); // pid 1 is alive: not stale
        try (Mailbox box = s.open("INBOX", false)) {
            StoreException e = assertThrows(StoreException.class,
                    () -> box.setFlags(List.of(1L), Set.of("\\Seen"), Mailbox.FlagMode.ADD));
            assertEquals(StoreException.Kind.TEMPORARY, e.kind());
            Files.delete(tmp.resolve("spool/user.lock"));
            assertEquals(1, box.setFlags(List.of(1L), Set.of("\\Seen"), Mailbox.FlagMode.ADD).size());
        }
    }

    @Test
    void quotaReportsInboxSizeAgainstMailboxSizeLimit() throws Exception {
        assertNull(store.quota());
        settings.put("mailbox_size_limit", "1000");
        MailStore s = open();
        writeInbox(1);
        MailStore.Quota q = s.quota();
        assertNotNull(q);
        assertEquals(Files.size(inbox), q.usedBytes());
        assertEquals(1000, q.limitBytes());
        byte[] big = msg("big", "x".repeat(2000));
        assertEquals(StoreException.Kind.OVERQUOTA,
                assertThrows(StoreException.class, () -> s.append("INBOX", big, Set.of(), null)).kind());
    }

    @Test
    void rewriteKeepsModeAndAppendToAVirginMailboxWritesImapBase() throws Exception {
        writeInbox(2);
        Files.setPosixFilePermissions(inbox, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw----"));
        long ino = (Long) attr(inbox, "ino");
        AppendResult r = store.append("INBOX", msg("three", "c\r\n"), Set.of(), null);
        assertEquals(3, r.uid());
        String file = Files.readString(inbox);
        assertTrue(file.contains("X-IMAPbase: " + r.uidValidity() + " 0000000003\n"), file);
        assertTrue(file.contains("X-UID: 1\n") && file.contains("X-UID: 2\n"), file);
        assertEquals("rw-rw----", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(inbox)));
        assertTrue(ino != (Long) attr(inbox, "ino"), "rewritten by rename");
        try (Stream<Path> s = Files.list(inbox.getParent())) {
            assertEquals(List.of("user"), s.map(p -> p.getFileName().toString()).toList(), "no temp files left");
        }
    }

    @Test
    void localDeliveryWhileASessionIsOpenIsSeenBySync() throws Exception {
        writeInbox(1);
        try (Mailbox box = store.open("INBOX", false)) {
            try (org.jmail.mailbox.MboxWriter w = org.jmail.mailbox.MboxWriter.open(inbox.toString(), -1, null,
                    org.jmail.mailbox.LockPolicy.defaults())) {
                byte[] env = org.jmail.mailbox.MboxFormat.envelope("a@b", Instant.now(), java.time.ZoneId.systemDefault(),
                        "", "user@example.org");
                byte[] content = "Subject: delivered\nX-UID: 99\nStatus: RO\n\nhi\n".getBytes(StandardCharsets.US_ASCII);
                byte[] body = org.jmail.mailbox.MboxFormat.body(content, 0, content.length,
                        org.jmail.mailbox.MboxFormat.BodyOptions.MBOX);
                java.nio.ByteBuffer bb = java.nio.ByteBuffer.allocate(env.length + body.length).put(env).put(body).flip();
                w.append(bb, 0);
            }
            SyncResult r = box.sync();
            assertEquals(1, r.added().size());
            assertEquals(2, r.added().get(0).uid());
            assertTrue(r.added().get(0).recent());
            assertEquals(Set.of(), r.added().get(0).flags());
        }
    }

    @Test
    void twoSessionsSeeEachOthersFlagChangesAndExpunges() throws Exception {
        writeInbox(3);
        MailStore other = open();
        try (Mailbox a = store.open("INBOX", false); Mailbox b = other.open("INBOX", false)) {
            a.setFlags(List.of(1L), Set.of("\\Seen"), Mailbox.FlagMode.ADD); // no padding yet: rewrite
            SyncResult r = b.sync();
            assertEquals(1, r.flagsChanged().size());
            assertEquals(Set.of("\\Seen"), r.flagsChanged().get(0).flags());
            b.setFlags(List.of(2L), Set.of("\\Flagged"), Mailbox.FlagMode.ADD); // in place now
            assertEquals(Set.of("\\Flagged"), a.sync().flagsChanged().get(0).flags());
            b.setFlags(List.of(3L), Set.of("\\Deleted"), Mailbox.FlagMode.ADD);
            assertEquals(List.of(3L), b.expunge(null));
            SyncResult ra = a.sync();
            assertEquals(List.of(3L), ra.expunged());
            assertEquals(Set.of("\\Seen"), a.messages().get(0).flags());
            assertEquals(2, new String(a.read(2), StandardCharsets.US_ASCII).split("body line 2").length);
        }
        try (Mailbox c = open().open("INBOX", true)) {
            assertEquals(List.of(Set.of("\\Seen"), Set.of("\\Flagged")),
                    c.messages().stream().map(StoredMessage::flags).toList());
        }
    }

    /**
     * Two sessions of one user: while one keeps rewriting the file (expunge renames a new copy
     * over it), the other reads every message. Offsets must never be used against the other
     * file: each read is either the right message or "expunged", never "try again".
     */
    @Test
    void readsRaceWithAnotherSessionsRewrites() throws Exception {
        writeInbox(30);
        MailStore other = open();
        try (Mailbox reader = store.open("INBOX", false)) {
            List<StoredMessage> view = reader.messages();
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            java.util.concurrent.atomic.AtomicReference<Exception> failed = new java.util.concurrent.atomic.AtomicReference<>();
            Thread writer = new Thread(() -> {
                try {
                    for (int i = 0; i < 40 && failed.get() == null; i++) {
                        other.append("INBOX", msg("extra " + i, "x".repeat(i * 50)), Set.of(), Instant.now());
                        try (Mailbox w = other.open("INBOX", false)) {
                            long last = w.messages().get(w.messages().size() - 1).uid();
                            w.setFlags(List.of(last), Set.of("\\Deleted", "$Keyword" + i), Mailbox.FlagMode.ADD);
                            w.expunge(List.of(last));
                        }
                    }
                } catch (Exception e) {
                    failed.set(e);
                } finally {
                    stop.set(true);
                }
            });
            writer.start();
            int reads = 0;
            while (!stop.get() || reads == 0) {
                for (StoredMessage m : view) {
                    byte[] b = reader.read(m.uid());
                    String text = new String(b, StandardCharsets.US_ASCII);
                    assertTrue(text.contains("Subject: message " + m.uid() + "\r\n"), text);
                    reads++;
                }
            }
            writer.join();
            if (failed.get() != null) {
                throw failed.get();
            }
            assertTrue(reads >= 30);
        } finally {
            other.close();
        }
    }
}
