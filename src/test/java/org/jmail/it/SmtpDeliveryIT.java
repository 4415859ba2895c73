package org.jmail.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** SMTP in, mbox out: the running daemon driven by swaks and Python's smtplib. */
class SmtpDeliveryIT {

    static JmailInstance j;

    @BeforeAll
    static void start() throws Exception {
        TestUsers.ensure("jmtest1", "jmtest2");
        j = new JmailInstance();
        Files.writeString(j.dir.resolve("aliases"), String.join("\n",
                "postmaster: jmtest2",
                "team: jmtest1, jmtest2",
                "keepcopy: jmtest1",
                "jmtest1copy: jmtest1, jmtest2",
                "fwdonly: jmtest2",
                "nested: team",
                "") );
        j.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (j != null) {
            j.close();
        }
    }

    static JmailInstance.Result swaks(String... extra) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("swaks", "--server", "127.0.0.1", "--port",
                Integer.toString(j.smtpPort), "--helo", "client.remote.tst", "--from", "sender@remote.tst"));
        cmd.addAll(List.of(extra));
        return JmailInstance.run(cmd, null);
    }

    static List<Map<String, Object>> waitForMessages(String user, int n) throws Exception {
        JmailInstance.waitFor(15_000, () -> {
            try {
                return Mbox.count(j.mailbox(user)) >= n;
            } catch (Exception e) {
                return false;
            }
        });
        return Mbox.read(j.mailbox(user));
    }

    static Map<String, Object> findSubject(String user, String subject) throws Exception {
        JmailInstance.waitFor(15_000, () -> {
            try {
                return Mbox.read(j.mailbox(user)).stream().anyMatch(m -> subject.equals(m.get("subject")));
            } catch (Exception e) {
                return false;
            }
        });
        return Mbox.read(j.mailbox(user)).stream().filter(m -> subject.equals(m.get("subject"))).findFirst()
                .orElseThrow(() -> new AssertionError("no message '" + subject + "' for " + user + "; log:\n" + logQuietly()));
    }

    static String logQuietly() {
        try {
            return j.logText();
        } catch (Exception e) {
            return e.toString();
        }
    }

    @Test
    void swaksMessageLandsInTheUsersMboxWithPostfixHeaders() throws Exception {
        JmailInstance.Result r = swaks("--to", "jmtest1@example.tst", "--header", "Subject: first-swaks",
                "--body", "hello from swaks\nFrom the start of a line\n");
        assertEquals(0, r.status(), r.output());
        Matcher m = Pattern.compile("<-  250 2\\.0\\.0 Ok: queued as ([0-9A-F]+)").matcher(r.output());
        assertTrue(m.find(), r.output());
        String id = m.group(1);
        Map<String, Object> msg = findSubject("jmtest1", "first-swaks");
        assertEquals("<sender@remote.tst>", msg.get("return_path"));
        assertEquals(List.of("jmtest1@example.tst"), msg.get("delivered_to"));
        String received = ((List<?>) msg.get("received")).get(0).toString();
        assertTrue(received.contains("from client.remote.tst (localhost [127.0.0.1])"), received);
        assertTrue(received.contains("by mail.example.tst (jmail) with ESMTP id " + id), received);
        assertTrue(received.contains("for <jmtest1@example.tst>"), received);
        assertTrue(msg.get("body").toString().contains(">From the start of a line"), msg.get("body").toString());
        // mbox: owner the user, mode 0660 (group mail where it exists)
        PosixFileAttributes a = Files.readAttributes(j.mailbox("jmtest1"), PosixFileAttributes.class);
        assertEquals("jmtest1", a.owner().getName());
        assertEquals("rw-rw----", PosixFilePermissions.toString(a.permissions()));
        assertEquals("mail", a.group().getName());
        // the log ties the message's lines together by its queue id, in Postfix's words
        assertTrue(JmailInstance.waitFor(5000, () -> logQuietly().contains(id + ": removed")), logQuietly());
        String log = j.logText();
        assertTrue(log.contains("postfix/smtpd["), log);
        assertTrue(log.contains("connect from localhost[127.0.0.1]"), log);
        assertTrue(log.contains(id + ": client=localhost[127.0.0.1]"), log);
        assertTrue(log.contains(id + ": message-id=<"), log);
        assertTrue(Pattern.compile(id + ": from=<sender@remote\\.tst>, size=\\d+, nrcpt=1 \\(queue active\\)").matcher(log).find(), log);
        assertTrue(Pattern.compile(id + ": to=<jmtest1@example\\.tst>, relay=local, delay=[0-9.]+, delays=[0-9.]+/[0-9.]+/[0-9.]+/[0-9.]+, dsn=2\\.0\\.0, status=sent \\(delivered to mailbox\\)").matcher(log).find(), log);
    }

    @Test
    void smtplibGetsMessageIdAndDateAddedWhenMissing() throws Exception {
        String py = "import smtplib\n"
                + "s=smtplib.SMTP('127.0.0.1'," + j.smtpPort + ")\n"
                + "s.sendmail('app@remote.tst',['jmtest2@example.tst'],'Subject: no-ids\\r\\n\\r\\nbody\\r\\n')\n"
                + "s.quit()\n";
        JmailInstance.Result r = JmailInstance.run(List.of("/usr/bin/python3", "-c", py), null);
        assertEquals(0, r.status(), r.output());
        Map<String, Object> msg = findSubject("jmtest2", "no-ids");
        assertTrue(String.valueOf(msg.get("message_id")).matches("<\\d{14}\\.[0-9A-F]+@mail\\.example\\.tst>"), String.valueOf(msg.get("message_id")));
        assertTrue(msg.get("date") != null);
    }

    @Test
    void unknownLocalUserIsRejectedWith550() throws Exception {
        JmailInstance.Result r = swaks("--to", "nosuchuser@example.tst", "--quit-after", "RCPT");
        assertTrue(r.output().contains("<** 550 5.1.1 <nosuchuser@example.tst>: Recipient address rejected: User unknown in local recipient table"), r.output());
    }

    @Test
    void recipientDelimiterExtensionsReachTheUser() throws Exception {
        assertEquals(0, swaks("--to", "jmtest1+lists@example.tst", "--header", "Subject: with-extension").status());
        Map<String, Object> msg = findSubject("jmtest1", "with-extension");
        assertEquals(List.of("jmtest1+lists@example.tst"), msg.get("delivered_to"));
    }

    @Test
    void aliasListsKeepCopiesAndForward() throws Exception {
        assertEquals(0, swaks("--to", "team@example.tst", "--header", "Subject: to-team").status());
        findSubject("jmtest1", "to-team");
        findSubject("jmtest2", "to-team");
        assertEquals(0, swaks("--to", "jmtest1copy@example.tst", "--header", "Subject: copy-kept").status());
        findSubject("jmtest1", "copy-kept");
        findSubject("jmtest2", "copy-kept");
        assertEquals(0, swaks("--to", "nested@example.tst", "--header", "Subject: nested-alias").status());
        findSubject("jmtest1", "nested-alias");
        findSubject("jmtest2", "nested-alias");
        assertEquals(0, swaks("--to", "postmaster@example.tst", "--header", "Subject: to-postmaster").status());
        findSubject("jmtest2", "to-postmaster");
    }

    @Test
    void mailAndMuttReadTheMbox() throws Exception {
        assertEquals(0, swaks("--to", "jmtest2@example.tst", "--header", "Subject: for-mailx").status());
        findSubject("jmtest2", "for-mailx");
        // bsd-mailx: the header summary lists the message
        JmailInstance.Result mailx = JmailInstance.run(List.of("mail", "-N", "-f", j.mailbox("jmtest2").toString()), "h\nq\n");
        assertTrue(mailx.output().contains("for-mailx"), mailx.output());
        // mutt, read-only, on a pseudo-terminal: its index lists every message and the count
        int n = Mbox.count(j.mailbox("jmtest2"));
        JmailInstance.Result mutt = JmailInstance.run(List.of("script", "-qec",
                "TERM=vt100 COLUMNS=120 LINES=60 mutt -n -R -F /dev/null -e 'set folder=/tmp' -f "
                        + j.mailbox("jmtest2") + " -e 'push <exit>'", "/dev/null"), null);
        assertEquals(0, mutt.status(), mutt.output());
        String screen = mutt.output().replaceAll("\\u001b\\[[0-9;?]*[A-Za-z]", " ");
        assertTrue(screen.contains("for-mailx"), screen);
        assertTrue(screen.contains("Msgs:" + n) || screen.contains("sgs:" + n), screen);
        assertTrue(!screen.contains("not a mailbox") && !screen.contains("corrupt"), screen);
        assertTrue(n >= 1);
    }

    @Test
    void pflogsummCountsReceivedAndDeliveredMessages() throws Exception {
        assertEquals(0, swaks("--to", "jmtest1@example.tst", "--header", "Subject: pflog-1").status());
        assertEquals(0, swaks("--to", "jmtest2@example.tst", "--header", "Subject: pflog-2").status());
        findSubject("jmtest1", "pflog-1");
        findSubject("jmtest2", "pflog-2");
        Thread.sleep(500); // the log writer flushes asynchronously
        JmailInstance.Result r = JmailInstance.run(List.of("pflogsumm", j.log().toString()), null);
        assertEquals(0, r.status(), r.output());
        Matcher received = Pattern.compile("(\\d+)\\s+received").matcher(r.output());
        Matcher delivered = Pattern.compile("(\\d+)\\s+delivered").matcher(r.output());
        assertTrue(received.find() && Integer.parseInt(received.group(1)) >= 2, r.output());
        assertTrue(delivered.find() && Integer.parseInt(delivered.group(1)) >= 2, r.output());
    }
}
