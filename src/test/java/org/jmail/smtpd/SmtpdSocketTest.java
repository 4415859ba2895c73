package org.jmail.smtpd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jmail.config.MainConfig;
import org.jmail.resolve.AddressResolver;
import org.jmail.resolve.LocalRecipientCheck;
import org.jmail.resolve.TableOpener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole smtpd on a loopback port, driven by real clients (swaks, Python smtplib) and by a
 * raw socket for what clients don't do (bare LF, timeouts, BDAT).
 */
class SmtpdSocketTest {

    @TempDir
    Path tmp;

    private final FakeCleanup cleanup = new FakeCleanup();
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private ServerSocket server;
    private LogCapture log;

    @BeforeEach
    void setUp() {
        log = LogCapture.install();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (server != null) {
            server.close();
        }
        pool.shutdownNow();
        pool.awaitTermination(5, TimeUnit.SECONDS);
        log.uninstall();
    }

    /** Starts smtpd on 127.0.0.1 (or ::1) with an ephemeral port and returns the port. */
    private int start(String bindAddress, String... kv) throws IOException {
        Map<String, String> m = new HashMap<>();
        m.put("myhostname", "mail.example.tst");
        m.put("mydestination", "$myhostname, localhost, example.tst");
        m.put("local_recipient_maps", "hash:/etc/aliases");
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        MainConfig config = MainConfig.of(tmp, m);
        TableOpener opener = MapTable.opener(new MapTable("hash:/etc/aliases", Map.of("alice", "x", "bob", "x")));
        Smtpd smtpd = new Smtpd(config, cleanup, new AddressResolver(config, opener),
                new LocalRecipientCheck(config, opener), opener, ClientNames.system(Duration.ofSeconds(2)),
                SmtpSession.Pause.SLEEP, Clock.systemDefaultZone());
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getByName(bindAddress), 0));
        ServerSocket s = server;
        pool.submit(() -> {
            while (!s.isClosed()) {
                Socket c;
                try {
                    c = s.accept();
                } catch (IOException e) {
                    return;
                }
                pool.submit(() -> {
                    try (c) {
                        smtpd.handle(c);
                    } catch (Exception e) {
                        e.printStackTrace();
                    }
                });
            }
        });
        return server.getLocalPort();
    }

    private record Run(int exit, String output) {
    }

    private Run run(String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "client did not finish");
        return new Run(p.exitValue(), out);
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    /** Waits until the server has logged the disconnect (the handler runs on another thread). */
    private void awaitDisconnects(int n) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            if (log.lines.stream().filter(l -> l.startsWith("disconnect from")).count() >= n) {
                return;
            }
            Thread.sleep(20);
        }
    }

    @Test
    void swaksWithPipeliningDeliversOneMessage() throws Exception {
        assumeTrue(onPath("swaks"), "swaks not installed");
        int port = start("127.0.0.1");
        Run r = run("swaks", "-s", "127.0.0.1", "-p", Integer.toString(port), "--pipeline", "-t", "alice@example.tst",
                "-f", "sender@example.net", "--h-Subject", "swaks-pipelined", "--body", "hello from swaks");
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("<-  250-PIPELINING"), r.output());
        assertTrue(r.output().matches("(?s).*<-  250 2\\.0\\.0 Ok: queued as [0-9A-F]+.*"), r.output());
        FakeCleanup.Message m = cleanup.committed();
        assertEquals("sender@example.net", m.sender);
        assertEquals(List.of("alice@example.tst"), m.recipients);
        assertTrue(m.lines.contains("Subject: swaks-pipelined"), m.lines.toString());
        assertTrue(m.lines.contains("hello from swaks"), m.lines.toString());
        assertTrue(m.headers.get(0).startsWith("Received: from "), m.headers.toString());
        assertTrue(m.headers.get(0).contains(" (localhost [127.0.0.1])\n\tby mail.example.tst (jmail) with ESMTP id "
                + m.id + "\n\tfor <alice@example.tst>; "), m.headers.get(0));
        awaitDisconnects(1);
        assertTrue(log.has("connect from localhost[127.0.0.1]"), log.toString());
        assertTrue(log.has("disconnect from localhost[127.0.0.1] ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5"),
                log.toString());
    }

    @Test
    void swaksSeesUnknownUserAndRelayDenied() throws Exception {
        assumeTrue(onPath("swaks"), "swaks not installed");
        int port = start("127.0.0.1", "mynetworks", "10.0.0.0/8",
                "smtpd_relay_restrictions", "permit_mynetworks, reject_unauth_destination");
        Run unknown = run("swaks", "-s", "127.0.0.1", "-p", Integer.toString(port), "-t", "nosuchuser9@example.tst",
                "-f", "s@example.net", "--quit-after", "RCPT");
        assertTrue(unknown.output().contains("<** 550 5.1.1 <nosuchuser9@example.tst>: Recipient address rejected:"
                + " User unknown in local recipient table"), unknown.output());
        Run relay = run("swaks", "-s", "127.0.0.1", "-p", Integer.toString(port), "-t", "someone@example.invalid",
                "-f", "s@example.net", "--quit-after", "RCPT");
        assertTrue(relay.output().contains("<** 554 5.7.1 <someone@example.invalid>: Relay access denied"),
                relay.output());
        assertEquals(0, cleanup.messages.size());
    }

    @Test
    void pythonSmtplibSendsToSeveralRecipients() throws Exception {
        Path py = Path.of("/usr/bin/python3");
        assumeTrue(Files.isExecutable(py), "python3 not installed");
        int port = start("127.0.0.1", "message_size_limit", "200000");
        String script = String.join("\n",
                "import smtplib, sys",
                "m = (b'From: py@example.net\\nTo: alice@example.tst, bob@example.tst\\nSubject: smtplib test\\n\\n'",
                "     + b'.dot at start\\n' + b'long ' * 2000 + b'\\nend\\n')",
                "s = smtplib.SMTP('127.0.0.1', int(sys.argv[1]))",
                "s.ehlo('pyclient.example.net')",
                "assert s.has_extn('size') and s.esmtp_features['size'] == '200000', s.esmtp_features",
                "refused = s.sendmail('py@example.net', ['alice@example.tst', 'bob@example.tst', 'ghost@example.tst'], m)",
                "print('refused', refused)",
                "code, msg = s.mail('x@example.net', ['SIZE=300000'])",
                "print('big', code, msg.decode())",
                "s.rset()",
                "print('vrfy', s.verify('alice'))",
                "s.quit()");
        Path file = tmp.resolve("client.py");
        Files.writeString(file, script);
        Run r = run(py.toString(), file.toString(), Integer.toString(port));
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("refused {'ghost@example.tst': (550, b'5.1.1 <ghost@example.tst>: Recipient"
                + " address rejected: User unknown in local recipient table')}"), r.output());
        assertTrue(r.output().contains("big 552 5.3.4 Message size exceeds fixed limit"), r.output());
        assertTrue(r.output().contains("vrfy (252, b'2.0.0 alice')"), r.output());
        FakeCleanup.Message m = cleanup.committed();
        assertEquals(List.of("alice@example.tst", "bob@example.tst"), m.recipients);
        assertTrue(m.lines.contains(".dot at start"), "dot-stuffing undone: " + m.lines);
        assertTrue(m.lines.stream().anyMatch(l -> l.length() > 9000), "long line kept whole");
        assertTrue(m.headers.get(0).contains("Received: from pyclient.example.net (localhost [127.0.0.1])\n\tby"
                + " mail.example.tst (jmail) with ESMTP id " + m.id + ";\n\t"), m.headers.get(0));
    }

    /** A raw client: writes bytes, reads reply lines. */
    private static final class Raw implements AutoCloseable {
        final Socket socket;
        final BufferedReader in;
        final OutputStream out;

        Raw(String host, int port) throws IOException {
            socket = new Socket(host, port);
            socket.setSoTimeout(10000);
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            out = socket.getOutputStream();
        }

        void send(String s) throws IOException {
            out.write(s.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        /** One complete (possibly multi-line) reply. */
        String reply() throws IOException {
            StringBuilder sb = new StringBuilder();
            String line;
            do {
                line = in.readLine();
                if (line == null) {
                    return sb.append("<EOF>").toString();
                }
                sb.append(line).append('\n');
            } while (line.length() > 3 && line.charAt(3) == '-');
            return sb.toString();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void bareLfLinesAndPipelinedRepliesOverARawSocket() throws Exception {
        int port = start("127.0.0.1");
        try (Raw c = new Raw("127.0.0.1", port)) {
            assertEquals("220 mail.example.tst ESMTP jmail\n", c.reply());
            // everything in one write: replies must come back in order
            c.send("EHLO raw\nMAIL FROM:<a@b.tst>\nRCPT TO:<alice@example.tst>\nDATA\n");
            assertTrue(c.reply().endsWith("250 CHUNKING\n"));
            assertEquals("250 2.1.0 Ok\n", c.reply());
            assertEquals("250 2.1.5 Ok\n", c.reply());
            assertEquals("354 End data with <CR><LF>.<CR><LF>\n", c.reply());
            c.send("Subject: bare\n\nline with bare CR\r inside\r\n..dot\n.\nQUIT\r\n");
            assertTrue(c.reply().startsWith("250 2.0.0 Ok: queued as "));
            assertEquals("221 2.0.0 Bye\n", c.reply());
            assertEquals("<EOF>", c.reply());
        }
        assertEquals(List.of("Subject: bare", "", "line with bare CR\r inside", ".dot"), cleanup.committed().lines);
    }

    @Test
    void idleClientTimesOutWith421() throws Exception {
        int port = start("127.0.0.1", "smtpd_timeout", "1s");
        try (Raw c = new Raw("127.0.0.1", port)) {
            c.reply();
            c.send("EHLO raw\r\nMAIL FROM:<a@b.tst>\r\n");
            c.reply();
            c.reply();
            long t0 = System.nanoTime();
            assertEquals("421 4.4.2 mail.example.tst Error: timeout exceeded\n", c.reply());
            assertTrue(System.nanoTime() - t0 < 5_000_000_000L);
            assertEquals("<EOF>", c.reply());
        }
        awaitDisconnects(1);
        assertTrue(log.has("timeout after MAIL from localhost[127.0.0.1]"), log.toString());
    }

    @Test
    void overlongCommandLineIsCutAndTheSessionStaysInStep() throws Exception {
        int port = start("127.0.0.1");
        try (Raw c = new Raw("127.0.0.1", port)) {
            c.reply();
            c.send("NOOP " + "x".repeat(5000) + "\r\nNOOP\r\n");
            assertEquals("250 2.0.0 Ok\n", c.reply());
            assertEquals("250 2.0.0 Ok\n", c.reply());
        }
        awaitDisconnects(1);
        assertTrue(log.hasContaining("request longer than 2048: NOOP xxxxxxxx"), log.toString());
    }

    @Test
    void bdatOverARawSocket() throws Exception {
        int port = start("127.0.0.1");
        try (Raw c = new Raw("127.0.0.1", port)) {
            c.reply();
            String body = "Subject: chunks\r\n\r\nfirst\r\n";
            c.send("EHLO raw\r\nMAIL FROM:<a@b.tst>\r\nRCPT TO:<bob@example.tst>\r\nBDAT " + body.length() + "\r\n" + body
                    + "BDAT 7 LAST\r\nsecond\nQUIT\r\n");
            c.reply();
            c.reply();
            c.reply();
            assertEquals("250 2.0.0 Ok: " + body.length() + " bytes\n", c.reply());
            assertTrue(c.reply().startsWith("250 2.0.0 Ok: " + (body.length() + 7) + " bytes queued as "));
            assertEquals("221 2.0.0 Bye\n", c.reply());
        }
        assertEquals(List.of("Subject: chunks", "", "first", "second"), cleanup.committed().lines);
    }

    @Test
    void ipv6LoopbackClient() throws Exception {
        boolean v6;
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
            v6 = true;
        } catch (IOException e) {
            v6 = false;
        }
        assumeTrue(v6, "no IPv6 loopback");
        int port = start("::1");
        try (Raw c = new Raw("::1", port)) {
            c.reply();
            c.send("HELO v6\r\nMAIL FROM:<a@b.tst>\r\nRCPT TO:<someone@far.invalid>\r\nQUIT\r\n");
            List<String> replies = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                replies.add(c.reply());
            }
            assertEquals("250 2.1.5 Ok\n", replies.get(2), "::1 is in the default mynetworks: " + replies);
        }
        awaitDisconnects(1);
        assertTrue(log.has("connect from localhost[::1]"), log.toString());
        assertEquals("::1", cleanup.messages.get(0).origin.clientAddr());
    }
}
