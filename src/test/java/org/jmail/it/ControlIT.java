package org.jmail.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** The daemon's control commands, as an admin types them. */
class ControlIT {

    @Test
    void startReturnsWhenListeningAndStopEndsTheDaemon() throws Exception {
        try (JmailInstance j = new JmailInstance()) {
            j.start();
            // start returned: the port must already accept connections
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", j.smtpPort)) {
                assertTrue(s.isConnected());
            }
            JmailInstance.Result st = j.jmail("status");
            assertEquals(0, st.status(), st.output());
            assertTrue(st.output().contains("is running"), st.output());
            long pid = j.pid();
            assertEquals(0, j.jmail("stop").status());
            assertTrue(JmailInstance.waitFor(10_000, () -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true)));
            JmailInstance.Result after = j.jmail("status");
            assertEquals(1, after.status());
            assertTrue(after.output().contains("not running"), after.output());
            assertTrue(j.logText().contains("postfix/master["), j.logText());
            assertTrue(j.logText().contains("daemon started -- version"), j.logText());
        }
    }

    @Test
    void startFailsWithTheReasonWhenAPortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"));
             JmailInstance j = new JmailInstance()) {
            j.master("127.0.0.1:" + taken.getLocalPort() + " inet n - n - - smtpd");
            j.writeConfig();
            JmailInstance.Result r = j.jmail("start");
            assertNotEquals(0, r.status());
            assertTrue(r.output().contains("bind 127.0.0.1:" + taken.getLocalPort()), r.output());
            assertEquals(1, j.jmail("status").status());
        }
    }

    @Test
    void checkReportsProblemsWithFileAndLine() throws Exception {
        try (JmailInstance j = new JmailInstance()) {
            j.writeConfig();
            Files.writeString(j.dir.resolve("main.cf"), Files.readString(j.dir.resolve("main.cf"))
                    + "no_such_key = 1\nthis line has no equals sign\n");
            Files.writeString(j.dir.resolve("master.cf"), "smtp inet n - n\n", java.nio.file.StandardOpenOption.APPEND);
            JmailInstance.Result r = j.jmail("check");
            assertNotEquals(0, r.status(), r.output());
            String mainCf = j.dir.resolve("main.cf").toString();
            long lines = Files.readAllLines(j.dir.resolve("main.cf")).size();
            assertTrue(r.output().contains(mainCf + ":" + (lines - 1) + ": unused parameter: no_such_key=1"), r.output());
            assertTrue(r.output().contains(mainCf + ":" + lines + ": missing '='"), r.output());
            assertTrue(r.output().contains(j.dir.resolve("master.cf") + ":2: expected 8 or more fields"), r.output());
        }
    }

    @Test
    void postconfPrintsKeyEqualsValue() throws Exception {
        try (JmailInstance j = new JmailInstance()) {
            j.writeConfig();
            JmailInstance.Result r = j.tool("postconf", "myhostname");
            assertEquals("myhostname = mail.example.tst\n", r.output());
            JmailInstance.Result d = j.tool("postconf", "-d", "mailbox_size_limit", "smtpd_relay_restrictions");
            assertEquals("mailbox_size_limit = 51200000\n"
                    + "smtpd_relay_restrictions = permit_mynetworks, permit_sasl_authenticated, defer_unauth_destination\n", d.output());
            JmailInstance.Result x = j.tool("postconf", "-x", "-h", "mydestination");
            assertEquals("mail.example.tst, localhost.example.tst, localhost, example.tst\n", x.output());
            JmailInstance.Result n = j.tool("postconf", "-n");
            assertTrue(n.output().startsWith("alias_database = "), n.output());
            assertTrue(!n.output().contains("mailbox_size_limit"), n.output());
        }
    }

    /**
     * postsuper's words as Postfix 3.7's (checked against /usr/sbin/postsuper): each requested
     * operation reports its count even when nothing matched; an ID that Postfix's syntax allows
     * (letters, digits, '_') but that is in no queue is not warned about; "-d ID -d ALL" says nothing
     * about ignoring the ID.
     */
    @Test
    void postsuperReportsEveryRequestedOperationAsPostfix37() throws Exception {
        try (JmailInstance j = new JmailInstance()) {
            j.writeConfig();
            assertEquals("postsuper: Deleted: 0 messages\n", j.tool("postsuper", "-d", "NOSUCH1234").output());
            assertEquals("postsuper: warning: invalid mail queue id: bad.id\npostsuper: Deleted: 0 messages\n",
                    j.tool("postsuper", "-d", "bad.id").output());
            assertEquals("postsuper: Requeued: 0 messages\npostsuper: Deleted: 0 messages\n"
                    + "postsuper: Placed on hold: 0 messages\npostsuper: Released from hold: 0 messages\n",
                    j.tool("postsuper", "-d", "Some_ID", "-d", "ALL", "-h", "ALL", "-r", "ALL", "-H", "ALL").output());
            assertEquals("", j.tool("postsuper", "-p").output());
        }
    }

    /** {@code jmail tls new-cert}: a new self-signed pair for myhostname, named in main.cf, served after reload. */
    @Test
    void tlsNewCertWritesAPairForMyhostnameAndNamesItInMainCf() throws Exception {
        try (JmailInstance j = new JmailInstance()) {
            j.set("myhostname", "newcert.example.tst").set("smtpd_tls_security_level", "may");
            j.start();
            JmailInstance.Result r = j.jmail("tls", "new-cert");
            assertEquals(0, r.status(), r.output());
            java.nio.file.Path cert = j.dir.resolve("tls/jmail-cert.pem");
            java.nio.file.Path key = j.dir.resolve("tls/jmail-key.pem");
            assertTrue(Files.exists(cert) && Files.exists(key), r.output());
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(key)));
            assertEquals("smtpd_tls_cert_file = " + cert, j.tool("postconf", "smtpd_tls_cert_file").output().strip());
            assertEquals("smtpd_tls_key_file = " + key, j.tool("postconf", "smtpd_tls_key_file").output().strip());
            assertEquals(0, j.jmail("reload").status());
            // STARTTLS now presents the new certificate (the reload reaches new sessions)
            assertTrue(JmailInstance.waitFor(10_000, () -> {
                try {
                    return JmailInstance.run(java.util.List.of("openssl", "s_client", "-starttls", "smtp",
                            "-connect", "127.0.0.1:" + j.smtpPort), "QUIT\n").output()
                            .contains("CN = newcert.example.tst");
                } catch (Exception e) {
                    return false;
                }
            }), j.logText());
        }
    }
}
