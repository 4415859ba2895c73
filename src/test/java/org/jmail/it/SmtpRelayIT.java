package org.jmail.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.jmail.dns.TestDnsServer;
import org.jmail.smtp.ScriptedSmtpServer;
import org.jmail.tls.SelfSignedCertificate;
import org.jmail.tls.ServerTlsContext;
import org.jmail.tls.TlsSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The outbound path for real: a sending jmail (tx) that resolves through a test DNS server,
 * a receiving jmail (rx) as the MX and relay target, and scripted peers for what rx cannot do
 * (STARTTLS, AUTH, 4xx-then-2xx, coming up late). Bounces return to tx's local mailbox.
 */
class SmtpRelayIT {

    static TestDnsServer dns;
    static JmailInstance rx;
    static JmailInstance tx;
    static int laterPort;
    static int sinkPort;
    static int flakyPort;
    static ScriptedSmtpServer flaky;
    static ScriptedSmtpServer secure;
    static final AtomicInteger flakyRcpts = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        TestUsers.ensure("jmtest1", "jmtest2");
        dns = new TestDnsServer()
                .add("remote.tst. 300 IN MX 10 mx.remote.tst.")
                .add("mx.remote.tst. 300 IN A 127.0.0.1")
                .add("nomail.tst. 300 IN MX 0 .")
                .add("implicit.tst. 300 IN A 127.0.0.1");
        rx = new JmailInstance()
                .set("myhostname", "mx.remote.tst")
                .set("mydestination", "$myhostname, localhost, remote.tst, relayed.tst, implicit.tst");
        rx.start();

        laterPort = JmailInstance.freePort();
        sinkPort = JmailInstance.freePort();
        flaky = new ScriptedSmtpServer();
        flaky.rcptReply = a -> flakyRcpts.incrementAndGet() == 1 ? "450 4.2.0 <" + a + ">: greylisted, try again"
                : "250 2.1.5 Ok";
        flakyPort = flaky.port();
        secure = new ScriptedSmtpServer();
        Path cert = Files.createTempDirectory("smtp-relay-it-").resolve("cert.pem");
        Path key = cert.resolveSibling("key.pem");
        SelfSignedCertificate.write("secure.tst", cert, key);
        secure.tls = new ServerTlsContext(new TlsSettings(cert, key, "TLSv1.2", ServerTlsContext.MODERN_CIPHERS, true));
        secure.authUser = "relayuser";
        secure.authPassword = "s3cret";

