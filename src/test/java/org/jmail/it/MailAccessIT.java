package org.jmail.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Mail delivered over SMTP read back over IMAP and POP3 by real clients (Python imaplib and
 * poplib, curl) with the users' Unix passwords, plain on loopback and with implicit TLS.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MailAccessIT {

    static JmailInstance j;
    static int imapPort;
    static int pop3Port;
    static int imapsPort;
    static int pop3sPort;

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
        imapsPort = JmailInstance.freePort();
        pop3sPort = JmailInstance.freePort();
        Path cert = j.dir.resolve("cert.pem");
        Path key = j.dir.resolve("key.pem");
        JmailInstance.Result ssl = JmailInstance.run(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048",
                "-nodes", "-days", "2", "-subj", "/CN=mail.example.tst", "-keyout", key.toString(), "-out",
                cert.toString()), null);
        assertEquals(0, ssl.status(), ssl.output());
        j.set("mail_location", "mbox:~/mail:INBOX=" + j.dir.resolve("mail") + "/%u")
                .set("smtpd_tls_cert_file", cert.toString())
                .set("smtpd_tls_key_file", key.toString())
                .set("auth_failure_delay", "0")
                .master("127.0.0.1:" + imapPort + " inet n - n - - imapd")
                .master("127.0.0.1:" + pop3Port + " inet n - n - - pop3d")
                .master("127.0.0.1:" + imapsPort + " inet n - n - - imapd -o imapd_tls_wrappermode=yes")
                .master("127.0.0.1:" + pop3sPort + " inet n - n - - pop3d -o pop3d_tls_wrappermode=yes");
        j.start();
        for (int i = 1; i <= 3; i++) {
            // one at a time: the queue promises no order, the test wants imap-one first
            assertEquals(0, swaksTo("jmtest1@example.tst", i == 1 ? "imap-one" : "imap-" + i)
                    .status());
            int n = i;
            JmailInstance.waitFor(15_000, () -> count("jmtest1") >= n);
        }
        assertEquals(0, swaksTo("jmtest2@example.tst", "pop-one").status());
        JmailInstance.waitFor(15_000, () -> count("jmtest2") >= 1);
        assertEquals(0, swaksTo("jmtest2@example.tst", "pop-two").status());
        JmailInstance.waitFor(15_000, () -> count("jmtest2") >= 2);
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

    @SuppressWarnings("unchecked")
    static Map<String, Object> python(String script, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("/usr/bin/python3", Mbox.script(script).toString()));
        cmd.addAll(List.of(args));
        JmailInstance.Result r = JmailInstance.run(cmd, null);
        assertEquals(0, r.status(), r.output() + "\nlog:\n" + j.logText());
        String last = r.output().strip();
        last = last.substring(last.lastIndexOf('\n') + 1);
        return (Map<String, Object>) Json.parse(last);
    }

    @Test
    @Order(1)
    void imaplibSessionReadsChangesAndKeepsMetadataHidden() throws Exception {
        Map<String, Object> r = python("imap_session.py", "127.0.0.1", Integer.toString(imapPort), "jmtest1", "testpass");
        assertEquals("OK", r.get("login"), r.toString());
        assertEquals(3, ((Number) r.get("exists")).intValue(), r.toString());
        assertEquals(List.of(1L, 2L, 3L), r.get("uids"));
        assertEquals(List.of(1L), r.get("search_subject"));
        assertEquals(false, r.get("fetch_body_has_xuid"), "metadata headers must never reach the client");
        assertTrue(r.get("rfc822_size").toString().contains("RFC822.SIZE"), r.toString());
        assertTrue(r.get("flags_after_read").toString().contains("\\Seen"), r.toString());
        assertEquals("OK", r.get("append"));
        assertTrue(r.get("append_data").toString().contains("APPENDUID"), r.toString());
        assertTrue(r.get("status_trash").toString().contains("MESSAGES 1"), r.toString());
        assertEquals(2, ((Number) r.get("exists_after_expunge")).intValue(), r.toString());
        assertEquals(List.of(2L, 3L), r.get("uids_after_expunge"));
        assertTrue(r.get("flags_kept").toString().contains("\\Flagged"), r.toString());
        assertTrue(r.get("flags_kept").toString().contains("$Work"), r.toString());
        assertTrue(r.get("select_escape").toString().startsWith("NO"), r.toString());
        assertTrue(r.get("list").toString().contains("Sent") && r.get("list").toString().contains("Trash"),
                "special-use folders exist after the first login: " + r.get("list"));
        String log = j.logText();
        assertTrue(log.matches("(?s).*dovecot\\[\\d+\\]: imap-login: Login: user=<jmtest1>, method=PLAIN, rip=127\\.0\\.0\\.1, lip=127\\.0\\.0\\.1.*"), log);
        // the mbox on disk carries Dovecot's metadata and is still a valid mbox
        String mbox = Files.readString(j.mailbox("jmtest1"), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(mbox.contains("X-IMAPbase: "), mbox);
        assertTrue(mbox.contains("X-UID: 2") && mbox.contains("X-UID: 3"), mbox);
        assertEquals(2, Mbox.read(j.mailbox("jmtest1")).size());
    }

    @Test
    @Order(2)
    void uidsStayStableAcrossSessions() throws Exception {
        Map<String, Object> first = python("imap_session.py", "127.0.0.1", Integer.toString(imapPort), "jmtest1",
                "testpass");
        // the second run expunged message 2 (flagged \Deleted as the first of its session)
        assertEquals(List.of(3L), first.get("uids_after_expunge"), first.toString());
        assertNotEquals("0", first.get("uidvalidity"));
    }

    @Test
    @Order(3)
    void idleReportsMailDeliveredMeanwhile() throws Exception {
        String py = String.join("\n",
                "import socket,sys,time,subprocess",
                "s=socket.create_connection(('127.0.0.1'," + imapPort + "),timeout=20)",
                "f=s.makefile('rb')",
                "def cmd(t):",
                "  s.sendall(t.encode()+b'\\r\\n')",
                "  tag=t.split()[0].encode()",
                "  while True:",
                "    l=f.readline()",
                "    if not l or l.startswith(tag+b' '): return l",
                "f.readline()",
                "cmd('a LOGIN jmtest1 testpass')",
                "cmd('b SELECT INBOX')",
                "s.sendall(b'c IDLE\\r\\n')",
                "print(f.readline().decode().strip())",
                "subprocess.run(sys.argv[1:],check=True,capture_output=True)",
                "t=time.time()",
                "while time.time()-t<15:",
                "  l=f.readline().decode().strip()",
                "  if l.endswith('EXISTS'): print('GOT',l); break",
                "s.sendall(b'DONE\\r\\n')",
                                "while True:",
                "  l=f.readline().decode().strip()",
                "  print(l)",
                "  if not l or l.startswith('c '): break",
                "print(cmd('d LOGOUT').decode().strip())");
        JmailInstance.Result r = JmailInstance.run(List.of("/usr/bin/python3", "-c", py, "swaks", "--server",
                "127.0.0.1", "--port", Integer.toString(j.smtpPort), "--from", "s@remote.tst", "--to",
                "jmtest1@example.tst", "--header", "Subject: while-idle"), null);
        assertEquals(0, r.status(), r.output());
        assertTrue(r.output().contains("+ idling"), r.output());
        assertTrue(r.output().matches("(?s).*GOT \\* \\d+ EXISTS.*"), r.output());
        assertTrue(r.output().contains("c OK"), r.output());
    }

    @Test
    @Order(4)
    void wrongPasswordIsRefusedAndLoggedForFail2ban() throws Exception {
        String py = "import imaplib,sys\n"
                + "m=imaplib.IMAP4('127.0.0.1'," + imapPort + ")\n"
                + "try:\n  m.login('jmtest1','wrong'); print('LOGGED-IN')\n"
                + "except imaplib.IMAP4.error as e: print('REFUSED', e)\n";
        JmailInstance.Result r = JmailInstance.run(List.of("/usr/bin/python3", "-c", py), null);
        assertTrue(r.output().contains("REFUSED") && r.output().contains("AUTHENTICATIONFAILED"), r.output());
        JmailInstance.waitFor(5_000, () -> {
            try {
                return j.logText().contains("auth failed");
            } catch (Exception e) {
                return false;
            }
        });
        // the real fail2ban dovecot filter finds the failure (CI installs fail2ban)
        JmailInstance.Result f2b = JmailInstance.run(List.of("fail2ban-regex", j.log().toString(),
                "/etc/fail2ban/filter.d/dovecot.conf"), null);
        assertEquals(0, f2b.status(), f2b.output());
        assertTrue(f2b.output().matches("(?s).*Lines: \\d+ lines, \\d+ ignored, [1-9]\\d* matched.*"), f2b.output());
        // fail2ban's dovecot filter: "(?:auth failed|...), ... user=<...>, ... rip=<HOST>"
        assertTrue(j.logText().matches("(?s).*dovecot\\[\\d+\\]: imap-login: Disconnected \\(auth failed, 1 attempts in \\d+ secs\\): "
                + "user=<jmtest1>, method=PLAIN, rip=127\\.0\\.0\\.1, lip=127\\.0\\.0\\.1.*"), j.logText());
    }

    @Test
    @Order(5)
    void poplibReadsWithoutMetadataAndQuitCommitsDeletion() throws Exception {
        Map<String, Object> r = python("pop3_session.py", "127.0.0.1", Integer.toString(pop3Port), "jmtest2", "testpass");
        assertTrue(r.get("pass").toString().startsWith("+OK"), r.toString());
        List<?> stat = (List<?>) r.get("stat");
        assertEquals(2, ((Number) stat.get(0)).intValue());
        List<?> uidl = (List<?>) r.get("uidl");
        assertEquals(2, uidl.size());
        assertTrue(uidl.get(0).toString().matches("1 [0-9a-f]{8}[0-9a-f]{8}"), uidl.toString());
        assertEquals(false, r.get("retr1_has_meta"));
        Map<String, Object> again = python("pop3_session.py", "127.0.0.1", Integer.toString(pop3Port), "jmtest2",
                "testpass", "dele");
        assertEquals(uidl, again.get("uidl"), "UIDL is stable across sessions");
        Map<String, Object> after = python("pop3_session.py", "127.0.0.1", Integer.toString(pop3Port), "jmtest2",
                "testpass");
        assertEquals(1, ((Number) ((List<?>) after.get("stat")).get(0)).intValue(), after.toString());
        assertEquals(uidl.get(1).toString().substring(2), ((List<?>) after.get("uidl")).get(0).toString().substring(2));
        assertEquals(1, Mbox.read(j.mailbox("jmtest2")).size());
    }

    @Test
    @Order(6)
    void implicitTlsServesImapsAndPop3s() throws Exception {
        Map<String, Object> imaps = python("imap_session.py", "127.0.0.1", Integer.toString(imapsPort), "jmtest1",
                "testpass", "ssl");
        assertEquals("OK", imaps.get("login"), imaps.toString());
        Map<String, Object> pop3s = python("pop3_session.py", "127.0.0.1", Integer.toString(pop3sPort), "jmtest2",
                "testpass", "ssl");
        assertTrue(pop3s.get("pass").toString().startsWith("+OK"), pop3s.toString());
    }

    @Test
    @Order(7)
    void curlListsAndFetchesOverImapAndPop3() throws Exception {
        JmailInstance.Result list = JmailInstance.run(List.of("curl", "-sS", "--max-time", "20",
                "imap://127.0.0.1:" + imapPort + "/", "-u", "jmtest1:testpass"), null);
        assertEquals(0, list.status(), list.output());
        assertTrue(list.output().contains("INBOX"), list.output());
        JmailInstance.Result fetch = JmailInstance.run(List.of("curl", "-sS", "--max-time", "20",
                "imap://127.0.0.1:" + imapPort + "/INBOX/;MAILINDEX=1", "-u", "jmtest1:testpass"), null);
        assertEquals(0, fetch.status(), fetch.output());
        assertTrue(fetch.output().contains("Subject: "), fetch.output());
        assertFalse(fetch.output().contains("X-UID:"), fetch.output());
        JmailInstance.Result pop = JmailInstance.run(List.of("curl", "-sS", "--max-time", "20",
                "pop3://127.0.0.1:" + pop3Port + "/1", "-u", "jmtest2:testpass"), null);
        assertEquals(0, pop.status(), pop.output());
        assertTrue(pop.output().contains("Subject: pop-two"), pop.output());
        JmailInstance.Result starttls = JmailInstance.run(List.of("curl", "-sS", "--max-time", "20", "--ssl-reqd",
                "-k", "imap://127.0.0.1:" + imapPort + "/", "-u", "jmtest1:testpass"), null);
        assertEquals(0, starttls.status(), starttls.output());
        assertFalse(starttls.output().isBlank());
    }

    /**
     * Issue 6: a user who symlinks a folder to /etc/shadow or to another user's mailbox gets
     * an error, not the file; names with "..", absolute paths or control characters are
     * refused. Folder access runs with the user's own file identity.
     */
    @Test
    @Order(8)
    void symlinkedFoldersAndEscapingNamesGetAnError() throws Exception {
        Path mail = Path.of("/home/jmtest1/mail");
        JmailInstance.run(List.of("install", "-d", "-o", "jmtest1", "-g", "jmtest1", mail.toString()), null);
        Path other = j.mailbox("jmtest2");
        for (String[] link : new String[][] {{"shadow", "/etc/shadow"}, {"theirs", other.toString()},
                {"etcdir", "/etc"}}) {
            Path l = mail.resolve(link[0]);
            Files.deleteIfExists(l);
            Files.createSymbolicLink(l, Path.of(link[1]));
            JmailInstance.run(List.of("chown", "-h", "jmtest1:jmtest1", l.toString()), null);
        }
        byte[] shadowBefore = Files.readAllBytes(Path.of("/etc/shadow"));
        byte[] theirsBefore = Files.readAllBytes(other);
        String py = String.join("\n",
                "import socket",
                "s=socket.create_connection(('127.0.0.1'," + imapPort + "),timeout=20)",
                "f=s.makefile('rb')",
                "def cmd(t):",
                "  s.sendall(t+b'\\r\\n')",
                "  tag=t.split()[0]",
                "  out=[]",
                "  while True:",
                "    l=f.readline()",
                "    out.append(l.decode('latin-1').strip())",
                "    if not l or l.startswith(tag+b' '): return ' | '.join(out)",
                "f.readline()",
                "print(cmd(b'a LOGIN jmtest1 testpass'))",
                "print('SHADOW', cmd(b'b SELECT shadow'))",
                "print('THEIRS', cmd(b'c SELECT theirs'))",
                "print('APPEND', cmd(b'd APPEND theirs {12+}\\r\\nSubject: x\\r\\n'))",
                "print('STATUS', cmd(b'e STATUS shadow (MESSAGES)'))",
                "print('ETCDIR', cmd(b'f SELECT etcdir/passwd'))",
                "print('DOTDOT', cmd(b'g CREATE ../escaped'))",
                "print('DOTDOT2', cmd(b'h SELECT ../../../etc/passwd'))",
                "print('ABS', cmd(b'i CREATE /tmp/escaped'))",
                "print('CTRL', cmd(b'j CREATE \"a\\x01b\"'))",
                "print('RENAME', cmd(b'k RENAME theirs mine'))",
                "print(cmd(b'z LOGOUT'))");
        JmailInstance.Result r = JmailInstance.run(List.of("/usr/bin/python3", "-c", py), null);
        assertTrue(r.output().contains("a OK"), r.output());
        for (String line : r.output().split("\n")) {
            String[] kv = line.split(" ", 2);
            if (List.of("SHADOW", "THEIRS", "APPEND", "STATUS", "ETCDIR", "DOTDOT", "DOTDOT2", "ABS", "CTRL", "RENAME")
                    .contains(kv[0])) {
                String last = kv[1].substring(kv[1].lastIndexOf('|') + 1).trim();
                assertTrue(last.matches("[a-z] (NO|BAD) .*"), kv[0] + " must be refused: " + kv[1]);
                assertFalse(kv[1].contains("root:"), "shadow contents leaked: " + kv[1]);
            }
        }
        assertArrayEquals(shadowBefore, Files.readAllBytes(Path.of("/etc/shadow")));
        assertArrayEquals(theirsBefore, Files.readAllBytes(other));
        assertTrue(Files.isSymbolicLink(mail.resolve("theirs")), "the link itself is left alone");
        assertFalse(Files.exists(Path.of("/home/jmtest1/escaped")) || Files.exists(Path.of("/tmp/escaped")));
    }
}
