package org.jmail.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Submission as Postfix ships it, against the real daemon with real clients: swaks STARTTLS
 * on an {@code encrypt} port (master.cf's submission entry, continuation lines and
 * {@code -o} overrides as Postfix's master.cf writes them), swaks {@code --tls-on-connect} on
 * a wrapper-mode port (submissions/465), AUTH with the user's Unix password, AUTH before TLS
 * refused, a bad password refused and found by fail2ban's own postfix filter, sender spoofing
 * refused by smtpd_sender_login_maps, and the STARTTLS command injection (CVE-2011-0411)
 * tried with Python's ssl module.
 */
class SubmissionIT {

    static JmailInstance j;
    static int submission;
    static int submissions;

    @BeforeAll
    static void start() throws Exception {
        TestUsers.ensure("jmtest1", "jmtest2");
        j = new JmailInstance();
        submission = JmailInstance.freePort();
        submissions = JmailInstance.freePort();
        Path cert = j.dir.resolve("cert.pem");
        Path key = j.dir.resolve("key.pem");
        JmailInstance.Result ssl = JmailInstance.run(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048",
                "-nodes", "-days", "2", "-subj", "/CN=mail.example.tst", "-keyout", key.toString(), "-out",
                cert.toString()), null);
        assertEquals(0, ssl.status(), ssl.output());
        Path logins = j.dir.resolve("sender_logins");
        Files.writeString(logins, "jmtest1@example.tst jmtest1\njmtest2@example.tst jmtest2\n");
        j.set("smtpd_tls_cert_file", cert.toString())
                .set("smtpd_tls_key_file", key.toString())
                .set("smtpd_tls_received_header", "yes")
                .set("auth_mechanisms", "plain login")
                .set("auth_failure_delay", "0")
                .set("smtpd_sender_login_maps", "texthash:" + logins)
                .set("mua_sender_restrictions", "reject_sender_login_mismatch")
                // Postfix 3.7's master.cf submission entry, uncommented (ports made free ones)
                .master("127.0.0.1:" + submission + " inet n       -       y       -       -       smtpd\n"
                        + "  -o syslog_name=postfix/submission\n"
                        + "  -o smtpd_tls_security_level=encrypt\n"
                        + "  -o smtpd_sasl_auth_enable=yes\n"
                        + "  -o smtpd_tls_auth_only=yes\n"
                        + "  -o local_header_rewrite_clients=static:all\n"
                        + "  -o smtpd_reject_unlisted_recipient=no\n"
                        + "  -o smtpd_client_restrictions=$mua_client_restrictions\n"
                        + "  -o smtpd_helo_restrictions=$mua_helo_restrictions\n"
                        + "  -o smtpd_sender_restrictions=$mua_sender_restrictions\n"
                        + "  -o smtpd_recipient_restrictions=\n"
                        + "  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject\n"
                        + "  -o milter_macro_daemon_name=ORIGINATING")
                .master("127.0.0.1:" + submissions + " inet  n       -       y       -       -       smtpd\n"
                        + "  -o syslog_name=postfix/submissions\n"
                        + "  -o smtpd_tls_wrappermode=yes\n"
                        + "  -o smtpd_sasl_auth_enable=yes\n"
                        + "  -o smtpd_reject_unlisted_recipient=no\n"
                        + "  -o smtpd_sender_restrictions=$mua_sender_restrictions\n"
                        + "  -o smtpd_recipient_restrictions=\n"
                        + "  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject\n"
                        + "  -o milter_macro_daemon_name=ORIGINATING");
        j.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (j != null) {
            j.close();
        }
    }

    static JmailInstance.Result swaks(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("swaks", "--server", "127.0.0.1", "--timeout", "20"));
        cmd.addAll(List.of(args));
        return JmailInstance.run(cmd, null);
    }

    static int count(String user) {
        try {
            return Mbox.count(j.mailbox(user));
        } catch (Exception e) {
            return 0;
        }
    }

    static boolean logHas(String text) {
        try {
            return j.logText().contains(text);
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void startTlsThenAuthPlainOnTheSubmissionPortIsAcceptedAndDelivered() throws Exception {
        int before = count("jmtest2");
        JmailInstance.Result r = swaks("--port", Integer.toString(submission), "-tls", "-a", "PLAIN", "-au", "jmtest1",
                "-ap", "testpass", "--from", "jmtest1@example.tst", "--to", "jmtest2@example.tst", "--header",
                "Subject: submission-starttls");
        assertEquals(0, r.status(), r.output() + "\nlog:\n" + j.logText());
        assertTrue(r.output().contains("235 2.7.0 Authentication successful"), r.output());
        assertTrue(JmailInstance.waitFor(15_000, () -> count("jmtest2") > before), j.logText());
        String mbox = Files.readString(j.mailbox("jmtest2"));
        assertTrue(mbox.matches("(?s).*\\(using TLSv1\\.[23] with cipher \\S+ \\(\\d+/\\d+ bits\\)\\)\n"
                + "\t\\(No client certificate requested\\)\n\tby mail\\.example\\.tst \\(jmail\\) with ESMTPSA id .*"),
                mbox);
        String log = j.logText();
        assertTrue(log.matches("(?s).*postfix/submission/smtpd\\[\\d+\\]: Anonymous TLS connection established from "
                + "localhost\\[127\\.0\\.0\\.1\\]: TLSv1\\.[23] with cipher .*"), log);
        assertTrue(log.contains("sasl_username=jmtest1"), log);
    }

    @Test
    void tlsOnConnectWithAuthLoginOnTheWrapperPortIsAcceptedAndDelivered() throws Exception {
        int before = count("jmtest1");
        JmailInstance.Result r = swaks("--port", Integer.toString(submissions), "--tls-on-connect", "-a", "LOGIN",
                "-au", "jmtest1", "-ap", "testpass", "--from", "jmtest1@example.tst", "--to", "jmtest1@example.tst",
                "--header", "Subject: submissions-465");
        assertEquals(0, r.status(), r.output() + "\nlog:\n" + j.logText());
        assertFalse(r.output().contains("STARTTLS"), r.output());
        assertTrue(JmailInstance.waitFor(15_000, () -> count("jmtest1") > before), j.logText());
        assertTrue(Files.readString(j.mailbox("jmtest1")).contains("Subject: submissions-465"));
    }

    @Test
    void authAndMailBeforeStartTlsOnTheEncryptPortAreRefused() throws Exception {
        String py = String.join("\n",
                "import smtplib, base64",
                "s = smtplib.SMTP('127.0.0.1', " + submission + ", timeout=20)",
                "print(s.ehlo('client.example'))",
                "print(s.docmd('AUTH', 'PLAIN ' + base64.b64encode(b'\\0jmtest1\\0testpass').decode()))",
                "print(s.docmd('MAIL', 'FROM:<jmtest1@example.tst>'))",
                "s.quit()");
        JmailInstance.Result r = JmailInstance.run(List.of("/usr/bin/python3", "-c", py), null);
        assertEquals(0, r.status(), r.output());
        assertFalse(r.output().contains("AUTH"), "no AUTH offered before TLS: " + r.output());
        assertTrue(r.output().contains("(530, b'5.7.0 Must issue a STARTTLS command first')\n"
                + "(530, b'5.7.0 Must issue a STARTTLS command first')"), r.output());
    }

    @Test
    void unauthenticatedSubmissionIsRefused() throws Exception {
        JmailInstance.Result r = swaks("--port", Integer.toString(submission), "-tls", "--from", "x@remote.tst",
                "--to", "jmtest1@example.tst");
        assertNotEquals(0, r.status(), r.output());
        assertTrue(r.output().contains("554 5.7.1 <jmtest1@example.tst>: Recipient address rejected: Access denied"), r.output());
    }

    @Test
    void badPasswordGets535AndFail2bansPostfixFilterFindsIt() throws Exception {
        JmailInstance.Result r = swaks("--port", Integer.toString(submission), "-tls", "-a", "LOGIN", "-au", "jmtest1",
                "-ap", "wrong-password", "--from", "jmtest1@example.tst", "--to", "jmtest1@example.tst");
        assertNotEquals(0, r.status(), r.output());
        assertTrue(r.output().contains("535 5.7.8 Error: authentication failed: authentication failure"), r.output());
        assertTrue(JmailInstance.waitFor(5_000, () -> logHas("SASL LOGIN authentication failed")), j.logText());
        String log = j.logText();
        assertTrue(log.matches("(?s).*postfix/submission/smtpd\\[\\d+\\]: warning: localhost\\[127\\.0\\.0\\.1\\]: "
                + "SASL LOGIN authentication failed: authentication failure\n.*"), log);
        // the Debian fail2ban filter, unchanged: jail postfix-sasl = filter postfix[mode=auth]
        JmailInstance.Result f2b = JmailInstance.run(List.of("fail2ban-regex", j.log().toString(),
                "postfix[mode=auth]"), null);
        assertEquals(0, f2b.status(), f2b.output());
        assertTrue(f2b.output().matches("(?s).*Lines: \\d+ lines, \\d+ ignored, [1-9]\\d* matched.*"), f2b.output());
        assertTrue(f2b.output().contains("127.0.0.1"), f2b.output());
    }

    @Test
    void authenticatedUserCannotSendAsAnotherUser() throws Exception {
        JmailInstance.Result r = swaks("--port", Integer.toString(submission), "-tls", "-a", "PLAIN", "-au", "jmtest1",
                "-ap", "testpass", "--from", "jmtest2@example.tst", "--to", "jmtest1@example.tst");
        assertNotEquals(0, r.status(), r.output());
        assertTrue(r.output().contains(
                "553 5.7.1 <jmtest2@example.tst>: Sender address rejected: not owned by user jmtest1"), r.output());
    }

    @Test
    void commandsInjectedBeforeTheHandshakeAreNotAnswered() throws Exception {
        String py = String.join("\n",
                "import socket, ssl",
                "def reply(sock):",
                "    data = b''",
                "    while True:",
                "        c = sock.recv(1)",
                "        if not c:",
                "            return data",
                "        data += c",
                "        lines = data.split(b'\\r\\n')",
                "        if data.endswith(b'\\r\\n') and lines[-2][3:4] == b' ':",
                "            return data",
                "s = socket.create_connection(('127.0.0.1', " + submission + "), timeout=20)",
                "reply(s)",
                "s.sendall(b'EHLO client.example\\r\\n'); reply(s)",
                "s.sendall(b'STARTTLS\\r\\nRSET\\r\\n')",
                "print('STARTTLS', reply(s))",
                "ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)",
                "ctx.check_hostname = False",
                "ctx.verify_mode = ssl.CERT_NONE",
                "t = ctx.wrap_socket(s)",
                "t.sendall(b'EHLO client.example\\r\\n')",
                "print('FIRST', reply(t))",
                "t.sendall(b'QUIT\\r\\n')",
                "print('QUIT', reply(t))");
        JmailInstance.Result r = JmailInstance.run(List.of("/usr/bin/python3", "-c", py), null);
        assertEquals(0, r.status(), r.output());
        assertTrue(r.output().contains("STARTTLS b'220 2.0.0 Ready to start TLS\\r\\n'"), r.output());
        // the first reply inside TLS answers EHLO, not the injected RSET
        assertTrue(r.output().contains("FIRST b'250-mail.example.tst\\r\\n"), r.output());
        assertFalse(r.output().contains("2.0.0 Ok"), r.output());
        assertTrue(r.output().contains("QUIT b'221 2.0.0 Bye\\r\\n'"), r.output());
        assertTrue(JmailInstance.waitFor(5_000,
                () -> logHas("disconnect from localhost[127.0.0.1] ehlo=2 starttls=1 quit=1 commands=4")), j.logText());
    }
}
