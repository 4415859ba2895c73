package org.jmail.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * jmail and a real Dovecot (Debian's dovecot-imapd, a private instance on a loopback port)
 * serve the same mbox files: what jmail delivered and flagged opens in Dovecot with the same
 * UIDVALIDITY, UIDs and flags, and what Dovecot then changed (APPEND, flags, EXPUNGE) opens in
 * jmail the same way. Skipped where Dovecot's imap binary is not installed.
 */
class DovecotInteropIT {

    static final String USER = "jmtest2";
    static JmailInstance j;
    static Process dovecot;
    static int jmailImap;
    static int dovecotImap;
    static int jmailPop3;
    static int dovecotPop3;
    static Path conf;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/lib/dovecot/imap"))
                && Files.isExecutable(Path.of("/usr/sbin/dovecot")), "dovecot-imapd is not installed");
        TestUsers.ensure(USER);
        j = new JmailInstance();
        jmailImap = JmailInstance.freePort();
        dovecotImap = JmailInstance.freePort();
        jmailPop3 = JmailInstance.freePort();
        dovecotPop3 = Files.isExecutable(Path.of("/usr/lib/dovecot/pop3")) ? JmailInstance.freePort() : 0;
        // both servers get the same mail_location; the folder root is the test's, owned by the user
        Path folders = j.dir.resolve("folders");
        Files.createDirectories(folders.resolve(USER));
        JmailInstance.run(List.of("chown", "-R", USER + ":", folders.resolve(USER).toString()), null);
        folders.toFile().setExecutable(true, false);
        String location = "mbox:" + folders + "/%u:INBOX=" + j.dir.resolve("mail") + "/%u";
        j.set("mail_location", location)
                .set("auth_failure_delay", "0")
                .master("127.0.0.1:" + jmailImap + " inet n - n - - imapd")
                .master("127.0.0.1:" + jmailPop3 + " inet n - n - - pop3d");
        j.start();
        conf = writeDovecotConf(j.dir.resolve("dovecot"), location);
        dovecot = new ProcessBuilder("/usr/sbin/dovecot", "-F", "-c", conf.toString())
                .redirectErrorStream(true).redirectOutput(j.dir.resolve("dovecot/stdout").toFile()).start();
        boolean up = JmailInstance.waitFor(15_000, () -> {
            try (Socket s = new Socket("127.0.0.1", dovecotImap)) {
                return true;
            } catch (IOException e) {
                return false;
            }
        });
        assertTrue(up, "private dovecot did not start: " + dovecotLog());
    }

    static Path writeDovecotConf(Path d, String location) throws IOException {
        Files.createDirectories(d);
        d.toFile().setExecutable(true, false);
        String c = String.join("\n",
                "base_dir = " + d.resolve("run"),
                "state_dir = " + d.resolve("state"),
                "instance_name = jmail-interop",
                "protocols = imap" + (dovecotPop3 > 0 ? " pop3" : ""),
                "listen = 127.0.0.1",
                "ssl = no",
                "disable_plaintext_auth = no",
                "auth_mechanisms = plain login",
                "log_path = " + d.resolve("dovecot.log"),
                "mail_location = " + location,
                "mail_privileged_group = mail",
                "passdb {\n  driver = shadow\n}",
                "userdb {\n  driver = passwd\n}",
                "service imap-login {\n  inet_listener imap {\n    port = " + dovecotImap
                        + "\n  }\n  inet_listener imaps {\n    port = 0\n  }\n}",
                "service pop3-login {\n  inet_listener pop3 {\n    port = " + dovecotPop3 + "\n  }\n"
                        + "  inet_listener pop3s {\n    port = 0\n  }\n}",
                "service submission-login {\n  inet_listener submission {\n    port = 0\n  }\n}",
                "service lmtp {\n  unix_listener lmtp {\n    mode = 0600\n  }\n}",
                "");
        Path f = d.resolve("dovecot.conf");
        Files.writeString(f, c);
        return f;
    }

    static String dovecotLog() {
        try {
            Path d = j.dir.resolve("dovecot");
            String s = Files.exists(d.resolve("dovecot.log")) ? Files.readString(d.resolve("dovecot.log")) : "";
            return s + (Files.exists(d.resolve("stdout")) ? Files.readString(d.resolve("stdout")) : "");
        } catch (IOException e) {
            return e.toString();
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (dovecot != null) {
            JmailInstance.run(List.of("/usr/sbin/dovecot", "-c", conf.toString(), "stop"), null);
            if (!dovecot.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                dovecot.destroyForcibly();
            }
        }
        if (j != null) {
            j.close();
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> snapshot(int port, String... ops) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", Mbox.script("imap_snapshot.py").toString(),
                "127.0.0.1", Integer.toString(port), USER, "testpass"));
        cmd.addAll(List.of(ops));
        JmailInstance.Result r = JmailInstance.run(cmd, null);
        assertEquals(0, r.status(), r.output() + "\njmail log:\n" + j.logText() + "\ndovecot log:\n" + dovecotLog());
        String out = r.output().strip();
        return (Map<String, Object>) Json.parse(out.substring(out.lastIndexOf('\n') + 1));
    }

    static List<Object> uids(Map<String, Object> snap) {
        List<Object> u = new ArrayList<>();
        for (Object m : (List<Object>) snap.get("messages")) {
            u.add(((Map<?, ?>) m).get("uid"));
        }
        return u;
    }

    @Test
    void sameUidsFlagsAndUidValidityBothWays() throws Exception {
        for (int i = 1; i <= 3; i++) {
            JmailInstance.Result r = JmailInstance.run(List.of("swaks", "--server", "127.0.0.1", "--port",
                    Integer.toString(j.smtpPort), "--from", "sender@remote.tst", "--to", USER + "@example.tst",
                    "--header", "Subject: interop-" + i), null);
            assertEquals(0, r.status(), r.output());
            int n = i;
            assertTrue(JmailInstance.waitFor(15_000, () -> count() >= n), j.logText());
        }

        // jmail assigns the UIDs and writes flags, a keyword and the metadata at logout
        Map<String, Object> mine = snapshot(jmailImap, "flag:2:+\\Flagged $Work", "flag:3:+\\Seen");
        assertTrue(mine.get("greeting").toString().contains("jmail ready"), mine.toString());
        assertEquals(List.of(1L, 2L, 3L), uids(mine), mine.toString());

        // Dovecot reads the same mailbox the same way
        Map<String, Object> theirs = snapshot(dovecotImap);
        assertTrue(theirs.get("greeting").toString().contains("Dovecot"), theirs.toString());
        assertEquals(mine.get("uidvalidity"), theirs.get("uidvalidity"));
        assertEquals(mine.get("uidnext"), theirs.get("uidnext"));
        assertEquals(mine.get("messages"), theirs.get("messages"));

        // Dovecot changes it: a new message, a flag, an expunge (which rewrites the file)
        Map<String, Object> changed = snapshot(dovecotImap, "append:from-dovecot", "flag:1:+\\Answered",
                "flag:2:-$Work", "expunge:3");
        assertEquals(List.of(1L, 2L, 4L), uids(changed), changed.toString());

        // jmail sees exactly what Dovecot left
        Map<String, Object> back = snapshot(jmailImap);
        assertEquals(changed.get("uidvalidity"), back.get("uidvalidity"));
        assertEquals(changed.get("uidnext"), back.get("uidnext"));
        assertEquals(changed.get("messages"), back.get("messages"));
        Map<?, ?> first = (Map<?, ?>) ((List<?>) back.get("messages")).get(0);
        assertTrue(first.get("flags").toString().contains("\\Answered"), back.toString());

        // and a message jmail then delivers gets the next UID in Dovecot too
        JmailInstance.Result r = JmailInstance.run(List.of("swaks", "--server", "127.0.0.1", "--port",
                Integer.toString(j.smtpPort), "--from", "sender@remote.tst", "--to", USER + "@example.tst",
                "--header", "Subject: interop-4"), null);
        assertEquals(0, r.status(), r.output());
        assertTrue(JmailInstance.waitFor(15_000, () -> count() >= 4), j.logText());
        Map<String, Object> jm = snapshot(jmailImap);
        Map<String, Object> dc = snapshot(dovecotImap);
        assertEquals(List.of(1L, 2L, 4L, 5L), uids(jm), jm.toString());
        assertEquals(jm.get("messages"), dc.get("messages"));
        assertEquals(jm.get("uidnext"), dc.get("uidnext"));
    }

    /** pop3_uidl_format %08Xu%08Xv: the same UIDL list from both servers for the same mbox. */
    @Test
    void sameUidlAsDovecotPop3() throws Exception {
        assumeTrue(dovecotPop3 > 0, "dovecot-pop3d is not installed");
        if (count() < 1) {
            assertEquals(0, send("uidl-1"));
        }
        assertTrue(JmailInstance.waitFor(15_000, () -> count() >= 1), j.logText());
        Map<String, Object> mine = pop3(jmailPop3);
        Map<String, Object> theirs = pop3(dovecotPop3);
        assertTrue(theirs.get("greeting").toString().contains("Dovecot"), theirs.toString());
        assertTrue(((List<?>) mine.get("uidl")).size() >= 1, mine.toString());
        assertEquals(theirs.get("uidl"), mine.get("uidl"));
    }

    static int send(String subject) throws Exception {
        return JmailInstance.run(List.of("swaks", "--server", "127.0.0.1", "--port", Integer.toString(j.smtpPort),
                "--from", "sender@remote.tst", "--to", USER + "@example.tst", "--header", "Subject: " + subject),
                null).status();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> pop3(int port) throws Exception {
        JmailInstance.Result r = JmailInstance.run(List.of("/usr/bin/python3", Mbox.script("pop3_uidl.py").toString(),
                "127.0.0.1", Integer.toString(port), USER, "testpass"), null);
        assertEquals(0, r.status(), r.output() + "\njmail log:\n" + j.logText() + "\ndovecot log:\n" + dovecotLog());
        String out = r.output().strip();
        return (Map<String, Object>) Json.parse(out.substring(out.lastIndexOf('\n') + 1));
    }

    static int count() {
        try {
            return Mbox.count(j.mailbox(USER));
        } catch (Exception e) {
            return -1;
        }
    }
}