        tx = new JmailInstance();
        Files.writeString(tx.dir.resolve("transport"), String.join("\n",
                "relayed.tst relay:[127.0.0.1]:" + rx.smtpPort,
                "later.tst smtp:[127.0.0.1]:" + laterPort,
                "flaky.tst smtp:[127.0.0.1]:" + flakyPort,
                "secure.tst smtp:[127.0.0.1]:" + secure.port(),
                "sink.tst smtp:[127.0.0.1]:" + sinkPort,
                ""));
        Files.writeString(tx.dir.resolve("sasl_passwd"), "[127.0.0.1]:" + secure.port() + " relayuser:s3cret\n");
        Files.writeString(tx.dir.resolve("aliases"), "postmaster: jmtest2\n");
        tx.set("jmail_dns_servers", dns.address())
                .set("jmail_dns_timeout", "2s")
                .set("smtp_host_lookup", "dns")
                .set("smtp_tcp_port", Integer.toString(rx.smtpPort))
                .set("inet_protocols", "ipv4")
                .set("transport_maps", "texthash:" + tx.dir.resolve("transport"))
                .set("minimal_backoff_time", "2s")
                .set("maximal_backoff_time", "4s")
                .set("queue_run_delay", "1s")
                .set("smtp_tls_security_level", "may")
                .set("smtp_tls_loglevel", "1")
                .set("smtp_sasl_auth_enable", "yes")
                .set("smtp_sasl_security_options", "noanonymous")
                .set("smtp_sasl_password_maps", "texthash:" + tx.dir.resolve("sasl_passwd"));
        tx.start();
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {tx, rx, flaky, secure, dns}) {
            if (c != null) {
                c.close();
            }
        }
    }

    static void send(String from, String to, String subject) throws Exception {
        JmailInstance.Result r = JmailInstance.run(List.of("swaks", "--server", "127.0.0.1", "--port",
                Integer.toString(tx.smtpPort), "--helo", "client.example.tst", "--from", from, "--to", to,
                "--header", "Subject: " + subject, "--body", "body of " + subject + "\n"), null);
        assertEquals(0, r.status(), r.output());
    }

    static Map<String, Object> waitForSubject(JmailInstance j, String user, String subject) throws Exception {
        JmailInstance.waitFor(30_000, () -> {
            try {
                return Mbox.read(j.mailbox(user)).stream().anyMatch(m -> subject.equals(m.get("subject")));
            } catch (Exception e) {
                return false;
            }
        });
        return Mbox.read(j.mailbox(user)).stream().filter(m -> subject.equals(m.get("subject"))).findFirst()
                .orElseThrow(() -> new AssertionError("no '" + subject + "' for " + user + "; tx log:\n" + log(tx)
                        + "\nrx log:\n" + log(rx)));
    }

    /** DSNs in tx's postmaster/sender mailbox that mention {@code text} (raw mbox: the DSN is multipart). */
    static List<String> bouncesMentioning(String text) throws Exception {
        Path mbox = tx.mailbox("jmtest2");
        if (!Files.exists(mbox)) {
            return List.of();
        }
        String all = Files.readString(mbox, java.nio.charset.StandardCharsets.ISO_8859_1);
        return java.util.Arrays.stream(all.split("(?m)^(?=From )"))
                .filter(m -> m.contains("\nSubject: Undelivered Mail Returned to Sender\n"))
                .filter(m -> m.contains(text)).toList();
    }

    static String log(JmailInstance j) {
        try {
            return j.logText();
        } catch (Exception e) {
            return e.toString();
        }
    }

    static boolean logMatches(JmailInstance j, String regex) throws InterruptedException {
        Pattern p = Pattern.compile(regex);
        return JmailInstance.waitFor(30_000, () -> p.matcher(log(j)).find());
    }

    @Test
    void mxDeliveryReachesTheReceiversMailbox() throws Exception {
        send("jmtest2@example.tst", "jmtest1@remote.tst", "via-mx");
        waitForSubject(rx, "jmtest1", "via-mx");
        assertTrue(logMatches(tx, "to=<jmtest1@remote\\.tst>, relay=mx\\.remote\\.tst\\[127\\.0\\.0\\.1\\]:" + rx.smtpPort
                + ", delay=[0-9.]+, delays=[0-9./]+, dsn=2\\.0\\.0, status=sent \\(250 2\\.0\\.0 Ok: queued as [0-9A-F]+\\)"),
                log(tx));
    }

    @Test
    void implicitMxUsesTheDomainsAddress() throws Exception {
        send("jmtest2@example.tst", "jmtest1@implicit.tst", "via-implicit-mx");
        waitForSubject(rx, "jmtest1", "via-implicit-mx");
        assertTrue(logMatches(tx, "to=<jmtest1@implicit\\.tst>, relay=implicit\\.tst\\[127\\.0\\.0\\.1\\]:"), log(tx));
    }

    @Test
    void relayTransportToBracketedHostAndPort() throws Exception {
        send("jmtest2@example.tst", "jmtest1@relayed.tst", "via-relay");
        waitForSubject(rx, "jmtest1", "via-relay");
        assertTrue(logMatches(tx, "postfix/relay\\[\\d+\\]: [0-9A-F]+: to=<jmtest1@relayed\\.tst>, "
                + "relay=127\\.0\\.0\\.1\\[127\\.0\\.0\\.1\\]:" + rx.smtpPort + ", .*status=sent"), log(tx));
    }

    @Test
    void nullMxBouncesAtOnceWithOneDsn() throws Exception {
        send("jmtest2@example.tst", "someone@nomail.tst", "to-null-mx");
        assertTrue(logMatches(tx, "to=<someone@nomail\\.tst>, relay=none, .*dsn=5\\.1\\.0, status=bounced "
                + "\\(Domain nomail\\.tst does not accept mail \\(nullMX\\)\\)"), log(tx));
        assertTrue(JmailInstance.waitFor(20_000, () -> {
            try {
                return bouncesMentioning("someone@nomail.tst").size() == 1;
            } catch (Exception e) {
                return false;
            }
        }), log(tx));
    }

    @Test
    void rejectedRecipientGivesOneDsnWithTheReceiversReply() throws Exception {
        send("jmtest2@example.tst", "nosuchuser@remote.tst", "to-unknown-user");
        assertTrue(logMatches(tx, "to=<nosuchuser@remote\\.tst>, relay=mx\\.remote\\.tst\\[127\\.0\\.0\\.1\\]:\\d+, "
                + ".*dsn=5\\.1\\.1, status=bounced \\(host mx\\.remote\\.tst\\[127\\.0\\.0\\.1\\] said: 550 5\\.1\\.1 "
                + "<nosuchuser@remote\\.tst>: Recipient address rejected: User unknown in local recipient table "
                + "\\(in reply to RCPT TO command\\)\\)"), log(tx));
        assertTrue(JmailInstance.waitFor(20_000, () -> {
            try {
                return bouncesMentioning("nosuchuser@remote.tst").size() == 1;
            } catch (Exception e) {
                return false;
            }
        }), log(tx));
        Thread.sleep(3000); // a second DSN would come within the retry interval
        assertEquals(1, bouncesMentioning("nosuchuser@remote.tst").size());
    }

    @Test
    void receiverDownIsDeferredThenDeliveredWhenItComesUp() throws Exception {
        send("jmtest2@example.tst", "user@later.tst", "comes-up-later");
        assertTrue(logMatches(tx, "to=<user@later\\.tst>, relay=none, .*dsn=4\\.4\\.1, status=deferred \\(connect to "
                + "127\\.0\\.0\\.1\\[127\\.0\\.0\\.1\\]:" + laterPort + ": Connection refused\\)"), log(tx));
        try (ScriptedSmtpServer later = new ScriptedSmtpServer(InetAddress.getByName("127.0.0.1"), laterPort)) {
            assertTrue(JmailInstance.waitFor(30_000, () -> later.messages.size() == 1), log(tx));
            assertTrue(later.messages.get(0).text().contains("Subject: comes-up-later"));
            assertTrue(logMatches(tx, "to=<user@later\\.tst>, relay=127\\.0\\.0\\.1\\[127\\.0\\.0\\.1\\]:" + laterPort
                    + ", .*status=sent \\(250 2\\.0\\.0 Ok: queued as TEST1\\)"), log(tx));
        }
    }

    @Test
    void temporaryRejectionIsRetriedUntilAccepted() throws Exception {
        send("jmtest2@example.tst", "user@flaky.tst", "greylisted");
        assertTrue(logMatches(tx, "to=<user@flaky\\.tst>, .*dsn=4\\.2\\.0, status=deferred \\(host 127\\.0\\.0\\.1"
                + "\\[127\\.0\\.0\\.1\\] said: 450 4\\.2\\.0 <user@flaky\\.tst>: greylisted, try again "
                + "\\(in reply to RCPT TO command\\)\\)"), log(tx));
        assertTrue(JmailInstance.waitFor(30_000, () -> flaky.messages.size() == 1), log(tx));
        assertTrue(logMatches(tx, "to=<user@flaky\\.tst>, .*status=sent"), log(tx));
    }

    @Test
    void starttlsAndSaslAuthToAPeerThatOffersThem() throws Exception {
        send("jmtest2@example.tst", "user@secure.tst", "over-tls");
        assertTrue(JmailInstance.waitFor(30_000, () -> secure.messages.size() == 1), log(tx));
        ScriptedSmtpServer.Received m = secure.messages.get(0);
        assertTrue(m.tls(), "STARTTLS was used");
        assertEquals("relayuser", m.authUser());
        assertTrue(logMatches(tx, "postfix/smtp\\[\\d+\\]: Untrusted TLS connection established to 127\\.0\\.0\\.1"
                + "\\[127\\.0\\.0\\.1\\]:" + secure.port() + ": TLSv1\\.[23] with cipher \\S+ \\(\\d+/\\d+ bits\\)"), log(tx));
    }

    @Test
    void postfixSmtpSinkReceivesTheMessage() throws Exception {
        Path sink = Path.of("/usr/sbin/smtp-sink");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(sink), "smtp-sink (Debian postfix) not installed");
        Path dump = Files.createTempDirectory("smtp-sink-");
        // smtp-sink runs as nobody and opens a dump file per message at MAIL FROM
        Files.setPosixFilePermissions(dump, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        Process p = new ProcessBuilder(sink.toString(), "-u", "nobody", "-d", dump + "/%M.", "127.0.0.1:" + sinkPort, "10")
                .redirectErrorStream(true).start();
        try {
            JmailInstance.waitFor(5000, () -> {
                try (java.net.Socket s = new java.net.Socket("127.0.0.1", sinkPort)) {
                    return true;
                } catch (java.io.IOException e) {
                    return false;
                }
            });
            send("jmtest2@example.tst", "anyone@sink.tst", "to-smtp-sink");
            assertTrue(logMatches(tx, "to=<anyone@sink\\.tst>, relay=127\\.0\\.0\\.1\\[127\\.0\\.0\\.1\\]:" + sinkPort
                    + ", .*dsn=2\\.0\\.0, status=sent \\(250 2\\.0\\.0 Ok\\)"), log(tx));
            assertTrue(JmailInstance.waitFor(5000, () -> {
                try (var files = Files.list(dump)) {
                    return files.anyMatch(f -> {
                        try {
                            return Files.readString(f, java.nio.charset.StandardCharsets.ISO_8859_1)
                                    .contains("Subject: to-smtp-sink");
                        } catch (java.io.IOException e) {
                            return false;
                        }
                    });
                } catch (java.io.IOException e) {
                    return false;
                }
            }), "smtp-sink dumped the message");
        } finally {
            p.destroy();
        }
    }
}
