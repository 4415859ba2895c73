package org.jmail.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * header_checks and body_checks (pcre: tables, as Debian tutorials write them) on the running
 * daemon, with swaks: REJECT ends DATA with Postfix's 550 and cleanup's reject log line,
 * IGNORE removes a header from the delivered message.
 */
class ContentChecksIT {

    static JmailInstance j;

    @BeforeAll
    static void start() throws Exception {
        TestUsers.ensure("jmtest1");
        j = new JmailInstance();
        Files.writeString(j.dir.resolve("header_checks"), String.join("\n",
                "/^Subject:.*\\bspam offer\\b/ REJECT Spam is not welcome here",
                "/^X-Originating-IP:/ IGNORE",
                ""));
        Files.writeString(j.dir.resolve("body_checks"), "/^trigger phrase/ REJECT 5.7.0 body rejected\n");
        j.set("header_checks", "pcre:" + j.dir.resolve("header_checks"))
                .set("body_checks", "pcre:" + j.dir.resolve("body_checks"));
        j.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (j != null) {
            j.close();
        }
    }

    static JmailInstance.Result swaks(String subject, String body, String... headers) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("swaks", "--server", "127.0.0.1", "--port",
                Integer.toString(j.smtpPort), "--helo", "client.remote.tst", "--from", "sender@remote.tst",
                "--to", "jmtest1@example.tst", "--header", "Subject: " + subject, "--body", body));
        for (String h : headers) {
            cmd.add("--add-header");
            cmd.add(h);
        }
        return JmailInstance.run(cmd, null);
    }

    @Test
    void rejectedHeaderAndBodyGet550AndALogLine() throws Exception {
        JmailInstance.Result r = swaks("a spam offer for you", "hello");
        assertTrue(r.output().contains("<** 550 5.7.1 Spam is not welcome here"), r.output());
        assertTrue(j.logShows(": reject: header Subject: a spam offer for you from localhost[127.0.0.1]; "
                + "from=<sender@remote.tst> to=<jmtest1@example.tst> proto=ESMTP helo=<client.remote.tst>: "
                + "5.7.1 Spam is not welcome here"), j.logText());
        JmailInstance.Result b = swaks("harmless", "trigger phrase inside");
        assertTrue(b.output().contains("<** 550 5.7.0 body rejected"), b.output());
        assertTrue(j.logShows(": reject: body trigger phrase inside from localhost[127.0.0.1];"), j.logText());
    }

    @Test
    void ignoredHeaderIsNotDelivered() throws Exception {
        JmailInstance.Result r = swaks("kept message", "hello", "X-Originating-IP: [192.0.2.99]");
        assertEquals(0, r.status(), r.output());
        assertTrue(JmailInstance.waitFor(15_000, () -> {
            try {
                return Files.exists(j.mailbox("jmtest1"))
                        && Files.readString(j.mailbox("jmtest1")).contains("Subject: kept message");
            } catch (Exception e) {
                return false;
            }
        }), j.logText());
        String mbox = Files.readString(j.mailbox("jmtest1"));
        assertFalse(mbox.contains("X-Originating-IP"), mbox);
    }
}
