package org.jmail.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * sendmail(1), pickup, mailq/postqueue and postsuper against a real daemon: PHP's
 * {@code sendmail -t -i}, {@code -f}, cron's command line, a submission while the daemon is
 * stopped, a non-root submitter who can neither list nor read maildrop/, and the queue tools
 * on mail held back by a {@code retry:} transport.
 */
class SendmailIT {

    private static JmailInstance jm;
    private static Path sendmail;

    @BeforeAll
    static void start() throws Exception {
        TestUsers.ensure("jmtest1", "jmtest2");
        sendmail = installScript();
        jm = new JmailInstance();
        Files.writeString(jm.dir.resolve("transport"), "slow.tst retry:4.3.2 try again later\n");
        jm.set("transport_maps", "texthash:" + jm.dir.resolve("transport"));
        jm.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (jm != null) {
            jm.close();
        }
    }

    /**
     * bin/sendmail is the shell script (packaging/bin/sendmail); until the build installs it
     * in place of the launcher symlink, put it there as the package will.
     */
    static Path installScript() throws Exception {
        Path target = JmailInstance.HOME.resolve("bin/sendmail");
        Path source = Path.of("packaging/bin/sendmail").toAbsolutePath();
        if (Files.isSymbolicLink(target) || !Files.exists(target)
                || Files.mismatch(target, source) != -1) {
            Path tmp = target.resolveSibling("sendmail.tmp");
            Files.copy(source, tmp, StandardCopyOption.REPLACE_EXISTING);
            tmp.toFile().setExecutable(true, false);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        return target;
    }

    private static JmailInstance.Result sendmail(String stdin, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(sendmail.toString(), "-C", jm.dir.toString()));
        cmd.addAll(List.of(args));
        return JmailInstance.run(cmd, stdin);
    }

    /** Runs a shell command line as a Unix user. */
    private static JmailInstance.Result as(String user, String command, String stdin) throws Exception {
        return JmailInstance.run(List.of("su", user, "-s", "/bin/sh", "-c", command), stdin);
    }

    private static String mbox(String user) throws Exception {
        Path p = jm.mailbox(user);
        return Files.exists(p) ? Files.readString(p, StandardCharsets.ISO_8859_1) : "";
    }

    private static void awaitText(String user, String text) throws Exception {
        assertTrue(JmailInstance.waitFor(15_000, () -> {
            try {
                return mbox(user).contains(text);
            } catch (Exception e) {
                return false;
            }
        }), user + " did not get \"" + text + "\"; log:\n" + jm.logText());
    }

    /** The part of an mbox from the message with this Subject to the next separator. */
    private static String message(String user, String subject) throws Exception {
        String all = mbox(user);
        int s = all.indexOf("Subject: " + subject + "\n");
        int start = all.lastIndexOf("\nFrom ", s);
        int end = all.indexOf("\nFrom ", s);
        return all.substring(Math.max(0, start), end < 0 ? all.length() : end);
    }

    @Test
    void phpStyleDashTDashIDeliversToToCcAndBccAndDropsBcc() throws Exception {
        JmailInstance.Result r = sendmail("To: Test One <jmtest1@example.tst>\nCc: jmtest2@example.tst\n"
                + "Bcc: root@example.tst\nSubject: php-mail\n\nHello from PHP\n.\nstill body\n", "-t", "-i");
        assertEquals(0, r.status(), r.output());
        for (String u : List.of("jmtest1", "jmtest2", "root")) {
            awaitText(u, "Subject: php-mail");
            String m = message(u, "php-mail");
            assertFalse(m.contains("Bcc:"), "Bcc removed from the copy of " + u + ":\n" + m);
            assertTrue(m.contains("\nstill body\n"), "-i keeps the lone dot:\n" + m);
            assertTrue(m.contains("Return-Path: <root@mail.example.tst>"), m);
            assertTrue(m.contains("\nFrom: root <root@mail.example.tst>\n"), "From: added with the GECOS name:\n" + m);
            assertTrue(m.contains("Received: by mail.example.tst (jmail, from userid 0)"), m);
        }
        assertTrue(Pattern.compile("postfix/pickup\\[\\d+\\]: [0-9A-F]{12}: uid=0 from=<root").matcher(jm.logText()).find(),
                jm.logText());
    }

