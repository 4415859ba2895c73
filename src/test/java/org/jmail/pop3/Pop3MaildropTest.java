package org.jmail.pop3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jmail.log.MailLog;
import org.jmail.store.StoredMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class Pop3MaildropTest {

    static final String M1 = "From: a@example.org\nSubject: one\n\nline 1\n.dot line\nline 3\n";
    static final String M2 = "Subject: two\n\nsecond\n";

    LogCapture log;
    FakeStore store;
    FakeStore.Folder inbox;
    FakeAuth auth;
    Pop3Settings settings;

    @BeforeEach
    void setUp() {
        log = LogCapture.install();
        store = new FakeStore();
        inbox = store.folder("alice");
        inbox.deliver(M1);
        inbox.deliver(M2);
        auth = new FakeAuth(Map.of("alice", "secret"));
        settings = Pop3Settings.defaults().withAuthFailureDelay(Duration.ZERO);
    }

    @AfterEach
    void tearDown() {
        log.uninstall();
    }

    Harness session() throws Exception {
        return new Harness(settings, auth, store, "127.0.0.1", false, new SessionRegistry()).login("alice", "secret");
    }

    static int crlfSize(String lf) {
        return lf.replace("\n", "\r\n").length();
    }

    @Test
    void statAndListReportCrlfSizes() throws Exception {
        Harness h = session();
        int s1 = crlfSize(M1);
        int s2 = crlfSize(M2);
        assertEquals("+OK 2 " + (s1 + s2) + "\r\n", h.send("STAT"));
        assertEquals("+OK 2 messages:\r\n1 " + s1 + "\r\n2 " + s2 + "\r\n.\r\n", h.send("LIST"));
        assertEquals("+OK 2 " + s2 + "\r\n", h.send("LIST 2"));
        assertEquals("+OK 2 " + s2 + "\r\n", h.send("list   2"));
    }

    @Test
    void uidlIsDovecotsDefaultFormatInLowercaseHex() throws Exception {
        inbox.uidValidity = 0x5F00AB12L;
        Harness h = session();
        assertEquals("+OK\r\n1 000000015f00ab12\r\n2 000000025f00ab12\r\n.\r\n", h.send("UIDL"));
        assertEquals("+OK 2 000000025f00ab12\r\n", h.send("UIDL 2"));
    }

    @Test
    void retrSendsTheMessageByteStuffedWithItsOctetCount() throws Exception {
        Harness h = session();
        String expected = "+OK " + crlfSize(M1) + " octets\r\n"
                + "From: a@example.org\r\nSubject: one\r\n\r\nline 1\r\n..dot line\r\nline 3\r\n.\r\n";
        assertEquals(expected, h.send("RETR 1"));
    }

    @Test
    void topSendsHeaderBlankLineAndRequestedBodyLines() throws Exception {
        Harness h = session();
        assertEquals("+OK\r\nFrom: a@example.org\r\nSubject: one\r\n\r\nline 1\r\n..dot line\r\n.\r\n",
                h.send("TOP 1 2"));
        assertEquals("+OK\r\nFrom: a@example.org\r\nSubject: one\r\n\r\n.\r\n", h.send("TOP 1 0"));
        assertEquals("-ERR Noise after message number: \r\n", h.send("TOP 1"));
        assertEquals("-ERR Invalid size: x\r\n", h.send("TOP 1 x"));
        assertEquals("-ERR Noise after size: z\r\n", h.send("TOP 1 3z"));
    }

    @Test
    void deleQuitExpungesOnlyTheMarkedMessages() throws Exception {
        Harness h = session();
        assertEquals("+OK Marked to be deleted.\r\n", h.send("DELE 1"));
        assertEquals("-ERR Message is deleted.\r\n", h.send("RETR 1"));
        assertEquals("+OK 1 " + crlfSize(M2) + "\r\n", h.send("STAT"));
        assertEquals("+OK 1 messages:\r\n2 " + crlfSize(M2) + "\r\n.\r\n", h.send("LIST"));
        assertEquals(List.of(1L, 2L), inbox.uids(), "nothing is deleted before QUIT");
        assertEquals("+OK Logging out, messages deleted.\r\n", h.send("QUIT"));
        assertEquals(Pop3Session.Next.CLOSE, h.last);
        h.session.end();
        assertEquals(List.of(2L), inbox.uids());
        assertEquals(0, store.openMailboxes.get(), "the mailbox is closed");
    }

    @Test
    void rsetUnmarksDeletions() throws Exception {
        Harness h = session();
        h.send("DELE 1");
        h.send("DELE 2");
        assertEquals("+OK\r\n", h.send("RSET"));
        assertEquals("+OK 2 " + (crlfSize(M1) + crlfSize(M2)) + "\r\n", h.send("STAT"));
        assertEquals("+OK Logging out.\r\n", h.send("QUIT"));
        h.session.end();
        assertEquals(List.of(1L, 2L), inbox.uids());
        assertEquals(0, inbox.expungeCalls);
    }

    @Test
    void clientVanishingBeforeQuitDeletesNothingButKeepsSeen() throws Exception {
        Harness h = session();
        h.send("RETR 2");
        h.send("DELE 1");
        h.session.end(); // connection lost
        assertEquals(List.of(1L, 2L), inbox.uids());
        assertFalse(inbox.find(1).flags.contains(StoredMessage.DELETED));
        assertTrue(inbox.find(2).flags.contains(StoredMessage.SEEN));
        String line = log.find("dovecot: pop3(alice)");
        assertEquals("dovecot: pop3(alice)<" + MailLog.pid() + "><" + h.client.sessionId
                + ">: Connection closed top=0/0, retr=1/" + (crlfSize(M2) + ("+OK " + crlfSize(M2) + " octets\r\n").length())
                + ", del=0/2, size=" + (crlfSize(M1) + crlfSize(M2)), line);
    }

    @Test
    void retrMarksSeenAtQuitUnlessFlagUpdatesAreOff() throws Exception {
        Harness h = session();
        h.send("RETR 1");
        h.send("TOP 2 0");
        h.send("QUIT");
        h.session.end();
        assertTrue(inbox.find(1).flags.contains(StoredMessage.SEEN));
        assertFalse(inbox.find(2).flags.contains(StoredMessage.SEEN), "TOP does not mark \\Seen");

        inbox.find(1).flags.clear();
        settings = new Pop3Settings("jmail ready.", settings.uidlFormat(), false, true, "", false, true,
                List.of("PLAIN"), Duration.ZERO, 10, Duration.ofMinutes(10), Duration.ofMinutes(3));
        Harness h2 = session();
        h2.send("RETR 1");
        h2.send("QUIT");
        h2.session.end();
        assertFalse(inbox.find(1).flags.contains(StoredMessage.SEEN));
    }

    @Test
    void quitLogsDovecotsLogoutStatistics() throws Exception {
        Harness h = session();
        String retr = h.send("RETR 1");
        h.send("DELE 2");
        h.send("QUIT");
        h.session.end();
        int retrBytes = retr.length() - ".\r\n".length();
        assertEquals("dovecot: pop3(alice)<" + MailLog.pid() + "><" + h.client.sessionId
                + ">: Disconnected: Logged out top=0/0, retr=1/" + retrBytes + ", del=1/2, size="
                + (crlfSize(M1) + crlfSize(M2)), log.find("dovecot: pop3(alice)"));
    }

    @Test
    void mailArrivingDuringTheSessionIsNotShown() throws Exception {
        Harness h = session();
        inbox.deliver("Subject: late\n\nnew\n");
        assertTrue(h.send("STAT").startsWith("+OK 2 "));
        assertEquals("-ERR There's no message 3.\r\n", h.send("RETR 3"));
        h.send("DELE 1");
        h.send("QUIT");
        h.session.end();
        assertEquals(List.of(2L, 3L), inbox.uids());
    }

    @Test
    void messageNumberErrorsUseDovecotsWords() throws Exception {
        Harness h = session();
        assertEquals("-ERR There's no message 0.\r\n", h.send("RETR 0"));
        assertEquals("-ERR There's no message 99.\r\n", h.send("LIST 99"));
        assertEquals("-ERR Invalid message number: x\r\n", h.send("DELE x"));
        assertEquals("-ERR Invalid message number: \r\n", h.send("RETR"));
        assertEquals("-ERR Noise after message number: a\r\n", h.send("UIDL 1a"));
        assertEquals("-ERR Message number too large: 99999999999\r\n", h.send("RETR 99999999999"));
    }

    @Test
    void messageExpungedBehindOurBackIsReported() throws Exception {
        Harness h = session();
        inbox.unreadable.add(1L);
        assertEquals("-ERR Message 1 expunged.\r\n", h.send("RETR 1"));
        assertEquals("+OK\r\n", h.send("NOOP"));
    }

    @Test
    void unknownCommandsAfterLoginAreNamedAndTwentyOneInARowEndTheSession() throws Exception {
        Harness h = session();
        assertEquals("-ERR Unknown command: USER\r\n", h.send("user alice"));
        for (int i = 0; i < 19; i++) {
            h.send("FOO");
            assertEquals(Pop3Session.Next.CONTINUE, h.last);
        }
        assertEquals("-ERR Unknown command: FOO\r\n-ERR Too many bad commands.\r\n", h.send("FOO"));
        assertEquals(Pop3Session.Next.CLOSE, h.last);
        h.session.end();
        assertTrue(log.find("dovecot: pop3(alice)").contains(": Disconnected: Too many bad commands. top=0/0"));
    }

    @Test
    void goodCommandResetsTheBadCommandCount() throws Exception {
        Harness h = session();
        for (int i = 0; i < 20; i++) {
            h.send("FOO");
        }
        h.send("NOOP");
        h.send("FOO");
        assertEquals(Pop3Session.Next.CONTINUE, h.last);
    }

    @Test
    void capaAfterLoginListsDovecotsCapabilities() throws Exception {
        Harness h = session();
        assertEquals("+OK\r\nCAPA\r\nTOP\r\nUIDL\r\nRESP-CODES\r\nPIPELINING\r\nAUTH-RESP-CODE\r\n.\r\n", h.send("CAPA"));
    }

    @Test
    void deletedFlagHidesMessagesAndDeleSetsItInsteadOfExpunging() throws Exception {
        inbox.find(1).flags.add("$POP3Deleted");
        settings = new Pop3Settings("jmail ready.", settings.uidlFormat(), false, false, "$POP3Deleted", true, true,
                List.of("PLAIN"), Duration.ZERO, 10, Duration.ofMinutes(10), Duration.ofMinutes(3));
        Harness h = session();
        assertEquals("+OK 1 " + crlfSize(M2) + "\r\n", h.send("STAT"));
        h.send("DELE 1");
        h.send("QUIT");
        h.session.end();
        assertEquals(List.of(1L, 2L), inbox.uids());
        assertTrue(inbox.find(2).flags.contains("$POP3Deleted"));
    }

    @Test
    void overlongCommandLineAfterLoginIsAnsweredAndEnds() throws Exception {
        Harness h = session();
        h.session.lineTooLong();
        assertEquals("-ERR Input line too long.\r\n", h.take());
        h.session.end();
        assertTrue(log.find("dovecot: pop3(alice)").contains(": Input line too long top=0/0"));
    }

    @Test
    void idleTimeoutSaysInactivity() throws Exception {
        Harness h = session();
        h.session.idleTimeout();
        assertEquals("-ERR Disconnected for inactivity.\r\n", h.take());
        h.session.end();
        assertTrue(log.find("dovecot: pop3(alice)").contains(": Disconnected for inactivity top=0/0"));
    }
}
