package org.jmail.qmgr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jmail.cleanup.Cleanup;
import org.jmail.cleanup.CleanupSession;
import org.jmail.cleanup.MessageOrigin;
import org.jmail.config.MainConfig;
import org.jmail.queue.CapturedLog;
import org.jmail.queue.MailQueue;
import org.jmail.queue.QueueFileWriter;
import org.jmail.resolve.AddressClass;
import org.jmail.resolve.Resolution;
import org.jmail.resolve.Resolver;
import org.jmail.queue.QueuedRecipient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueueManagerTest {

    static final MessageOrigin CLIENT = new MessageOrigin("client.example", "192.0.2.7", 40000, "client.example",
            "ESMTP", null, null, null);

    /** A delivery agent that records each request and reports what {@link #behavior} says. */
    static final class FakeAgent implements DeliveryAgent {
        record Call(String queueId, String sender, List<DeliveryRequest.Recipient> recipients, boolean recovered,
                    String nexthop, String content) {
        }

        final String name;
        volatile Function<DeliveryRequest.Recipient, String[]> behavior =
                r -> new String[] {"sent", "2.0.0", "delivered to mailbox"};
        final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
        final List<String> afterCommit = Collections.synchronizedList(new ArrayList<>());
        volatile Runnable during = () -> { };

        FakeAgent(String name) {
            this.name = name;
        }

        @Override
        public String transport() {
            return name;
        }

        @Override
        public void deliver(DeliveryRequest req) {
            String content;
            try (InputStream in = req.openContent()) {
                content = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
            calls.add(new Call(req.queueId(), req.sender(), List.copyOf(req.recipients()), req.recovered(),
                    req.nexthop(), content));
            during.run();
            for (DeliveryRequest.Recipient r : req.recipients()) {
                String[] b = behavior.apply(r);
                switch (b[0]) {
                    case "sent" -> req.sent(r, name, b[1], b[2]);
                    case "deferred" -> req.deferred(r, name, b[1], b[2]);
                    case "bounced" -> req.bounced(r, name, b[1], b[2]);
                    case "expanded" -> { // {expanded, member, dsn, text}: one member logged, the next bounces
                        req.expanded(r, "first-" + b[1], false, "sent", name, "2.0.0", "delivered to mailbox", null);
                        req.expanded(r, b[1], true, "bounced", name, b[2], b[3], "x-unix; test diagnostic");
                    }
                    case "throw" -> throw new IllegalStateException("agent broke");
                    default -> { } // no report
                }
            }
        }

        @Override
        public void afterCommit(DeliveryRequest req) {
            afterCommit.add(req.queueId());
        }

        List<Call> callsFor(String address) {
            List<Call> out = new ArrayList<>();
            synchronized (calls) {
                for (Call c : calls) {
                    if (c.recipients().stream().anyMatch(r -> r.address().equals(address))) {
                        out.add(c);
                    }
                }
            }
            return out;
        }
    }

    /** Domain → route: local.test local, fail.test error, discard.test discard, remote.test smtp. */
    static final Resolver RESOLVER = address -> {
        String domain = address.substring(address.indexOf('@') + 1).toLowerCase();
        return switch (domain) {
            case "local.test", "mail.example.com" -> new Resolution("local", domain, address, AddressClass.LOCAL);
            case "fail.test" -> new Resolution("error", "5.1.1 no such user here", address, AddressClass.DEFAULT);
            case "discard.test" -> new Resolution("discard", "", address, AddressClass.DEFAULT);
            case "broken.test" -> throw new IOException("table unreadable");
            default -> new Resolution("smtp", domain, address, AddressClass.DEFAULT);
        };
    };

    @TempDir
    Path dir;
    MailQueue queue;
    CapturedLog log;
    Cleanup cleanup;
    FakeAgent local;
    QueueManager qmgr;
    Map<String, String> settings;

    @BeforeEach
    void setUp() throws Exception {
        log = CapturedLog.install();
        queue = MailQueue.open(dir.resolve("spool"));
        settings = new HashMap<>();
        settings.put("myhostname", "mail.example.com");
        settings.put("queue_directory", dir.resolve("spool").toString());
        settings.put("minimal_backoff_time", "1s");
        settings.put("maximal_backoff_time", "2s");
        settings.put("queue_run_delay", "1s");
        cleanup = new Cleanup(config(), queue);
        local = new FakeAgent("local");
    }

    MainConfig config() {
        return MainConfig.of(dir, settings);
    }

    QueueManager start() throws Exception {
        Map<String, DeliveryAgent> agents = new HashMap<>();
        agents.put("local", local);
        agents.put("error", new ErrorAgent());
        agents.put("discard", new DiscardAgent());
        qmgr = new QueueManager(config(), queue, RESOLVER, agents, cleanup);
        qmgr.start();
        return qmgr;
    }

    @AfterEach
    void tearDown() {
        if (qmgr != null) {
            qmgr.stop();
        }
        queue.close();
        log.uninstall();
        if (System.getProperty("dumplog") != null) {
            log.lines().forEach(System.out::println);
            local.calls.forEach(c -> System.out.println("---- " + c.queueId() + "\n" + c.content()));
        }
    }

    String submit(String sender, String... rcpts) throws Exception {
        return submit(cleanup, sender, "Subject: test message\n\nHello.", rcpts);
    }

    static String submit(Cleanup c, String sender, String content, String... rcpts) throws Exception {
        CleanupSession s = c.open(CLIENT, sender);
        for (String r : rcpts) {
            s.addRecipient(r, null);
        }
        for (String line : content.split("\n", -1)) {
            byte[] b = line.getBytes(StandardCharsets.UTF_8);
            s.writeLine(b, 0, b.length);
        }
        s.commit();
        return s.queueId();
    }

    String removed(String id) throws InterruptedException {
        return log.await("postfix/qmgr: " + id + ": removed", 5000);
    }

    @Test
    void committedMessageIsDeliveredAtOnceLoggedAndRemoved() throws Exception {
        settings.put("queue_run_delay", "1h"); // only wake-on-commit can deliver it in time
        start();
        long t0 = System.nanoTime();
        String id = submit("sender@example.org", "user@local.test");
        assertNotNull(removed(id), log.lines().toString());
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(ms < 1000, "picked up on commit, not by a periodic scan: " + ms + " ms");
        assertEquals(1, local.calls.size());
        FakeAgent.Call call = local.calls.get(0);
        assertEquals("sender@example.org", call.sender());
        assertFalse(call.recovered());
        assertEquals("local.test", call.nexthop());
        assertTrue(call.content().contains("Subject: test message\n"), call.content());
        assertTrue(call.content().endsWith("\n\nHello.\n"), call.content());
        assertEquals(List.of(id), local.afterCommit);
        assertFalse(Files.exists(queue.path(MailQueue.ACTIVE, id)));

        String active = log.matching(id + ": from=<").get(0);
        assertTrue(Pattern.matches("postfix/qmgr: " + id + ": from=<sender@example\\.org>, size=\\d+, nrcpt=1 \\(queue active\\)", active),
                active);
        String sent = log.matching(id + ": to=<").get(0);
        assertTrue(Pattern.matches("postfix/local: " + id + ": to=<user@local\\.test>, relay=local, delay=[0-9.]+, "
                + "delays=[0-9.]+/[0-9.]+/0/[0-9.]+, dsn=2\\.0\\.0, status=sent \\(delivered to mailbox\\)", sent), sent);
        List<String> order = log.lines().stream().filter(l -> l.contains(id + ": ")).toList();
        assertTrue(order.get(order.size() - 1).endsWith(id + ": removed"), order.toString());
    }

    @Test
    void originalRecipientIsLoggedWhenItDiffers() throws Exception {
        start();
        String id = submit("s@example.org", "postmaster");
        assertNotNull(removed(id));
        String sent = log.matching(id + ": to=<").get(0);
        assertTrue(sent.contains("to=<postmaster@mail.example.com>, orig_to=<postmaster>, relay=local"), sent);
    }

    @Test
    void afterCommitComesOnlyOnceTheOutcomeIsDurable() throws Exception {
        start();
        List<Boolean> fileGoneAtAfterCommit = Collections.synchronizedList(new ArrayList<>());
        Map<String, DeliveryAgent> agents = new HashMap<>();
        qmgr.stop();
        DeliveryAgent checking = new DeliveryAgent() {
            public String transport() {
                return "local";
            }

            public void deliver(DeliveryRequest r) {
                r.recipients().forEach(x -> r.sent(x, "local", "2.0.0", "delivered to mailbox"));
            }

            public void afterCommit(DeliveryRequest r) {
                fileGoneAtAfterCommit.add(!Files.exists(queue.path(MailQueue.ACTIVE, r.queueId())));
            }
        };
        agents.put("local", checking);
        qmgr = new QueueManager(config(), queue, RESOLVER, agents, cleanup);
        qmgr.start();
        String id = submit("s@example.org", "a@local.test");
        assertNotNull(removed(id));
        assertEquals(List.of(true), fileGoneAtAfterCommit);
    }

    @Test
    void deferredRecipientIsRetriedAfterBackoffAndDoneOnesAreNot() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        local.behavior = r -> r.address().startsWith("later@") && attempts.incrementAndGet() == 1
                ? new String[] {"deferred", "4.2.1", "mailbox temporarily locked"}
                : new String[] {"sent", "2.0.0", "delivered to mailbox"};
        start();
        String id = submit("s@example.org", "now@local.test", "later@local.test");
        String deferred = log.await(id + ": to=<later@local.test>", 3000);
        assertNotNull(deferred);
        assertTrue(deferred.contains("dsn=4.2.1, status=deferred (mailbox temporarily locked)"), deferred);
        long end = System.currentTimeMillis() + 3000;
        while (!Files.exists(queue.path(MailQueue.DEFERRED, id)) && System.currentTimeMillis() < end) {
            Thread.sleep(5);
        }
        assertTrue(Files.exists(queue.path(MailQueue.DEFERRED, id)), "waiting in deferred/");
        Instant next = queue.nextAttempt(MailQueue.DEFERRED, id);
        assertTrue(next.isAfter(Instant.now().minusMillis(200)), "next attempt is in the future: " + next);

        assertNotNull(removed(id), log.lines().toString());
        assertEquals(1, local.callsFor("now@local.test").size(), "the delivered recipient is not delivered again");
        assertEquals(2, local.callsFor("later@local.test").size());
        assertEquals(2, log.matching(id + ": from=<s@example.org>").size(), "activated twice");
    }

    @Test
    void transportWithoutAgentIsDeferredAsMailTransportUnavailable() throws Exception {
        start();
        String id = submit("s@example.org", "someone@remote.test");
        String line = log.await(id + ": to=<someone@remote.test>", 3000);
        assertNotNull(line);
        assertTrue(Pattern.matches("postfix/qmgr: " + id + ": to=<someone@remote\\.test>, relay=none, delay=[0-9.]+, "
                + "delays=[0-9.]+/[0-9.]+/0/0, dsn=4\\.3\\.0, status=deferred \\(mail transport unavailable\\)", line), line);
        long end = System.currentTimeMillis() + 3000;
        while (!Files.exists(queue.path(MailQueue.DEFERRED, id)) && System.currentTimeMillis() < end) {
            Thread.sleep(10);
        }
        assertTrue(Files.exists(queue.path(MailQueue.DEFERRED, id)));
        assertEquals("mail transport unavailable", queue.read(MailQueue.DEFERRED, id).recipients().get(0).deferText());
    }

    @Test
    void resolverFailureDefers() throws Exception {
        start();
        String id = submit("s@example.org", "x@broken.test");
        String line = log.await(id + ": to=<x@broken.test>", 3000);
        assertNotNull(line);
        assertTrue(line.endsWith("dsn=4.3.0, status=deferred (address resolver failure)"), line);
    }

    @Test
    void messageFoundInActiveAtStartIsRecoveredAndIncomingLeftoversAreDeleted() throws Exception {
        String id = submit("s@example.org", "user@local.test"); // no qmgr yet: stays in active/
        assertTrue(Files.exists(queue.path(MailQueue.ACTIVE, id)));
        QueueFileWriter leftover = queue.create(Instant.now(), "x@y");
        leftover.addRecipient("user@local.test", null);
        byte[] half = "Subject: half writ".getBytes(StandardCharsets.US_ASCII);
        leftover.appendLine(half, 0, half.length);
        Path incoming = queue.path(MailQueue.INCOMING, leftover.id());
        String other = "0000000000AA";
        Files.copy(incoming, queue.path(MailQueue.INCOMING, other)); // a leftover no session owns

        start();
        assertNotNull(removed(id));
        assertTrue(local.calls.get(0).recovered(), "in flight when the daemon died");
        assertFalse(Files.exists(queue.path(MailQueue.INCOMING, other)), "never acknowledged: dropped");
        assertTrue(Files.exists(incoming), "a file a live session is writing is left alone");
        leftover.discard();
        assertEquals(1, local.calls.size());
    }

    @Test
    void corruptFileGoesToCorruptAndOthersAreStillDelivered() throws Exception {
        String good = submit("s@example.org", "user@local.test");
        Files.write(queue.path(MailQueue.ACTIVE, "0000000000BB"), "JMQ1garbage".getBytes(StandardCharsets.US_ASCII));
        start();
        assertNotNull(removed(good));
        assertNotNull(log.await("saving corrupt file \"0000000000BB\" from queue \"active\" to queue \"corrupt\"", 3000));
        assertTrue(Files.exists(queue.path(MailQueue.CORRUPT, "0000000000BB")));
    }

    @Test
    void bounceSendsAnRfc3464ReportToTheSender() throws Exception {
        start();
        String id = submit(cleanup, "sender@local.test",
                "Subject: will bounce\nMessage-ID: <orig-1@example.org>\n\nOriginal body.", "nobody@fail.test");
        String bounced = log.await(id + ": to=<nobody@fail.test>", 3000);
        assertNotNull(bounced);
        assertTrue(bounced.startsWith("postfix/error: " + id + ": to=<nobody@fail.test>, relay=none, delay="), bounced);
        assertTrue(bounced.endsWith("dsn=5.1.1, status=bounced (no such user here)"), bounced);
        String notice = log.await(id + ": sender non-delivery notification: ", 3000);
        assertNotNull(notice, log.lines().toString());
        assertTrue(notice.startsWith("postfix/bounce: "), notice);
        String dsnId = notice.substring(notice.lastIndexOf(' ') + 1);
        assertNotNull(removed(id));
        assertNotNull(removed(dsnId));
        // Postfix's order: bounce names the notice before qmgr picks it up
        List<String> lines = log.lines();
        int noticeAt = -1;
        int activeAt = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (noticeAt < 0 && lines.get(i).contains(id + ": sender non-delivery notification: " + dsnId)) {
                noticeAt = i;
            }
            if (activeAt < 0 && lines.get(i).contains(dsnId + ": from=<>")) {
                activeAt = i;
            }
        }
        assertTrue(noticeAt >= 0 && activeAt > noticeAt, lines.toString());

        List<FakeAgent.Call> toSender = local.callsFor("sender@local.test");
        assertEquals(1, toSender.size());
        FakeAgent.Call dsn = toSender.get(0);
        assertEquals(dsnId, dsn.queueId());
        assertEquals("", dsn.sender(), "DSNs have the null sender");

        MimeReport report = MimeReport.parse(dsn.content());
        assertEquals("Mail Delivery System <MAILER-DAEMON@mail.example.com>", report.header("From"));
        assertEquals("Undelivered Mail Returned to Sender", report.header("Subject"));
        assertEquals("sender@local.test", report.header("To"));
        assertEquals("auto-replied", report.header("Auto-Submitted"));
        assertTrue(report.header("Content-Type").startsWith("multipart/report; report-type=delivery-status;"));
        assertNotNull(report.header("Message-Id"));
        assertNotNull(report.header("Date"));
        assertEquals(3, report.parts.size());

        // Postfix 3's order: Date first (after cleanup's Received), Message-Id last
        assertEquals(List.of("received", "date", "from", "subject", "to", "auto-submitted", "mime-version",
                "content-type", "content-transfer-encoding", "message-id"), List.copyOf(report.headers.keySet()));
        assertEquals("8bit", report.header("Content-Transfer-Encoding"), "the utf-8 template is 8bit");

        MimeReport.Part human = report.parts.get(0);
        assertEquals("text/plain; charset=utf-8", human.header("Content-Type"));
        assertEquals("8bit", human.header("Content-Transfer-Encoding"));
        assertTrue(human.body.contains("This is the mail system at host mail.example.com."), human.body);
        assertTrue(human.body.contains("<nobody@fail.test>: no such user here"), human.body);

        MimeReport.Part status = report.parts.get(1);
        assertEquals("message/delivery-status", status.header("Content-Type"));
        assertTrue(status.body.contains("Reporting-MTA: dns; mail.example.com\n"), status.body);
        assertTrue(status.body.contains("X-Postfix-Queue-ID: " + id + "\n"), status.body);
        assertTrue(status.body.contains("Arrival-Date: "), status.body);
        assertTrue(status.body.contains("\n\nFinal-Recipient: rfc822; nobody@fail.test\n"
                + "Original-Recipient: rfc822;nobody@fail.test\nAction: failed\nStatus: 5.1.1\n"
                + "Diagnostic-Code: X-Postfix; no such user here\n"), status.body);

        MimeReport.Part original = report.parts.get(2);
        assertEquals("message/rfc822", original.header("Content-Type"));
        assertTrue(original.body.startsWith("Return-Path: <sender@local.test>\n"), original.body);
        assertTrue(original.body.contains("Subject: will bounce\n"), original.body);
        assertTrue(original.body.contains("Message-ID: <orig-1@example.org>\n"), original.body);
        assertTrue(original.body.contains("\n\nOriginal body.\n"), original.body);
    }

    @Test
    void withoutSmtputf8TheReportIsUsAsciiIn7bit() throws Exception {
        settings.put("smtputf8_enable", "no");
        start();
        String id = submit(cleanup, "sender@local.test", "Subject: ascii\n\nplain body", "nobody@fail.test");
        String notice = log.await(id + ": sender non-delivery notification: ", 3000);
        assertNotNull(notice, log.lines().toString());
        assertNotNull(removed(notice.substring(notice.lastIndexOf(' ') + 1)));
        MimeReport report = MimeReport.parse(local.callsFor("sender@local.test").get(0).content());
        assertEquals("7bit", report.header("Content-Transfer-Encoding"));
        assertEquals("text/plain; charset=us-ascii", report.parts.get(0).header("Content-Type"));
        assertNull(report.parts.get(0).header("Content-Transfer-Encoding"));
        assertNull(report.parts.get(2).header("Content-Transfer-Encoding"));
    }

    @Test
    void expandedAddressIsLoggedWithOrigToAndBouncedAsTheFinalRecipient() throws Exception {
        local.behavior = r -> r.address().startsWith("team@")
                ? new String[] {"expanded", "loop@local.test", "5.4.6", "alias database loop for loop"}
                : new String[] {"sent", "2.0.0", "delivered to mailbox"};
        start();
        String id = submit(cleanup, "sender@local.test", "Subject: x\n\nbody", "team@local.test");
        // as Postfix's local(8): each member on its own line, the recipient as orig_to
        String first = log.await(id + ": to=<first-loop@local.test>", 3000);
        assertNotNull(first, log.lines().toString());
        assertTrue(first.contains(", orig_to=<team@local.test>, relay=local, "), first);
        assertTrue(first.endsWith("status=sent (delivered to mailbox)"), first);
        String bounced = log.await(id + ": to=<loop@local.test>", 3000);
        assertNotNull(bounced, log.lines().toString());
        assertTrue(bounced.contains(", orig_to=<team@local.test>, relay=local, "), bounced);
        assertTrue(bounced.endsWith("dsn=5.4.6, status=bounced (alias database loop for loop)"), bounced);
        String notice = log.await(id + ": sender non-delivery notification: ", 3000);
        assertNotNull(notice, log.lines().toString());
        String dsnId = notice.substring(notice.lastIndexOf(' ') + 1);
        assertNotNull(removed(dsnId));
        MimeReport report = MimeReport.parse(local.callsFor("sender@local.test").get(0).content());
        assertTrue(report.parts.get(0).body.contains(
                "<loop@local.test> (expanded from <team@local.test>): alias database loop for"), report.parts.get(0).body);
        assertTrue(report.parts.get(1).body.contains("\n\nFinal-Recipient: rfc822; loop@local.test\n"
                + "Original-Recipient: rfc822;team@local.test\n"), report.parts.get(1).body);
        // the agent's own Diagnostic-Code (local(8) commands: x-unix) replaces X-Postfix
        assertTrue(report.parts.get(1).body.contains("\nDiagnostic-Code: x-unix; test diagnostic\n"),
                report.parts.get(1).body);
    }

    /** Submits with DSN requests: RET/ENVID for the message, NOTIFY flags and ORCPT for the one recipient. */
    String submitDsn(String sender, String content, String ret, String envid, String rcpt, int notify, String orcpt)
            throws Exception {
        CleanupSession s = cleanup.open(CLIENT, sender);
        s.dsn(ret, envid);
        s.addRecipient(rcpt, null, notify, orcpt);
        for (String line : content.split("\n", -1)) {
            byte[] b = line.getBytes(StandardCharsets.UTF_8);
            s.writeLine(b, 0, b.length);
        }
        s.commit();
        return s.queueId();
    }

    @Test
    void notifyNeverOrWithoutFailureSendsNoBounceButFinishesTheRecipient() throws Exception {
        start();
        String never = submitDsn("sender@local.test", "Subject: x\n\nbody", null, null, "nobody@fail.test",
                QueuedRecipient.NOTIFY_NEVER, null);
        String delayOnly = submitDsn("sender@local.test", "Subject: y\n\nbody", null, null, "nobody@fail.test",
                QueuedRecipient.NOTIFY_DELAY | QueuedRecipient.NOTIFY_SUCCESS, null);
        assertNotNull(removed(never));
        assertNotNull(removed(delayOnly));
        assertNotNull(log.await(never + ": to=<nobody@fail.test>", 1000));
        String control = submit(cleanup, "sender@local.test", "Subject: z\n\nbody", "nobody@fail.test");
        assertNotNull(log.await(control + ": sender non-delivery notification: ", 3000), "control: no NOTIFY bounces");
        assertTrue(log.lines().stream().noneMatch(l -> l.contains(never + ": sender non-delivery")
                || l.contains(delayOnly + ": sender non-delivery") || l.contains(delayOnly + ": sender delivery status")),
                log.lines().toString());
    }

    @Test
    void notifySuccessSendsADeliveryReportWithEnvidAndOrcpt() throws Exception {
        start();
        String id = submitDsn("sender@local.test", "Subject: please confirm\n\nbody", null, "env+42",
                "user@local.test", QueuedRecipient.NOTIFY_SUCCESS | QueuedRecipient.NOTIFY_FAILURE,
                "rfc822;First.Address@example.org");
        String notice = log.await(id + ": sender delivery status notification: ", 3000);
        assertNotNull(notice, log.lines().toString());
        String dsnId = notice.substring(notice.lastIndexOf(' ') + 1);
        assertNotNull(removed(dsnId));
        List<FakeAgent.Call> toSender = local.callsFor("sender@local.test");
        assertEquals(1, toSender.size());
        assertEquals("", toSender.get(0).sender());
        MimeReport report = MimeReport.parse(toSender.get(0).content());
        assertEquals("Successful Mail Delivery Report", report.header("Subject"));
        assertTrue(report.parts.get(0).body.contains("Your message was successfully delivered to the destination(s)"),
                report.parts.get(0).body);
        assertTrue(report.parts.get(0).body.contains("<user@local.test>: delivered to mailbox"), report.parts.get(0).body);
        String status = report.parts.get(1).body;
        assertTrue(status.startsWith("Original-Envelope-Id: env+42\nReporting-MTA: dns; mail.example.com\n"), status);
        assertTrue(status.contains("\n\nFinal-Recipient: rfc822; user@local.test\n"
                + "Original-Recipient: rfc822;First.Address@example.org\nAction: delivered\nStatus: 2.0.0\n"), status);
        assertEquals("text/rfc822-headers", report.parts.get(2).header("Content-Type"));
        assertTrue(report.parts.get(2).body.contains("Subject: please confirm"), report.parts.get(2).body);
        assertFalse(report.parts.get(2).body.contains("body"), report.parts.get(2).body);
    }

    @Test
    void retHdrsBouncesWithTheHeadersOnly() throws Exception {
        start();
        String id = submitDsn("sender@local.test", "Subject: small\n\nsecret body text", "HDRS", null,
                "x@fail.test", 0, null);
        String notice = log.await(id + ": sender non-delivery notification: ", 3000);
        assertNotNull(notice, log.lines().toString());
        assertNotNull(removed(notice.substring(notice.lastIndexOf(' ') + 1)));
        MimeReport.Part original = MimeReport.parse(local.callsFor("sender@local.test").get(0).content()).parts.get(2);
        assertEquals("text/rfc822-headers", original.header("Content-Type"));
        assertTrue(original.body.contains("Subject: small\n"), original.body);
        assertFalse(original.body.contains("secret body text"), original.body);
    }

    @Test
    void largeMessagesBounceWithHeadersOnly() throws Exception {
        settings.put("bounce_size_limit", "100");
        start();
        String id = submit(cleanup, "sender@local.test", "Subject: big\n\n" + "body text\n".repeat(50), "x@fail.test");
        assertNotNull(removed(id));
        String notice = log.await(id + ": sender non-delivery notification: ", 3000);
        String dsnId = notice.substring(notice.lastIndexOf(' ') + 1);
        assertNotNull(removed(dsnId));
        MimeReport.Part original = MimeReport.parse(local.callsFor("sender@local.test").get(0).content()).parts.get(2);
        assertEquals("text/rfc822-headers", original.header("Content-Type"));
        assertEquals("Undelivered Message Headers", original.header("Content-Description"));
        assertTrue(original.body.contains("Subject: big\n"));
        assertFalse(original.body.contains("body text"));
    }

    @Test
    void aBounceIsNeverBouncedAndByDefaultNotCopiedToPostmaster() throws Exception {
        start();
        String id = submit("", "nobody@fail.test");
        assertNotNull(removed(id));
        Thread.sleep(200);
        assertTrue(log.matching("non-delivery notification").isEmpty(), log.lines().toString());
        assertTrue(local.calls.isEmpty());
    }

    @Test
    void withNotifyClasses2bounceTheDoubleBounceGoesToPostmaster() throws Exception {
        settings.put("notify_classes", "resource, software, 2bounce");
        start();
        String id = submit("", "nobody@fail.test");
        String notice = log.await(id + ": postmaster non-delivery notification: ", 3000);
        assertNotNull(notice, log.lines().toString());
        String copyId = notice.substring(notice.lastIndexOf(' ') + 1);
        assertNotNull(removed(copyId));
        FakeAgent.Call copy = local.callsFor("postmaster@mail.example.com").get(0);
        assertEquals("double-bounce@mail.example.com", copy.sender());
        assertEquals("Postmaster Copy: Undelivered Mail", MimeReport.parse(copy.content()).header("Subject"));
    }

    @Test
    void undeliverablePostmasterCopyIsDiscarded() throws Exception {
        start();
        String id = submit("double-bounce@mail.example.com", "nobody@fail.test");
        assertNotNull(removed(id));
        assertNotNull(log.await("postfix/bounce: warning: " + id + ": undeliverable postmaster notification discarded", 2000));
    }

    @Test
    void expiredMessageIsReturnedToSender() throws Exception {
        settings.put("maximal_queue_lifetime", "0");
        local.behavior = r -> r.address().startsWith("stuck@")
                ? new String[] {"deferred", "4.2.2", "mailbox full"}
                : new String[] {"sent", "2.0.0", "delivered to mailbox"};
        start();
        String id = submit("sender@local.test", "stuck@local.test");
        assertNotNull(log.await("postfix/qmgr: " + id + ": from=<sender@local.test>, status=expired, returned to sender", 3000),
                log.lines().toString());
        assertNotNull(removed(id));
        String notice = log.await(id + ": sender non-delivery notification: ", 3000);
        assertNotNull(notice);
        String dsnId = notice.substring(notice.lastIndexOf(' ') + 1);
        assertNotNull(removed(dsnId));
        MimeReport report = MimeReport.parse(local.callsFor("sender@local.test").get(0).content());
        assertTrue(report.parts.get(1).body.contains("Final-Recipient: rfc822; stuck@local.test\n"), report.parts.get(1).body);
        assertTrue(report.parts.get(1).body.contains("Status: 4.2.2\n"));
        assertTrue(report.parts.get(0).body.contains("<stuck@local.test>: mailbox full"));
    }

    @Test
    void delayWarningIsSentOnceWhileTheMessageIsRetried() throws Exception {
        settings.put("delay_warning_time", "0s"); // 0 = off, as in Postfix
        settings.put("minimal_backoff_time", "1s");
        settings.put("maximal_backoff_time", "1s");
        local.behavior = r -> r.address().startsWith("stuck@")
                ? new String[] {"deferred", "4.2.2", "mailbox full"}
                : new String[] {"sent", "2.0.0", "delivered to mailbox"};
        start();
        String off = submit("sender@local.test", "stuck@local.test");
        assertNotNull(log.await("postfix/qmgr: " + off + ": ", 3000));
        Thread.sleep(300);
        assertTrue(log.matching("delay notification").isEmpty(), log.lines().toString());
        qmgr.stop();

        settings.put("delay_warning_time", "1s");
        settings.put("queue_run_delay", "1s");
        start();
        String id = submit("sender@local.test", "stuck@local.test");
        String notice = log.await(id + ": sender delay notification: ", 8000);
        assertNotNull(notice, log.lines().toString());
        String dsnId = notice.substring(notice.lastIndexOf(' ') + 1);
        assertNotNull(removed(dsnId));
        List<FakeAgent.Call> toSender = local.callsFor("sender@local.test");
        MimeReport report = MimeReport.parse(toSender.get(toSender.size() - 1).content());
        assertEquals("Delayed Mail (still being retried)", report.header("Subject"));
        assertTrue(report.parts.get(0).body.contains("# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #"),
                report.parts.get(0).body);
        assertTrue(report.parts.get(0).body.contains("<stuck@local.test>: mailbox full"));
        assertTrue(report.parts.get(1).body.contains("Action: delayed\n"), report.parts.get(1).body);
        assertTrue(report.parts.get(1).body.contains("Will-Retry-Until: "));
        assertEquals("text/rfc822-headers", report.parts.get(2).header("Content-Type"));
        // later retries don't warn again, also not after a restart (the mark is in the queue file)
        Thread.sleep(2500);
        qmgr.stop();
        start();
        Thread.sleep(2500);
        assertEquals(1, log.matching(id + ": sender delay notification").size(), log.lines().toString());
    }

    @Test
    void deferredMailSurvivesARestart() throws Exception {
        settings.put("minimal_backoff_time", "1s");
        local.behavior = r -> new String[] {"deferred", "4.3.0", "try later"};
        start();
        String id = submit("s@example.org", "user@local.test");
        long end = System.currentTimeMillis() + 3000;
        while (!Files.exists(queue.path(MailQueue.DEFERRED, id)) && System.currentTimeMillis() < end) {
            Thread.sleep(10);
        }
        qmgr.stop();
        assertTrue(Files.exists(queue.path(MailQueue.DEFERRED, id)));

        local.behavior = r -> new String[] {"sent", "2.0.0", "delivered to mailbox"};
        start();
        assertNotNull(removed(id), log.lines().toString());
        FakeAgent.Call last = local.calls.get(local.calls.size() - 1);
        assertEquals(id, last.queueId());
        assertFalse(last.recovered(), "deferred mail was not in flight");
    }

    @Test
    void deliveriesToDifferentMailboxesRunInParallelButOneMailboxIsLimited() throws Exception {
        settings.put("local_destination_concurrency_limit", "1");
        AtomicInteger running = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        Map<String, AtomicInteger> perMailbox = new java.util.concurrent.ConcurrentHashMap<>();
        AtomicInteger peakPerMailbox = new AtomicInteger();
        CountDownLatch fourAtOnce = new CountDownLatch(4);
        local.during = () -> {
            peak.accumulateAndGet(running.incrementAndGet(), Math::max);
            fourAtOnce.countDown();
            try {
                fourAtOnce.await(300, TimeUnit.MILLISECONDS);
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            running.decrementAndGet();
        };
        local.behavior = r -> {
            AtomicInteger n = perMailbox.computeIfAbsent(r.address(), k -> new AtomicInteger());
            peakPerMailbox.accumulateAndGet(n.incrementAndGet(), Math::max);
            n.decrementAndGet();
            return new String[] {"sent", "2.0.0", "delivered to mailbox"};
        };
        start();
        String id = submit("s@example.org", "a@local.test", "b@local.test", "c@local.test", "d@local.test");
        List<String> same = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            same.add(submit("s@example.org", "same@local.test"));
        }
        assertNotNull(removed(id));
        for (String s : same) {
            assertNotNull(removed(s));
        }
        assertEquals(4, local.callsFor("a@local.test").size() + local.callsFor("b@local.test").size()
                + local.callsFor("c@local.test").size() + local.callsFor("d@local.test").size());
        assertTrue(peak.get() >= 4, "four mailboxes at once, peak " + peak.get());
        assertEquals(1, local.callsFor("a@local.test").get(0).recipients().size(), "one recipient per local request");
        assertEquals(1, peakPerMailbox.get());
    }

    @Test
    void agentThatThrowsOrForgetsDefersTheRecipient() throws Exception {
        local.behavior = r -> r.address().startsWith("boom@") ? new String[] {"throw"} : new String[] {"silent"};
        start();
        String a = submit("s@example.org", "boom@local.test");
        String b = submit("s@example.org", "quiet@local.test");
        String la = log.await(a + ": to=<boom@local.test>", 3000);
        String lb = log.await(b + ": to=<quiet@local.test>", 3000);
        assertNotNull(la);
        assertNotNull(lb);
        assertTrue(la.endsWith("dsn=4.3.0, status=deferred (unknown mail transport error)"), la);
        assertTrue(lb.endsWith("dsn=4.3.0, status=deferred (delivery agent did not report)"), lb);
    }

    @Test
    void discardAndErrorAgentsLogLikePostfix() throws Exception {
        start();
        String id = submit("s@example.org", "x@discard.test");
        assertNotNull(removed(id));
        String line = log.matching(id + ": to=<x@discard.test>").get(0);
        assertTrue(line.startsWith("postfix/discard: " + id + ": to=<x@discard.test>, relay=none, delay="), line);
        assertTrue(line.endsWith("dsn=2.0.0, status=sent (discard.test)"), line);
    }

    @Test
    void flushRetriesDeferredMailAtOnce() throws Exception {
        settings.put("minimal_backoff_time", "1h");
        settings.put("maximal_backoff_time", "2h");
        settings.put("queue_run_delay", "1h");
        AtomicInteger attempts = new AtomicInteger();
        local.behavior = r -> attempts.incrementAndGet() == 1
                ? new String[] {"deferred", "4.0.0", "later"} : new String[] {"sent", "2.0.0", "delivered to mailbox"};
        start();
        String id = submit("s@example.org", "u@local.test");
        long end = System.currentTimeMillis() + 3000;
        while (!Files.exists(queue.path(MailQueue.DEFERRED, id)) && System.currentTimeMillis() < end) {
            Thread.sleep(10);
        }
        assertTrue(Files.exists(queue.path(MailQueue.DEFERRED, id)));
        assertNull(log.await(id + ": removed", 300));
        qmgr.flush();
        assertNotNull(removed(id));
    }
}