    @Test
    void dashTWithoutHeaderRecipientsFailsAtOnceAsPostfix() throws Exception {
        for (String headers : List.of("To: undisclosed-recipients:;\n", "To:\n", "Bcc: (nobody)\n",
                "To: jmtest1@example.tst\nResent-To: grp: ;\n")) {
            JmailInstance.Result r = sendmail(headers + "Subject: no-rcpt\n\nbody\n", "-t");
            assertEquals(75, r.status(), headers + r.output());
            assertTrue(r.output().contains("sendmail: fatal: root(0): No recipient addresses found in message header"),
                    r.output());
        }
        try (var files = Files.list(jm.dir.resolve("spool/maildrop"))) {
            assertEquals(0, files.count(), "nothing left in maildrop");
        }
        // Resent-From alone does not switch extraction to Resent- headers (Postfix 3.7 does the same)
        JmailInstance.Result r = sendmail("To: jmtest1@example.tst\nResent-From: jmtest2@example.tst\n"
                + "Subject: resent-from-only\n\nbody\n", "-t");
        assertEquals(0, r.status(), r.output());
        awaitText("jmtest1", "Subject: resent-from-only");
        // blanks before the colon still make a header (Postfix takes "To : addr" too)
        r = sendmail("To : jmtest1@example.tst\nSubject: blank-before-colon\n\nbody\n", "-t");
        assertEquals(0, r.status(), r.output());
        awaitText("jmtest1", "Subject: blank-before-colon");
    }

    @Test
    void dashFSetsTheEnvelopeSender() throws Exception {
        JmailInstance.Result r = sendmail("Subject: dash-f\n\nbody\n", "-f", "App <app@example.tst>", "jmtest2@example.tst");
        assertEquals(0, r.status(), r.output());
        awaitText("jmtest2", "Subject: dash-f");
        String m = message("jmtest2", "dash-f");
        assertTrue(m.contains("Return-Path: <app@example.tst>"), m);
        assertTrue(m.contains("From: app@example.tst") || m.contains("<app@example.tst>"), m);
    }

    @Test
    void dsnOptionsAskForASuccessReport() throws Exception {
        JmailInstance.Result r = sendmail("Subject: dsn-by-sendmail\n\nbody\n",
                "-f", "jmtest2@example.tst", "-N", "success", "-V", "sendmail-envid", "-R", "hdrs", "jmtest1@example.tst");
        assertEquals(0, r.status(), r.output());
        awaitText("jmtest1", "Subject: dsn-by-sendmail");
        awaitText("jmtest2", "Subject: Successful Mail Delivery Report");
        String report = message("jmtest2", "Successful Mail Delivery Report");
        assertTrue(report.contains("Original-Envelope-Id: sendmail-envid"), report);
        assertTrue(report.contains("Action: delivered"), report);
    }

    @Test
    void cronsCommandLineWorks() throws Exception {
        JmailInstance.Result r = sendmail("Subject: cron-job\n\noutput\n",
                "-FCronDaemon", "-i", "-B8BITMIME", "-oem", "jmtest2");
        assertEquals(0, r.status(), r.output());
        awaitText("jmtest2", "Subject: cron-job");
        assertTrue(message("jmtest2", "cron-job").contains("From: CronDaemon <root@mail.example.tst>"),
                message("jmtest2", "cron-job"));
    }

    @Test
    void nonRootSubmitterIsTheFileOwnerAndCannotSeeOthersMail() throws Exception {
        JmailInstance.Result r = as("jmtest1", sendmail + " -C " + jm.dir + " -t -i",
                "To: jmtest2@example.tst\nSubject: from-user\n\nhi\n");
        assertEquals(0, r.status(), r.output());
        awaitText("jmtest2", "Subject: from-user");
        String m = message("jmtest2", "from-user");
        assertTrue(m.contains("Return-Path: <jmtest1@mail.example.tst>"), m);
        String uid = JmailInstance.run(List.of("id", "-u", "jmtest1"), null).output().strip();
        assertTrue(jm.logShows(": uid=" + uid + " from=<jmtest1"), jm.logText());

        Path maildrop = jm.dir.resolve("spool/maildrop");
        assertEquals("rwx-wx-wt", posixMode(maildrop));
        JmailInstance.Result ls = as("jmtest2", "ls " + maildrop, null);
        assertNotEquals(0, ls.status(), "a user cannot list maildrop: " + ls.output());
        // a file waiting in maildrop (as while the daemon is down) is unreadable to other users
        Path waiting = maildrop.resolve("999.1");
        as("jmtest1", "umask 077; printf 'JMD1\\n' > " + waiting, null);
        try {
            assertTrue(Files.exists(waiting));
            JmailInstance.Result cat = as("jmtest2", "cat " + waiting, null);
            assertNotEquals(0, cat.status(), cat.output());
            JmailInstance.Result rm = as("jmtest2", "rm -f " + waiting, null);
            assertTrue(Files.exists(waiting), "sticky directory: not removable by others " + rm.output());
        } finally {
            Files.deleteIfExists(waiting);
        }
    }

