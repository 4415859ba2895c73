package org.jmail.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * RFC 3461 DSN requests from a real client (Python smtplib's mail_options/rcpt_options) to
 * the running daemon: NOTIFY=SUCCESS gets Postfix's "Successful Mail Delivery Report" with
 * ENVID and ORCPT in it, NOTIFY=NEVER gets no bounce, RET=HDRS a bounce with headers only.
 */
class DsnIT {

    static JmailInstance j;

    @BeforeAll
    static void start() throws Exception {
        TestUsers.ensure("jmtest1", "jmtest2");
        j = new JmailInstance();
        // accepted at RCPT, bounced by local delivery: the command exits 1 ("Command died with status 1")
        Files.writeString(j.dir.resolve("aliases"), "postmaster: jmtest2\nfailing: |/bin/false\nfailing2: |/bin/false\n");
        j.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (j != null) {
            j.close();
        }
    }

    /** Sends one message with smtplib; DSN options as Python lists, e.g. "['NOTIFY=NEVER']". */
    static void send(String to, String subject, String mailOptions, String rcptOptions) throws Exception {
        String py = String.join("\n",
                "import smtplib, sys",
                "s = smtplib.SMTP('127.0.0.1', int(sys.argv[1]))",
                "s.ehlo('client.remote.tst')",
                "assert s.has_extn('dsn'), 'DSN not offered'",
                "msg = ('Subject: ' + sys.argv[3] + '\\r\\nFrom: jmtest2@example.tst\\r\\n\\r\\nsecret body\\r\\n').encode()",
                "s.sendmail('jmtest2@example.tst', [sys.argv[2]], msg, mail_options=" + mailOptions
                        + ", rcpt_options=" + rcptOptions + ")",
                "s.quit()");
        JmailInstance.Result r = JmailInstance.run(List.of("python3", "-c", py, Integer.toString(j.smtpPort), to, subject),
                null);
        assertEquals(0, r.status(), r.output());
    }

    /** The messages in jmtest2's mbox (raw, split at From_ lines) whose text contains all of {@code texts}. */
    static List<String> senderMessages(String... texts) throws Exception {
        Path mbox = j.mailbox("jmtest2");
        if (!Files.exists(mbox)) {
            return List.of();
        }
        String all = Files.readString(mbox, StandardCharsets.ISO_8859_1);
        return Arrays.stream(all.split("(?m)^(?=From )"))
                .filter(m -> Arrays.stream(texts).allMatch(m::contains)).toList();
    }

    @Test
    void notifySuccessBringsADeliveryReportWithEnvidAndOrcpt() throws Exception {
        send("jmtest1@example.tst", "dsn success", "['ENVID=it-env+2B1']",
                "['NOTIFY=SUCCESS,FAILURE', 'ORCPT=rfc822;Alias@example.tst']");
        assertTrue(JmailInstance.waitFor(15_000, () -> {
            try {
                return !senderMessages("Subject: Successful Mail Delivery Report").isEmpty();
            } catch (Exception e) {
                return false;
            }
        }), "no success report; log:\n" + j.logText());
        String report = senderMessages("Subject: Successful Mail Delivery Report").get(0);
        assertTrue(report.contains("<jmtest1@example.tst>: delivered to mailbox"), report);
        assertTrue(report.contains("Original-Envelope-Id: it-env+1\n"), report);
        assertTrue(report.contains("Final-Recipient: rfc822; jmtest1@example.tst\n"
                + "Original-Recipient: rfc822;Alias@example.tst\nAction: delivered\nStatus: 2.0.0\n"), report);
        assertTrue(report.contains("Subject: dsn success"), report);
        assertTrue(!report.contains("secret body"), "headers only: " + report);
        assertTrue(j.logShows(": sender delivery status notification: "), j.logText());
    }

    @Test
    void notifyNeverGetsNoBounceAndRetHdrsABounceWithHeadersOnly() throws Exception {
        send("failing@example.tst", "never told", "[]", "['NOTIFY=NEVER']");
        send("failing2@example.tst", "headers only", "['RET=HDRS']", "['NOTIFY=FAILURE']");
        assertTrue(JmailInstance.waitFor(15_000, () -> {
            try {
                return !senderMessages("Subject: Undelivered Mail Returned to Sender", "Subject: headers only").isEmpty();
            } catch (Exception e) {
                return false;
            }
        }), "no bounce for RET=HDRS; log:\n" + j.logText());
        assertTrue(j.logShows("to=<failing@example.tst>, relay=local"), j.logText());
        String bounce = senderMessages("Subject: Undelivered Mail Returned to Sender", "Subject: headers only").get(0);
        assertTrue(bounce.contains("Content-Type: text/rfc822-headers"), bounce);
        assertTrue(!bounce.contains("secret body"), bounce);
        assertEquals(List.of(), senderMessages("Subject: never told"), "NOTIFY=NEVER: no bounce");
        // the log is written asynchronously: wait for the notice's line before counting
        assertTrue(j.logShows(": sender non-delivery notification: "), j.logText());
        long notices = j.logText().lines().filter(l -> l.contains(": sender non-delivery notification: ")).count();
        assertEquals(1, notices, j.logText());
    }
}
