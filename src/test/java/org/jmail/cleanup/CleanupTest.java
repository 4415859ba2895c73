package org.jmail.cleanup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jmail.config.MainConfig;
import org.jmail.queue.CapturedLog;
import org.jmail.queue.MailQueue;
import org.jmail.queue.QueuedMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CleanupTest {

    static final MessageOrigin REMOTE = new MessageOrigin("client.example", "192.0.2.7", 40000, "client.example",
            "ESMTP", null, null, null);
    static final MessageOrigin LOOPBACK = new MessageOrigin("localhost", "127.0.0.1", 40001, "localhost",
            "ESMTP", null, null, null);
    static final MessageOrigin SENDMAIL = new MessageOrigin("localhost", "127.0.0.1", 0, null, "local", null,
            null, "root");

    @TempDir
    Path dir;
    MailQueue queue;
    CapturedLog log;
    final List<QueuedMessage> committed = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        log = CapturedLog.install();
        queue = MailQueue.open(dir.resolve("spool"));
        queue.setListener(committed::add);
    }

    @AfterEach
    void tearDown() {
        queue.close();
        log.uninstall();
    }

    Cleanup cleanup(Map<String, String> extra) {
        Map<String, String> s = new HashMap<>();
        s.put("myhostname", "mail.example.com");
        s.put("queue_directory", dir.resolve("spool").toString());
        s.putAll(extra);
        return new Cleanup(MainConfig.of(dir, s), queue);
    }

    static void write(CleanupSession s, String content) throws Exception {
        for (String line : content.split("\n", -1)) {
            byte[] b = line.getBytes(StandardCharsets.UTF_8);
            s.writeLine(b, 0, b.length);
        }
    }

    static String content(QueuedMessage m) throws Exception {
        try (InputStream in = m.openContent()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    QueuedMessage send(Cleanup c, MessageOrigin o, String sender, String rcpt, String content) throws Exception {
        CleanupSession s = c.open(o, sender);
        s.addRecipient(rcpt, null);
        s.prependHeader("Received: from client.example (client.example [192.0.2.7])\n\tby mail.example.com (jmail) with ESMTP id "
                + s.queueId() + "\n\tfor <" + rcpt + ">; Mon, 06 May 2024 09:08:09 +0200 (CEST)");
        write(s, content);
        s.commit();
        return committed.get(committed.size() - 1);
    }

    @Test
    void receivedComesFirstAndMissingMessageIdAndDateAreAddedAtEndOfHeaders() throws Exception {
        QueuedMessage m = send(cleanup(Map.of()), REMOTE, "a@example.org", "b@mail.example.com",
                "Subject: test\nFrom: a@example.org\n\nbody");
        String c = content(m);
        String[] lines = c.split("\n");
        assertTrue(lines[0].startsWith("Received: from client.example"), c);
        assertTrue(lines[1].startsWith("\tby mail.example.com"), c);
        assertEquals("Subject: test", lines[3]);
        assertEquals("From: a@example.org", lines[4]);
        assertTrue(Pattern.matches("Message-Id: <\\d{14}\\." + m.id() + "@mail\\.example\\.com>", lines[5]), lines[5]);
        assertTrue(Pattern.matches("Date: \\w{3}, \\d{2} \\w{3} \\d{4} \\d{2}:\\d{2}:\\d{2} [+-]\\d{4} \\(.+\\)", lines[6]),
                lines[6]);
        assertEquals("", lines[7]);
        assertEquals("body", lines[8]);
        assertEquals(9, lines.length, "no From:/To: added for a remote client");
        String msgid = lines[5].substring("Message-Id: ".length());
        assertNotNull(log.await("postfix/cleanup: " + m.id() + ": message-id=" + msgid, 1000), log.lines().toString());
        assertEquals(List.of("postfix/smtpd: " + m.id() + ": client=client.example[192.0.2.7]"), log.matching("client="));
    }

    @Test
    void existingMessageIdAndDateAreKeptAndLogged() throws Exception {
        QueuedMessage m = send(cleanup(Map.of()), REMOTE, "a@example.org", "b@mail.example.com",
                "Message-ID: <abc@example.org>\nDate: Sun, 05 May 2024 10:00:00 +0000\nSubject: x\n\nbody");
        String c = content(m);
        assertFalse(c.contains("Message-Id:"), c);
        assertEquals(1, c.split("\nDate: ", -1).length - 1, c);
        assertEquals(List.of("postfix/cleanup: " + m.id() + ": message-id=<abc@example.org>"), log.matching("message-id="));
    }

    @Test
    void returnPathBccAndContentLengthHeadersAreRemoved() throws Exception {
        QueuedMessage m = send(cleanup(Map.of()), REMOTE, "a@example.org", "b@mail.example.com",
                "Return-Path: <forged@example.net>\nSubject: x\nbcc: hidden@example.net,\n  other@example.net\n"
                        + "Content-Length: 5\nReturn-path: <again@example.net>\n\nReturn-Path: in the body stays");
        String c = content(m);
        assertFalse(c.toLowerCase().contains("return-path: <"), c);
        assertFalse(c.toLowerCase().contains("bcc:"), c);
        assertFalse(c.contains("other@example.net"), c);
        assertFalse(c.contains("Content-Length"), c);
        assertTrue(c.endsWith("\nReturn-Path: in the body stays\n"), c);
    }

    @Test
    void localSubmissionAlsoGetsFromAndLogsUid() throws Exception {
        Cleanup c = cleanup(Map.of());
        CleanupSession s = c.open(SENDMAIL, "root");
        s.addRecipient("postmaster", null);
        write(s, "Subject: from cron\n\nhello");
        s.commit();
        QueuedMessage m = committed.get(0);
        assertEquals("root@mail.example.com", m.sender());
        assertEquals("postmaster@mail.example.com", m.recipients().get(0).address());
        assertEquals("postmaster", m.recipients().get(0).original());
        String content = content(m);
        assertTrue(content.contains("\nFrom: root@mail.example.com\n"), content);
        assertFalse(content.contains("\nTo:"), "undisclosed_recipients_header is empty by default");
        assertEquals(List.of("postfix/pickup: " + m.id() + ": uid=0 from=<root>"), log.matching("uid="));
        assertTrue(log.matching("client=").isEmpty());
    }

    @Test
    void loopbackClientIsALocalRewritingContext() throws Exception {
        QueuedMessage m = send(cleanup(Map.of("undisclosed_recipients_header", "To: undisclosed-recipients:;")),
                LOOPBACK, "a@example.org", "b@mail.example.com", "Subject: x\n\nbody");
        String c = content(m);
        assertTrue(c.contains("\nFrom: a@example.org\n"), c);
        assertTrue(c.contains("\nTo: undisclosed-recipients:;\n"), c);
    }

    @Test
    void localSubmissionsGetMyoriginOnUnqualifiedHeaderAddresses() throws Exception {
        // Postfix's append_at_myorigin in the local rewriting context (sendmail -t, mail(1), cron)
        String headers = "From: Root <root>\nTo: alex, bob@example.org\nCc: carol\nSubject: alex\n\nbody";
        String local = content(send(cleanup(Map.of()), LOOPBACK, "a@example.org", "b@mail.example.com", headers));
        assertTrue(local.contains("\nFrom: Root <root@mail.example.com>\nTo: alex@mail.example.com, bob@example.org\n"
                + "Cc: carol@mail.example.com\nSubject: alex\n"), local);
        String remote = content(send(cleanup(Map.of()), REMOTE, "a@example.org", "b@mail.example.com", headers));
        assertTrue(remote.contains("\nFrom: Root <root>\nTo: alex, bob@example.org\nCc: carol\n"), remote);
        String off = content(send(cleanup(Map.of("append_at_myorigin", "no")), LOOPBACK, "a@example.org",
                "b@mail.example.com", headers));
        assertTrue(off.contains("\nTo: alex, bob@example.org\n"), off);
    }

    @Test
    void messageLargerThanMessageSizeLimitIsRefusedWith552AndLeavesNoFile() throws Exception {
        Cleanup c = cleanup(Map.of("message_size_limit", "1000"));
        CleanupSession s = c.open(REMOTE, "a@example.org");
        s.addRecipient("b@mail.example.com", null);
        write(s, "Subject: big\n\n" + ("0123456789".repeat(7) + "\n").repeat(20));
        assertTrue(s.size() > 1000);
        CleanupException e = assertThrows(CleanupException.class, s::commit);
        assertEquals("552 5.3.4 Message size exceeds fixed limit", e.reply());
        assertTrue(committed.isEmpty());
        assertEquals(List.of(), queue.list(MailQueue.INCOMING));
        assertEquals(List.of(), queue.list(MailQueue.ACTIVE));
    }

    @Test
    void messageAtTheSizeLimitIsAccepted() throws Exception {
        Cleanup c = cleanup(Map.of("message_size_limit", "100"));
        CleanupSession s = c.open(REMOTE, "a@example.org");
        s.addRecipient("b@mail.example.com", null);
        write(s, "x".repeat(99)); // 99 bytes + LF = the limit
        assertEquals(100, s.size());
        s.commit();
        assertEquals(1, committed.size());
    }

    @Test
    void headerLongerThanHeaderSizeLimitIsTruncatedNotMovedToBody() throws Exception {
        QueuedMessage m = send(cleanup(Map.of("header_size_limit", "100")), REMOTE, "a@example.org", "b@x",
                "Subject: " + "s".repeat(150) + "\nX-Folded: first\n" + (" continuation " + "c".repeat(10) + "\n").repeat(10)
                        + "X-After: kept\n\nbody");
        String c = content(m);
        assertTrue(c.contains("\nSubject: " + "s".repeat(91) + "\n"), "unkind cut at 100 bytes: " + c);
        assertTrue(c.contains("\nX-After: kept\n"), c);
        int folded = c.indexOf("X-Folded:");
        int after = c.indexOf("X-After:");
        String block = c.substring(folded, after);
        // lines start at 0, 16, 41, 66, 91: the one at 91 crosses the limit and starts past 90%,
        // so Postfix cuts nicely before it
        assertEquals(91, block.length(), "folded header cut at the last line boundary: " + block);
        assertTrue(block.endsWith("c\n"), "cut at a line boundary: " + block);
        assertTrue(c.endsWith("\n\nbody\n"), c);
        assertFalse(c.substring(c.indexOf("\n\n")).contains("continuation"), "excess is discarded, not body text");
    }

    @Test
    void nonHeaderLineEndsTheHeadersWithAnInsertedBlankLine() throws Exception {
        QueuedMessage m = send(cleanup(Map.of()), REMOTE, "a@example.org", "b@x", "Subject: x\nthis is body text\nmore");
        String c = content(m);
        assertTrue(Pattern.compile("\nDate: [^\n]+\n\nthis is body text\nmore\n$").matcher(c).find(), c);
    }

    @Test
    void blanksBeforeTheColonAreRemoved() throws Exception {
        QueuedMessage m = send(cleanup(Map.of()), REMOTE, "a@example.org", "b@x", "Subject  : spaced\n\nb");
        assertTrue(content(m).contains("\nSubject: spaced\n"), content(m));
    }

    @Test
    void resentHeadersGetResentMessageIdAndDate() throws Exception {
        QueuedMessage m = send(cleanup(Map.of()), REMOTE, "a@example.org", "b@x",
                "Message-ID: <orig@example.org>\nDate: Sun, 05 May 2024 10:00:00 +0000\nResent-From: c@example.org\n\nb");
        String c = content(m);
        assertTrue(c.contains("\nResent-Message-Id: <"), c);
        assertTrue(c.contains("\nResent-Date: "), c);
        assertEquals(1, log.matching("resent-message-id=<").size());
    }

    @Test
    void identicalRecipientsAreKeptOnceAndUnqualifiedOnesGetMyorigin() throws Exception {
        Cleanup c = cleanup(Map.of("myorigin", "example.com"));
        CleanupSession s = c.open(REMOTE, "a@example.org");
        s.addRecipient("b@x", null);
        s.addRecipient("b@x", null);
        s.addRecipient("b@x", "other@x");
        s.addRecipient("user", null);
        write(s, "Subject: x\n\nb");
        s.commit();
        QueuedMessage m = committed.get(0);
        assertEquals(3, m.recipients().size());
        assertEquals("user@example.com", m.recipients().get(2).address());
        assertEquals("user", m.recipients().get(2).original());
    }

    @Test
    void mailerDaemonSenderBecomesTheNullSender() throws Exception {
        QueuedMessage m = send(cleanup(Map.of()), REMOTE, "MAILER-DAEMON@mail.example.com", "b@x", "Subject: x\n\nb");
        assertEquals("", m.sender());
    }

    @Test
    void tooManyReceivedHeadersIsRefusedWith554() throws Exception {
        Cleanup c = cleanup(Map.of("hopcount_limit", "5"));
        CleanupSession s = c.open(REMOTE, "a@example.org");
        s.addRecipient("b@x", null);
        s.prependHeader("Received: by us");
        write(s, "Received: by a\nReceived: by b\nReceived: by c\nReceived: by d\n\nbody");
        CleanupException e = assertThrows(CleanupException.class, s::commit);
        assertEquals("554 5.4.0 Error: too many hops", e.reply());
        assertEquals(List.of(), queue.list(MailQueue.ACTIVE));
        assertEquals(1, log.matching("message rejected: hopcount exceeded").size());
    }

    @Test
    void abortRemovesTheQueueFile() throws Exception {
        CleanupSession s = cleanup(Map.of()).open(REMOTE, "a@example.org");
        s.addRecipient("b@x", null);
        write(s, "Subject: x");
        assertEquals(1, queue.list(MailQueue.INCOMING).size());
        s.abort();
        s.abort();
        assertEquals(List.of(), queue.list(MailQueue.INCOMING));
        assertTrue(committed.isEmpty());
    }

    @Test
    void commitWithoutRecipientsIsRefused() throws Exception {
        CleanupSession s = cleanup(Map.of()).open(REMOTE, "a@example.org");
        write(s, "Subject: x");
        assertEquals("554 5.5.1 Error: no valid recipients", assertThrows(CleanupException.class, s::commit).reply());
        assertEquals(List.of(), queue.list(MailQueue.INCOMING));
    }

    @Test
    void headersOnlyMessageStillGetsAddedHeaders() throws Exception {
        QueuedMessage m = send(cleanup(Map.of()), REMOTE, "a@example.org", "b@x", "Subject: only headers");
        String c = content(m);
        assertTrue(c.contains("\nSubject: only headers\nMessage-Id: <"), c);
        assertTrue(Files.exists(m.path()));
    }

    @Test
    void longBodyLinesAreKeptWhole() throws Exception {
        String longLine = "y".repeat(5000);
        QueuedMessage m = send(cleanup(Map.of()), REMOTE, "a@example.org", "b@x", "Subject: x\n\n" + longLine);
        assertTrue(content(m).endsWith("\n" + longLine + "\n"));
    }

    @Test
    void mailDateLooksLikePostfixs() {
        assertEquals("Mon, 06 May 2024 09:08:09 +0200 (CEST)",
                MailDate.format(java.time.Instant.parse("2024-05-06T07:08:09Z"), java.time.ZoneId.of("Europe/Berlin")));
        assertEquals("Tue, 07 Jan 2025 07:08:09 +0000 (UTC)",
                MailDate.format(java.time.Instant.parse("2025-01-07T07:08:09Z"), java.time.ZoneId.of("UTC")));
    }

    Cleanup withChecks(String headerChecks, String bodyChecks, String bodyLimit) throws Exception {
        Map<String, String> m = new HashMap<>();
        if (headerChecks != null) {
            Files.writeString(dir.resolve("header_checks"), headerChecks);
            m.put("header_checks", "regexp:" + dir.resolve("header_checks"));
        }
        if (bodyChecks != null) {
            Files.writeString(dir.resolve("body_checks"), bodyChecks);
            m.put("body_checks", "pcre:" + dir.resolve("body_checks"));
        }
        if (bodyLimit != null) {
            m.put("body_checks_size_limit", bodyLimit);
        }
        return cleanup(m);
    }

    static final String HEADER_CHECKS = String.join("\n",
            "/^Subject: .*viagra/ REJECT no spam here",
            "/^Subject: .*later/ REJECT 4.7.1 try later",
            "/^Subject: plain$/ REJECT",
            "/^X-Drop:/ IGNORE",
            "/^X-Old: (.*)/ REPLACE X-New: $1",
            "/^X-Mark:/ PREPEND X-Marked: yes",
            "/^X-Warn:/ WARN looked odd",
            "/^X-Discard:/ DISCARD gone",
            "/^X-Hold:/ HOLD wait",
            "/^Message-ID:/ IGNORE",
            "");

    @Test
    void headerChecksRejectWithPostfixsRepliesAndLogLine() throws Exception {
        Cleanup c = withChecks(HEADER_CHECKS, null, null);
        CleanupException e = assertThrows(CleanupException.class, () -> send(c, REMOTE, "a@example.org",
                "b@mail.example.com", "Subject: buy viagra\nFrom: a@example.org\n\nbody"));
        assertEquals("550 5.7.1 no spam here", e.reply());
        assertNotNull(log.await(": reject: header Subject: buy viagra from client.example[192.0.2.7]; "
                + "from=<a@example.org> to=<b@mail.example.com> proto=ESMTP helo=<client.example>: 5.7.1 no spam here",
                1000), log.lines().toString());
        assertEquals("451 4.7.1 try later", assertThrows(CleanupException.class, () -> send(c, REMOTE, "a@example.org",
                "b@mail.example.com", "Subject: see you later\n\nbody")).reply());
        assertEquals("550 5.7.1 message content rejected", assertThrows(CleanupException.class, () -> send(c, REMOTE,
                "a@example.org", "b@mail.example.com", "Subject: plain\n\nbody")).reply());
        assertTrue(committed.isEmpty());
        assertEquals(List.of(), queue.list(MailQueue.INCOMING), "rejected files are removed");
    }

    @Test
    void headerChecksIgnoreReplacePrependAndWarn() throws Exception {
        QueuedMessage m = send(withChecks(HEADER_CHECKS, null, null), REMOTE, "a@example.org", "b@mail.example.com",
                "Subject: fine\nX-Drop: me\n\tcontinued\nX-Old: value\nX-Mark: here\nX-Warn: odd\n"
                        + "Message-ID: <dropped@example.org>\n\nbody");
        String c = content(m);
        assertFalse(c.contains("X-Drop") || c.contains("continued"), c);
        assertTrue(c.contains("\nX-New: value\n"), c);
        assertFalse(c.contains("X-Old"), c);
        assertTrue(c.contains("\nX-Marked: yes\nX-Mark: here\n"), c);
        assertTrue(c.contains("\nX-Warn: odd\n"), c);
        assertFalse(c.contains("dropped@example.org"), c);
        assertTrue(c.contains("\nMessage-Id: <"), "an IGNOREd Message-ID is added again: " + c);
        assertNotNull(log.await(m.id() + ": warning: header X-Warn: odd from client.example[192.0.2.7]; "
                + "from=<a@example.org> to=<b@mail.example.com> proto=ESMTP helo=<client.example>: looked odd", 1000));
        assertNotNull(log.await(m.id() + ": replace: header X-Old: value from client.example[192.0.2.7];", 1000));
    }

    @Test
    void headerChecksDiscardAcceptsAndDropsAndHoldParksTheMessage() throws Exception {
        Cleanup c = withChecks(HEADER_CHECKS, null, null);
        CleanupSession d = c.open(REMOTE, "a@example.org");
        d.addRecipient("b@mail.example.com", null);
        write(d, "X-Discard: yes\n\nbody");
        d.commit(); // no exception: the client hears 250
        assertTrue(committed.isEmpty());
        assertEquals(List.of(), queue.list(MailQueue.INCOMING));
        assertEquals(List.of(), queue.list(MailQueue.ACTIVE));
        assertNotNull(log.await(d.queueId() + ": discard: header X-Discard: yes from client.example[192.0.2.7];", 1000));

        CleanupSession h = c.open(REMOTE, "a@example.org");
        h.addRecipient("b@mail.example.com", null);
        write(h, "X-Hold: yes\n\nbody");
        h.commit();
        assertTrue(committed.isEmpty(), "held mail is not handed to qmgr");
        assertEquals(List.of(h.queueId()), queue.list(MailQueue.HOLD));
        assertNotNull(log.await(h.queueId() + ": hold: header X-Hold: yes from client.example[192.0.2.7];", 1000));
    }

    @Test
    void noHeaderBodyChecksInReceiveOverrideOptionsSkipsTheChecks() throws Exception {
        Cleanup c = withChecks(HEADER_CHECKS, null, null);
        CleanupSession s = c.open(REMOTE, "a@example.org", java.util.Set.of("no_header_body_checks"));
        s.addRecipient("b@mail.example.com", null);
        write(s, "Subject: buy viagra\nX-Drop: kept\n\nbody");
        s.commit();
        String content = content(committed.get(0));
        assertTrue(content.contains("Subject: buy viagra\n") && content.contains("X-Drop: kept\n"), content);
        Map<String, String> m = new HashMap<>();
        m.put("receive_override_options", "no_header_body_checks");
        Files.writeString(dir.resolve("header_checks"), HEADER_CHECKS);
        m.put("header_checks", "regexp:" + dir.resolve("header_checks"));
        send(cleanup(m), REMOTE, "a@example.org", "b@mail.example.com", "Subject: buy viagra\n\nbody");
        assertEquals(2, committed.size(), "main.cf's receive_override_options applies too");
    }

    @Test
    void noAddressMappingsLeavesVirtualAliasesAlone() throws Exception {
        Cleanup c = cleanup(Map.of("virtual_alias_maps", "inline:{ b@mail.example.com=c@mail.example.com }"));
        send(c, REMOTE, "a@example.org", "b@mail.example.com", "Subject: mapped\n\nbody");
        assertEquals("c@mail.example.com", committed.get(0).recipients().get(0).address());
        CleanupSession s = c.open(REMOTE, "a@example.org", java.util.Set.of("no_address_mappings"));
        s.addRecipient("b@mail.example.com", null);
        write(s, "Subject: not mapped\n\nbody");
        s.commit();
        assertEquals("b@mail.example.com", committed.get(1).recipients().get(0).address());
    }

    static final String MULTIPART = String.join("\n",
            "Subject: with attachment",
            "MIME-Version: 1.0",
            "Content-Type: multipart/mixed;",
            "\tboundary=\"outer\"",
            "",
            "preamble: Content-Disposition: attachment; filename=\"body.exe\"",
            "--outer",
            "Content-Type: text/plain",
            "",
            "hello",
            "--outer",
            "Content-Type: message/rfc822",
            "",
            "Subject: inner message",
            "X-Inner: 1",
            "",
            "inner body",
            "--outer",
            "Content-Type: application/octet-stream",
            "Content-Disposition: attachment;",
            "\tfilename=\"%s\"",
            "",
            "AAAA",
            "--outer--",
            "epilogue");

    @Test
    void mimePartHeadersGoThroughHeaderChecksAndBodyTextDoesNot() throws Exception {
        String rules = "/^Content-(Disposition|Type):.*name\\s*=\\s*\"?[^\"]*\\.(exe|bat)\"?/ REJECT Attachment type not allowed\n"
                + "/^X-Inner:/ IGNORE\n";
        Cleanup c = withChecks(rules, null, null);
        CleanupException e = assertThrows(CleanupException.class, () -> send(c, REMOTE, "a@example.org",
                "b@mail.example.com", String.format(MULTIPART, "tool.exe")));
        assertEquals("550 5.7.1 Attachment type not allowed", e.reply());
        assertNotNull(log.await(": reject: header Content-Disposition: attachment;??filename=\"tool.exe\" from ", 1000),
                log.lines().toString());
        // the same words in the preamble are body text; the nested message's header is a header
        QueuedMessage m = send(c, REMOTE, "a@example.org", "b@mail.example.com", String.format(MULTIPART, "notes.txt"));
        String content = content(m);
        assertTrue(content.contains("preamble: Content-Disposition: attachment; filename=\"body.exe\""), content);
        assertFalse(content.contains("X-Inner"), "nested_header_checks = $header_checks: " + content);
        assertTrue(content.contains("\nSubject: inner message\n\ninner body\n--outer\n"), content);
        assertTrue(content.contains("Content-Disposition: attachment;\n\tfilename=\"notes.txt\"\n\nAAAA\n--outer--\nepilogue"),
                content);
    }

    @Test
    void partHeadersThatAreNotUtf8AreWrittenAsReceived() throws Exception {
        Cleanup c = withChecks("/^X-Nothing:/ WARN x\n", null, null);
        CleanupSession s = c.open(REMOTE, "a@example.org");
        s.addRecipient("b@mail.example.com", null);
        String[] lines = {"Subject: latin-1", "Content-Type: multipart/mixed; boundary=b", "", "--b",
            "Content-Disposition: attachment; filename=\"caf\u00e9.txt\"", "", "x", "--b--"};
        for (String l : lines) {
            byte[] b = l.getBytes(StandardCharsets.ISO_8859_1); // the part header has a lone 0xE9 byte
            s.writeLine(b, 0, b.length);
        }
        s.commit();
        byte[] content;
        try (InputStream in = committed.get(0).openContent()) {
            content = in.readAllBytes();
        }
        String asLatin1 = new String(content, StandardCharsets.ISO_8859_1);
        assertTrue(asLatin1.contains("filename=\"caf\u00e9.txt\"\n"), asLatin1);
    }

    @Test
    void bodyChecksSeeBodyLinesButNotPartHeaders() throws Exception {
        Cleanup c = withChecks(null, "/^Content-Type:/ REJECT part header seen as body\n/^hello$/ REPLACE bye\n", null);
        QueuedMessage m = send(c, REMOTE, "a@example.org", "b@mail.example.com", String.format(MULTIPART, "x.txt"));
        String content = content(m);
        assertTrue(content.contains("\nContent-Type: text/plain\n\nbye\n--outer\n"), content);
    }

    @Test
    void bodyChecksActOnBodyLinesWithinTheSizeLimit() throws Exception {
        String body = String.join("\n", "/^drop me$/ IGNORE", "/^replace me$/ REPLACE replaced",
                "/^mark me$/ PREPEND marker", "/^secret/ REJECT body says no", "");
        QueuedMessage m = send(withChecks(null, body, null), REMOTE, "a@example.org", "b@mail.example.com",
                "Subject: x\n\nfirst\ndrop me\nreplace me\nmark me\nlast");
        assertTrue(content(m).endsWith("\n\nfirst\nreplaced\nmarker\nmark me\nlast\n"), content(m));
        CleanupException e = assertThrows(CleanupException.class, () -> send(withChecks(null, body, null), REMOTE,
                "a@example.org", "b@mail.example.com", "Subject: x\n\nsecret plans"));
        assertEquals("550 5.7.1 body says no", e.reply());
        assertNotNull(log.await(": reject: body secret plans from client.example[192.0.2.7];", 1000));
        // past body_checks_size_limit nothing is looked at
        QueuedMessage late = send(withChecks(null, body, "20"), REMOTE, "a@example.org", "b@mail.example.com",
                "Subject: x\n\n0123456789\n0123456789\nsecret after the limit");
        assertTrue(content(late).contains("secret after the limit"), content(late));
    }
}