    @Test
    void dashBsSpeaksSmtpOnStdinAsTheUser() throws Exception {
        JmailInstance.Result r = as("jmtest1", sendmail + " -C " + jm.dir + " -bs",
                "EHLO client\r\nMAIL FROM:<app@example.tst>\r\nRCPT TO:<jmtest2@example.tst>\r\nDATA\r\n"
                        + "Subject: via-bs\r\n\r\nsmtp on stdin\r\n.\r\nQUIT\r\n");
        assertEquals(0, r.status(), r.output());
        assertTrue(r.output().startsWith("220 mail.example.tst ESMTP"), r.output());
        assertTrue(r.output().contains("250 2.0.0 Ok: queued as "), r.output());
        awaitText("jmtest2", "Subject: via-bs");
        assertTrue(message("jmtest2", "via-bs").contains("Return-Path: <app@example.tst>"));
    }

    /** -bs answers DNS-based restrictions as the daemon's smtpd does (it had no resolver: 451). */
    @Test
    void dashBsChecksSenderDomainsInDns() throws Exception {
        try (org.jmail.dns.TestDnsServer dns = new org.jmail.dns.TestDnsServer()
                .add("exists.tst. 300 IN A 192.0.2.1")) {
            // a configuration of its own (same queue, hence the same maildrop) with the restriction
            Path conf = Files.createTempDirectory("jmail-bs-");
            conf.toFile().setReadable(true, false);
            conf.toFile().setExecutable(true, false);
            Files.writeString(conf.resolve("main.cf"), Files.readString(jm.dir.resolve("main.cf"))
                    + "jmail_dns_servers = " + dns.address() + "\njmail_dns_timeout = 2s\n"
                    + "smtpd_sender_restrictions = reject_unknown_sender_domain\n");
            Files.copy(jm.dir.resolve("master.cf"), conf.resolve("master.cf"));
            JmailInstance.Result r = as("jmtest1", sendmail + " -C " + conf + " -bs",
                    "EHLO client\r\nMAIL FROM:<app@exists.tst>\r\nRCPT TO:<jmtest2@example.tst>\r\nRSET\r\n"
                            + "MAIL FROM:<app@missing.tst>\r\nRCPT TO:<jmtest2@example.tst>\r\nQUIT\r\n");
            assertEquals(0, r.status(), r.output());
            String[] replies = r.output().split("\r?\n");
            String rcptOk = null;
            String rcptBad = null;
            for (int i = 0; i < replies.length; i++) {
                if (replies[i].startsWith("250 2.1.5") && rcptOk == null) {
                    rcptOk = replies[i];
                }
                if (replies[i].contains("<app@missing.tst>: Sender address rejected: Domain not found")) {
                    rcptBad = replies[i];
                }
            }
            assertTrue(rcptOk != null, "a sender domain the DNS knows passes: " + r.output());
            assertTrue(rcptBad != null && rcptBad.startsWith("450 4.1.8 "), "an unknown one gets 450 4.1.8: " + r.output());
            assertTrue(dns.queries() > 0, "asked the configured DNS server");
        }
    }

    private static String posixMode(Path p) throws Exception {
        return JmailInstance.run(List.of("stat", "-c", "%A", p.toString()), null).output().strip().substring(1);
    }

    @Test
    void mailSubmittedWhileStoppedIsDeliveredAfterStart() throws Exception {
        try (JmailInstance other = new JmailInstance()) {
            other.start();
            other.jmail("stop");
            List<String> cmd = List.of(sendmail.toString(), "-C", other.dir.toString(), "-t", "-i");
            JmailInstance.Result r = JmailInstance.run(cmd, "To: jmtest1@example.tst\nSubject: while-down\n\nqueued\n");
            assertEquals(0, r.status(), r.output());
            JmailInstance.Result user = as("jmtest2", sendmail + " -C " + other.dir + " jmtest1@example.tst",
                    "Subject: user-while-down\n\nqueued too\n");
            assertEquals(0, user.status(), user.output());
            Thread.sleep(300);
            assertFalse(Files.exists(other.mailbox("jmtest1")) && Files.readString(other.mailbox("jmtest1"))
                    .contains("while-down"), "nothing delivered while stopped");
            JmailInstance.Result st = other.jmail("start");
            assertEquals(0, st.status(), st.output());
            assertTrue(JmailInstance.waitFor(15_000, () -> {
                try {
                    String s = Files.exists(other.mailbox("jmtest1")) ? Files.readString(other.mailbox("jmtest1")) : "";
                    return s.contains("Subject: while-down") && s.contains("Subject: user-while-down");
                } catch (Exception e) {
                    return false;
                }
            }), other.logText());
        }
    }

