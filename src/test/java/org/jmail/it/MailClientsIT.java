package org.jmail.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real mail clients against a running daemon: curl, fetchmail (POP3 and IMAP, keep mode,
 * MDA appending to a file), mbsync pulling the IMAP INBOX into a Maildir, and mutt over IMAP
 * on a pseudo-terminal. The clients run through {@code it/imap_pop3_clients.sh}, which prints
 * one {@code PASS name: detail} or {@code FAIL name: detail} line per client; each test checks
 * its client's line and the message count it reports.
 */
class MailClientsIT {

    static final int MESSAGES = 3;
    static JmailInstance j;
    static int imapPort;
    static int pop3Port;
    static String report;

    @BeforeAll
    static void start() throws Exception {
        TestUsers.ensure("jmtest1", "jmtest2");
        for (String u : List.of("jmtest1", "jmtest2")) {
            // folders and index of earlier runs live in the real home directory
            JmailInstance.run(List.of("rm", "-rf", "/home/" + u + "/mail"), null);
        }
        j = new JmailInstance();
        imapPort = JmailInstance.freePort();
        pop3Port = JmailInstance.freePort();
        j.set("mail_location", "mbox:~/mail:INBOX=" + j.dir.resolve("mail") + "/%u")
                .set("auth_failure_delay", "0")
                .master("127.0.0.1:" + imapPort + " inet n - n - - imapd")
                .master("127.0.0.1:" + pop3Port + " inet n - n - - pop3d");
        j.start();
        for (int i = 1; i <= MESSAGES; i++) {
            assertEquals(0, swaksTo("jmtest1@example.tst", "client-" + i).status());
        }
        assertEquals(0, swaksTo("jmtest2@example.tst", "muttlist-1").status());
        assertEquals(0, swaksTo("jmtest2@example.tst", "muttlist-2").status());
        JmailInstance.waitFor(15_000, () -> count("jmtest1") >= MESSAGES && count("jmtest2") >= 2);
        assertEquals(MESSAGES, count("jmtest1"));
        // every client once, against jmtest1's INBOX; nothing is deleted on the server
        Path script = Mbox.script("imap_pop3_clients.sh");
        JmailInstance.Result r = JmailInstance.run(List.of("env", "MIN=" + MESSAGES, "TIMEOUT=20", "bash",
                script.toString(), "127.0.0.1", Integer.toString(imapPort), Integer.toString(pop3Port), "jmtest1",
                "testpass"), null);
        report = r.output();
        System.out.println(report); // one PASS/FAIL line per client, kept in the failsafe report
    }

    static JmailInstance.Result swaksTo(String to, String subject) throws Exception {
        return JmailInstance.run(List.of("swaks", "--server", "127.0.0.1", "--port", Integer.toString(j.smtpPort),
                "--from", "sender@remote.tst", "--to", to, "--header", "Subject: " + subject), null);
    }

    static int count(String user) {
        try {
            return Mbox.count(j.mailbox(user));
        } catch (Exception e) {
            return -1;
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (j != null) {
            j.close();
        }
    }

    /** The detail of the client's PASS line; fails with the whole report and the log otherwise. */
    static String passed(String check) throws Exception {
        Matcher m = Pattern.compile("(?m)^PASS " + check + ": (.*)$").matcher(report);
        assertTrue(m.find(), check + " did not pass:\n" + report + "\nlog:\n" + j.logText());
        return m.group(1);
    }

    static int number(String detail, String regex) {
        Matcher m = Pattern.compile(regex).matcher(detail);
        assertTrue(m.find(), detail);
        return Integer.parseInt(m.group(1));
    }

    @Test
    void curlListsAndFetchesOverBothProtocolsAndRefusesAWrongPassword() throws Exception {
        for (String check : List.of("curl_pop3_list", "curl_pop3_retr", "curl_pop3_badpass", "curl_imap_list",
                "curl_imap_fetch", "curl_imap_badpass")) {
            passed(check);
        }
        assertEquals(MESSAGES, number(passed("curl_pop3_list"), "(\\d+) messages listed"));
    }

    @Test
    void fetchmailRetrievesEveryMessageOverPop3InKeepMode() throws Exception {
        assertEquals(MESSAGES, number(passed("fetchmail_pop3"), "(\\d+) messages through the MDA"));
    }

    @Test
    void fetchmailRetrievesEveryMessageOverImapInKeepMode() throws Exception {
        assertEquals(MESSAGES, number(passed("fetchmail_imap"), "(\\d+) messages through the MDA"));
    }

    @Test
    void mbsyncPullsEveryMessageIntoAMaildir() throws Exception {
        assertEquals(MESSAGES, number(passed("mbsync_imap"), "pulled (\\d+) messages"));
    }

    @Test
    void muttOpensTheImapInboxAndCopiesAMessage() throws Exception {
        passed("mutt_imap");
    }

    @Test
    void muttOpensThePop3MaildropAndCopiesAMessage() throws Exception {
        passed("mutt_pop3");
    }

    @Test
    void muttIndexListsTheImapInbox() throws Exception {
        // read-only on a pseudo-terminal; the index shows every subject and the message count.
        // The settings come from a file: plain IMAP on loopback, no caches, nothing to ask.
        Path rc = j.dir.resolve("muttrc");
        java.nio.file.Files.writeString(rc, String.join("\n", "set imap_user=jmtest2", "set imap_pass=testpass",
                "set ssl_starttls=no", "set ssl_force_tls=no", "set folder=" + j.dir, "set spoolfile=\"\"",
                "set header_cache=\"\"", "set message_cachedir=\"\"", "set mail_check=0", "set timeout=5", ""));
        String cmd = "TERM=vt100 COLUMNS=120 LINES=60 mutt -n -R -F " + rc
                + " -f 'imap://jmtest2@127.0.0.1:" + imapPort + "/INBOX' -e 'push <exit>'";
        JmailInstance.Result mutt = JmailInstance.run(List.of("timeout", "30", "script", "-qec", cmd, "/dev/null"),
                null);
        String screen = mutt.output().replaceAll("\\u001b\\[[0-9;?]*[A-Za-z]", " ");
        assertEquals(0, mutt.status(), screen);
        assertTrue(screen.contains("muttlist-1") && screen.contains("muttlist-2"), screen + "\nlog:\n" + j.logText());
        assertTrue(screen.contains("Msgs:2") || screen.contains("sgs:2"), screen);
    }
}
