package org.jmail.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.jmail.posix.FileInfo;
import org.jmail.posix.NativeFile;
import org.jmail.posix.Posix;
import org.jmail.posix.UnixUser;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MailboxDeliveryTest {

    @TempDir
    Path dir;
    LocalHarness h;

    static final String MSG = "From: sender@remote.example\nSubject: hello\n\nline one\nFrom the body\n";

    @BeforeEach
    void setUp() throws Exception {
        h = new LocalHarness(dir);
        // let users other than root reach the spool inside the temp dir
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
    }

    private static UnixUser nobody() {
        UnixUser u = Posix.getpwnam("nobody");
        assumeTrue(u != null && Posix.isRoot(), "needs root and a nobody account");
        return u;
    }

    @Test
    void unixUserGetsMboxWithEnvelopeHeadersAndQuotedFrom() throws Exception {
        FakeRequest r = h.deliver(MSG, "root@host.example");
        assertEquals("root@host.example sent 2.0.0 (delivered to mailbox)", r.only().toString());
        assertEquals("local", r.only().relay());
        String text = h.read(h.mbox("root"));
        assertTrue(text.matches("(?s)From sender@remote\\.example  \\w{3} \\w{3} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d \\d{4}\n"
                + "Return-Path: <sender@remote\\.example>\n"
                + "X-Original-To: root@host\\.example\n"
                + "Delivered-To: root@host\\.example\n"
                + "From: sender@remote\\.example\nSubject: hello\n\nline one\n>From the body\n\n"), text);
        List<String> msgs = LocalHarness.pythonMessages(h.mbox("root"), "Return-Path", "Delivered-To", "Subject");
        assertEquals(1, msgs.size());
        assertTrue(msgs.get(0).startsWith("sender@remote.example  "), msgs.get(0));
        assertTrue(msgs.get(0).endsWith("|<sender@remote.example>|root@host.example|hello|'line one\\n>From the body\\n'"),
                msgs.get(0));
    }

    @Test
    void secondMessageIsAppendedAfterABlankLine() throws Exception {
        h.deliver(MSG, "root@host.example");
        h.deliver("Subject: two\n\nno final newline", "root@host.example");
        List<String> msgs = LocalHarness.pythonMessages(h.mbox("root"), "Subject");
        assertEquals(2, msgs.size());
        assertTrue(msgs.get(1).endsWith("|two|'no final newline\\n'"), msgs.get(1));
        assertTrue(h.read(h.mbox("root")).endsWith("no final newline\n\n"));
    }

    @Test
    void nullSenderIsMailerDaemon() throws Exception {
        FakeRequest r = new FakeRequest("Q9", "", MSG, "root@host.example");
        h.agent().deliver(r);
        String text = h.read(h.mbox("root"));
        assertTrue(text.startsWith("From MAILER-DAEMON  "), text);
        assertTrue(text.contains("\nReturn-Path: <>\n"), text);
    }

    @Test
    void newMailboxBelongsToTheUserGroupMailMode0660() throws Exception {
        UnixUser nobody = nobody();
        h.deliver(MSG, "nobody@host.example");
        FileInfo st = NativeFile.lstat(h.mbox("nobody").toString());
        assertEquals(nobody.uid(), st.uid());
        int mail = Posix.getgrnam("mail");
        assertEquals(mail >= 0 ? mail : nobody.gid(), st.gid());
        assertEquals(mail >= 0 ? 0660 : 0600, st.permissions());
    }

    @Test
    void groupWritableSpoolLikeDebiansIsWrittenAsTheUser() throws Exception {
        UnixUser nobody = nobody();
        int mail = Posix.getgrnam("mail");
        assumeTrue(mail >= 0);
        Files.setAttribute(h.spool, "unix:gid", mail);
        Files.setPosixFilePermissions(h.spool, PosixFilePermissions.fromString("rwxrwxr-x"));
        Files.setAttribute(h.spool, "unix:mode", 02775);
        FakeRequest r = h.deliver(MSG, "nobody@host.example");
        assertEquals("sent", r.only().kind(), r.reports.toString());
        FileInfo st = NativeFile.lstat(h.mbox("nobody").toString());
        assertEquals(nobody.uid(), st.uid());
        assertEquals(mail, st.gid());
        assertFalse(Files.exists(h.spool.resolve("nobody.lock")));
    }

    @Test
    void unknownUserBouncesWith511() {
        FakeRequest r = h.deliver(MSG, "nosuchuser@host.example");
        assertEquals("nosuchuser@host.example bounced 5.1.1 (unknown user: \"nosuchuser\")", r.only().toString());
    }

    @Test
    void userNamesAreFoldedToLowerCase() throws Exception {
        FakeRequest r = h.deliver(MSG, "ROOT@HOST.example");
        assertEquals("sent", r.only().kind());
        assertTrue(h.read(h.mbox("root")).contains("\nDelivered-To: ROOT@HOST.example\n"));
    }

    @Test
    void recipientDelimiterExtensionGoesToTheUsersMailbox() throws Exception {
        h.conf.put("recipient_delimiter", "+-");
        FakeRequest r = h.deliver(MSG, "root+lists@host.example", "root-news@host.example");
        assertEquals(2, r.reports.size());
        String text = h.read(h.mbox("root"));
        assertTrue(text.contains("\nDelivered-To: root+lists@host.example\n"), text);
        assertTrue(text.contains("\nDelivered-To: root-news@host.example\n"), text);
        assertEquals(2, LocalHarness.pythonMessages(h.mbox("root")).size());
    }

    @Test
    void withoutDelimiterTheExtendedNameIsUnknown() {
        FakeRequest r = h.deliver(MSG, "root+lists@host.example");
        assertEquals("bounced", r.only().kind());
        assertEquals("unknown user: \"root+lists\"", r.only().text());
    }

    @Test
    void deliveredToHeaderForThisRecipientIsAForwardingLoop() throws Exception {
        FakeRequest r = h.deliver("Delivered-To: root@host.example\nSubject: loop\n\nx\n", "root@host.example");
        assertEquals("root@host.example bounced 5.4.6 (mail forwarding loop for root@host.example)", r.only().toString());
        assertFalse(Files.exists(h.mbox("root")));
    }

    @Test
    void deliveredToInTheBodyIsNotALoop() {
        FakeRequest r = h.deliver("Subject: x\n\nDelivered-To: root@host.example\n", "root@host.example");
        assertEquals("sent", r.only().kind());
    }

    @Test
    void forgedMboxMetadataHeadersAreStripped() throws Exception {
        h.deliver("Status: RO\nX-Status: AF\nX-Keywords: $Label1\nX-UID: 99\nX-IMAP: 1 2\nX-IMAPbase: 1 2\n"
                + "Content-Length: 5\nSubject: s\n\nStatus: body\n", "root@host.example");
        String text = h.read(h.mbox("root"));
        assertFalse(text.contains("Status: RO"), text);
        assertFalse(text.contains("X-UID"), text);
        assertFalse(text.contains("X-IMAP"), text);
        assertFalse(text.contains("X-Keywords"), text);
        assertFalse(text.contains("Content-Length"), text);
        assertTrue(text.contains("\nSubject: s\n\nStatus: body\n"), text);
    }

    @Test
    void mailboxSizeLimitBouncesWith522AndLeavesTheMailboxAlone() throws Exception {
        h.deliver(MSG, "root@host.example");
        long before = Files.size(h.mbox("root"));
        h.conf.put("mailbox_size_limit", String.valueOf(before + 50));
        FakeRequest r = h.deliver(MSG, "root@host.example");
        assertEquals("root@host.example bounced 5.2.2 (cannot update mailbox " + h.mbox("root")
                + " for user root. error writing message: File too large)", r.only().toString());
        assertEquals(before, Files.size(h.mbox("root")));
    }

    @Test
    void zeroMailboxSizeLimitMeansNoLimit() {
        h.conf.put("mailbox_size_limit", "0");
        assertEquals("sent", h.deliver(MSG, "root@host.example").only().kind());
    }

    @Test
    void mailboxLockedWithDotlockfileIsDeferred() throws Exception {
        Files.writeString(h.mbox("root"), "");
        assertEquals(0, new ProcessBuilder("dotlockfile", "-l", h.mbox("root") + ".lock").start().waitFor());
        try {
            FakeRequest r = h.deliver(MSG, "root@host.example");
            assertEquals("root@host.example deferred 4.2.0 (cannot update mailbox " + h.mbox("root")
                    + " for user root. unable to create lock file " + h.mbox("root") + ".lock: File exists)",
                    r.only().toString());
            assertEquals(0, Files.size(h.mbox("root")));
        } finally {
            new ProcessBuilder("dotlockfile", "-u", h.mbox("root") + ".lock").start().waitFor();
        }
    }

    @Test
    void symlinkedMailboxIsNotFollowed() throws Exception {
        UnixUser nobody = nobody();
        Path target = dir.resolve("precious");
        Files.writeString(target, "do not touch\n");
        Files.createSymbolicLink(h.mbox("nobody"), target);
        Files.setAttribute(h.mbox("nobody"), "unix:uid", nobody.uid(), LinkOption.NOFOLLOW_LINKS);
        FakeRequest r = h.deliver(MSG, "nobody@host.example");
        assertEquals("bounced", r.only().kind());
        assertEquals("cannot update mailbox " + h.mbox("nobody") + " for user nobody. file is a symbolic link",
                r.only().text());
        assertEquals("do not touch\n", h.read(target));
    }

    @Test
    void mailboxOfAnotherOwnerIsDeferred() throws Exception {
        nobody();
        Files.writeString(h.mbox("nobody"), "");
        FakeRequest r = h.deliver(MSG, "nobody@host.example");
        assertEquals("nobody@host.example deferred 4.2.0 (cannot update mailbox " + h.mbox("nobody")
                + " for user nobody. destination " + h.mbox("nobody") + " is not owned by recipient)",
                r.only().toString());
    }

    @Test
    void directoryInPlaceOfMailboxBounces() throws Exception {
        Files.createDirectory(h.mbox("root"));
        FakeRequest r = h.deliver(MSG, "root@host.example");
        assertEquals("bounced", r.only().kind());
        assertEquals("5.2.0", r.only().dsn());
        assertTrue(r.only().text().startsWith("cannot update mailbox " + h.mbox("root") + " for user root. "),
                r.only().text());
    }

    @Test
    void postmasterWithoutAliasGoesToRootsMailbox() throws Exception {
        FakeRequest r = h.deliver(MSG, "postmaster@host.example");
        assertEquals("sent", r.only().kind());
        assertTrue(h.read(h.mbox("root")).contains("\nDelivered-To: postmaster@host.example\n"));
    }

    @Test
    void recipientsForTheSameMailboxAreAppendedTogether() throws Exception {
        h.conf.put("recipient_delimiter", "+");
        FakeRequest r = h.deliver(MSG, "root@host.example", "root+a@host.example", "root+b@host.example",
                "nosuchuser@host.example");
        assertEquals(4, r.reports.size());
        assertEquals("bounced", r.of("nosuchuser@host.example").kind());
        assertEquals(3, LocalHarness.pythonMessages(h.mbox("root")).size());
        try (var files = Files.list(h.queue.resolve("jmail-local-journal"))) {
            assertEquals(1, files.count(), "one journal record (slot) for one batched append");
        }
    }

    @Test
    void homeMailboxEndingInSlashIsDeferredAsMaildir() {
        h.conf.put("home_mailbox", "Maildir/");
        FakeRequest r = h.deliver(MSG, "root@host.example");
        assertEquals("deferred", r.only().kind());
        assertTrue(r.only().text().contains("maildir"), r.only().text());
    }
}