    @Test
    void queueToolsListHoldReleaseRequeueAndDelete() throws Exception {
        JmailInstance.Result r = sendmail("Subject: waits\n\nx\n", "-i", "w1@slow.tst", "w2@slow.tst");
        assertEquals(0, r.status(), r.output());
        assertTrue(JmailInstance.waitFor(15_000, () -> {
            try {
                return jm.tool("mailq").output().contains("(try again later)");
            } catch (Exception e) {
                return false;
            }
        }), jm.logText());
        String q = jm.tool("mailq").output();
        assertTrue(q.startsWith("-Queue ID-  --Size-- ----Arrival Time---- -Sender/Recipient-------\n"), q);
        Matcher m = Pattern.compile("(?m)^([0-9A-F]{12}) +\\d+ \\w{3} \\w{3} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d  root@mail.example.tst$")
                .matcher(q);
        assertTrue(m.find(), q);
        String id = m.group(1);
        assertTrue(q.contains("\n" + " ".repeat(41) + "w1@slow.tst\n"), q);
        assertTrue(q.matches("(?s).*\n-- \\d+ Kbytes in \\d+ Requests?\\.\n"), q);

        // a user lists the queue through the daemon, and may flush it
        JmailInstance.Result userQ = as("jmtest1", JmailInstance.HOME.resolve("bin/mailq") + " -c " + jm.dir, null);
        assertEquals(0, userQ.status(), userQ.output());
        assertTrue(userQ.output().contains(id), userQ.output());
        JmailInstance.Result flush = as("jmtest1", JmailInstance.HOME.resolve("bin/postqueue") + " -c " + jm.dir + " -f", null);
        assertEquals(0, flush.status(), flush.output());

        JmailInstance.Result h = jm.tool("postsuper", "-h", id);
        assertTrue(h.output().contains("postsuper: Placed on hold: 1 message"), h.output());
        assertTrue(jm.tool("mailq").output().contains(id + "!"), jm.tool("mailq").output());
        assertTrue(jm.tool("postqueue", "-j").output().contains("\"queue_name\": \"hold\", \"queue_id\": \"" + id + "\""));

        JmailInstance.Result rel = jm.tool("postsuper", "-H", "ALL");
        assertTrue(rel.output().contains("postsuper: Released from hold: 1 message"), rel.output());
        assertTrue(Files.exists(jm.dir.resolve("spool/deferred").resolve(id)));
        // postqueue -i: that message is tried again now (another deferral is logged)
        long before = jm.logText().lines().filter(l -> l.contains(id + ": to=<w1@slow.tst>")).count();
        assertEquals(0, jm.tool("postqueue", "-i", id).status());
        assertTrue(JmailInstance.waitFor(10_000, () -> {
            try {
                return jm.logText().lines().filter(l -> l.contains(id + ": to=<w1@slow.tst>")).count() > before
                        && Files.exists(jm.dir.resolve("spool/deferred").resolve(id));
            } catch (Exception e) {
                return false;
            }
        }), jm.logText());
        // sendmail -bp is mailq
        JmailInstance.Result bp = sendmail("", "-bp");
        assertTrue(bp.output().contains(id), bp.output());

        JmailInstance.Result rq = jm.tool("postsuper", "-r", id);
        assertTrue(rq.output().contains("postsuper: Requeued: 1 message"), rq.output());
        assertTrue(JmailInstance.waitFor(10_000, () -> {
            try {
                String l = jm.tool("mailq").output();
                return !l.contains(id) && l.contains("w2@slow.tst");
            } catch (Exception e) {
                return false;
            }
        }), "requeued under a new id: " + jm.tool("mailq").output() + jm.logText());
        assertTrue(jm.logShows(id + ": requeued"), jm.logText());

        JmailInstance.Result d = jm.tool("postsuper", "-d", "ALL");
        assertTrue(d.output().matches("(?s).*postsuper: Deleted: \\d+ messages?\n.*"), d.output());
        assertEquals("Mail queue is empty\n", jm.tool("mailq").output());
        JmailInstance.Result denied = as("jmtest1", JmailInstance.HOME.resolve("bin/postsuper") + " -c " + jm.dir + " -d ALL", null);
        assertNotEquals(0, denied.status());
        assertTrue(denied.output().contains("postsuper: fatal: use of this command is reserved for the superuser"),
                denied.output());
        try (Stream<Path> s = Files.list(jm.dir.resolve("spool/maildrop"))) {
            assertEquals(0, s.filter(p -> !p.getFileName().toString().startsWith(".")).count(), "requests consumed");
        }
    }
}
