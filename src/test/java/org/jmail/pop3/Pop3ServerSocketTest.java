package org.jmail.pop3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jmail.net.InetListener;
import org.jmail.store.StoredMessage;
import org.jmail.tls.ServerTls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The whole server on a loopback port, spoken to by Python's poplib and by raw sockets. */
class Pop3ServerSocketTest {

    static final String M1 = "From: a@example.org\nSubject: one\n\n.starts with a dot\nend\n";
    static final String M2 = "Subject: two\n\nsecond\n";

    LogCapture log;
    FakeStore store;
    FakeStore.Folder inbox;
    InetListener listener;

    @BeforeEach
    void setUp() {
        log = LogCapture.install();
        store = new FakeStore();
        inbox = store.folder("alice");
        inbox.deliver(M1);
        inbox.deliver(M2);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (listener != null) {
            listener.close();
        }
        log.uninstall();
    }

    int start(Pop3Settings settings, ServerTls tls) throws IOException {
        return start(settings, tls, false);
    }

    int start(Pop3Settings settings, ServerTls tls, boolean implicitTls) throws IOException {
        Pop3Server server = new Pop3Server(settings, new FakeAuth(Map.of("alice", "secret")), store, tls, implicitTls,
                d -> { }, new SessionRegistry());
        listener = new InetListener("pop3", new InetSocketAddress("127.0.0.1", 0), 10, server);
        listener.start();
        return listener.boundAddress().getPort();
    }

    static Map<String, String> poplib(int port, String... extra) throws Exception {
        Path script = Path.of("src/test/resources/pop3/poplib_session.py").toAbsolutePath();
        List<String> cmd = new java.util.ArrayList<>(List.of("python3", script.toString(), "127.0.0.1",
                String.valueOf(port), "alice", "secret"));
        cmd.addAll(List.of(extra));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        Map<String, String> result = new LinkedHashMap<>();
        StringBuilder all = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                all.append(line).append('\n');
                int tab = line.indexOf('\t');
                if (tab > 0) {
                    result.put(line.substring(0, tab), line.substring(tab + 1));
                }
            }
        }
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), all.toString());
        return result;
    }

    @Test
    void poplibReadsDeletesAndQuitsLikeAgainstDovecot() throws Exception {
        int port = start(Pop3Settings.defaults(), null);
        Map<String, String> r = poplib(port);
        int s1 = M1.replace("\n", "\r\n").length();
        int s2 = M2.replace("\n", "\r\n").length();
        assertEquals("+OK jmail ready.", r.get("welcome"));
        assertEquals("AUTH-RESP-CODE CAPA PIPELINING RESP-CODES SASL TOP UIDL USER", r.get("capa"));
        assertEquals("+OK Logged in.", r.get("pass"));
        assertEquals("2 " + (s1 + s2), r.get("stat"));
        assertEquals("1 " + s1 + " 2 " + s2, r.get("list"));
        assertEquals("1 00000001499602d2 2 00000002499602d2", r.get("uidl"));
        assertEquals("+OK " + s1 + " octets", r.get("retr_resp"));
        assertEquals("From: a@example.org|Subject: one||.starts with a dot|end", r.get("retr_lines"));
        assertEquals(String.valueOf(s1), r.get("retr_octets"), "poplib's octet count matches LIST");
        assertEquals("Subject: two|", r.get("top"));
        assertEquals("+OK Marked to be deleted.", r.get("dele"));
        assertEquals("+OK Logging out, messages deleted.", r.get("quit"));
        assertEquals("1 " + s2, r.get("stat_after"));
        assertEquals(List.of(2L), inbox.uids());
        waitIdle();
        assertTrue(log.toString().contains("Disconnected: Logged out top=1/"), log.toString());
    }

    @Test
    void poplibStlsUpgradesAndThenPlaintextLoginIsAllowed() throws Exception {
        ServerTls tls = TestTls.create();
        int port = start(Pop3Settings.defaults(), tls);
        // loopback is "secured" already; the point here is the switch of streams under STLS
        Map<String, String> r = poplib(port, "stls");
        assertTrue(r.get("capa").contains("STLS"), r.toString());
        assertTrue(!r.get("capa_tls").contains("STLS"), r.toString());
        assertEquals("+OK Logged in.", r.get("pass"));
        assertEquals("1 " + M2.replace("\n", "\r\n").length(), r.get("stat_after"));
        waitIdle();
        assertTrue(log.toString().contains(", TLS, session=<"), log.toString());
    }

    @Test
    void implicitTlsServesPop3sAndRefusesStls() throws Exception {
        int port = start(Pop3Settings.defaults(), TestTls.create(), true);
        Process p = new ProcessBuilder("python3", "-c", String.join("\n",
                "import poplib, ssl, sys",
                "c = poplib.POP3_SSL('127.0.0.1', int(sys.argv[1]), context=ssl._create_unverified_context(), timeout=20)",
                "print(c.getwelcome().decode())",
                "print('STLS' in c.capa())",
                "c.user('alice'); print(c.pass_('secret').decode())",
                "print(c.stat()[0]); print(c.quit().decode())"), String.valueOf(port)).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals("+OK jmail ready.\nFalse\n+OK Logged in.\n2\n+OK Logging out.\n", output);
        waitIdle();
        assertTrue(log.toString().contains("method=PLAIN, rip=127.0.0.1, lip=127.0.0.1, mpid="), log.toString());
        assertTrue(log.toString().contains(", TLS, session=<"), log.toString());
    }

    @Test
    void plaintextPipelinedAfterStlsIsDiscardedNotRunUnderTls() throws Exception {
        int port = start(Pop3Settings.defaults(), TestTls.create());
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            var in = s.getInputStream();
            assertEquals("+OK jmail ready.", readLine(in));
            // a man in the middle appends a command to the client's STLS (CVE-2011-0411 style)
            s.getOutputStream().write("STLS\r\nUSER mallory\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("+OK Begin TLS negotiation now.", readLine(in));
            javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
            ctx.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
                public void checkClientTrusted(java.security.cert.X509Certificate[] c, String a) { }

                public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a) { }

                public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                    return new java.security.cert.X509Certificate[0];
                }
            }}, null);
            try (javax.net.ssl.SSLSocket tls = (javax.net.ssl.SSLSocket) ctx.getSocketFactory()
                    .createSocket(s, "127.0.0.1", port, true)) {
                tls.startHandshake();
                tls.getOutputStream().write("NOOP\r\n".getBytes(StandardCharsets.US_ASCII));
                tls.getOutputStream().flush();
                // the first answer under TLS is for our NOOP, not for the injected USER
                assertEquals("-ERR Unknown command.", readLine(tls.getInputStream()));
            }
        }
        waitIdle();
        assertTrue(log.toString().contains("(no auth attempts in"), log.toString());
    }

    @Test
    void clientVanishingMidSessionDeletesNothing() throws Exception {
        int port = start(Pop3Settings.defaults(), null);
        try (Socket s = new Socket("127.0.0.1", port)) {
            OutputStream o = s.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            in.readLine();
            // pipelined: all commands in one write, answered in order
            o.write("USER alice\r\nPASS secret\r\nRETR 2\r\nDELE 1\r\nDELE 2\r\n".getBytes(StandardCharsets.US_ASCII));
            o.flush();
            assertEquals("+OK", in.readLine());
            assertEquals("+OK Logged in.", in.readLine());
            assertTrue(in.readLine().endsWith(" octets"));
            while (!in.readLine().equals(".")) {
                // message text
            }
            assertEquals("+OK Marked to be deleted.", in.readLine());
            assertEquals("+OK Marked to be deleted.", in.readLine());
        }
        waitIdle();
        assertEquals(List.of(1L, 2L), inbox.uids());
        assertTrue(inbox.find(2).flags.contains(StoredMessage.SEEN));
        assertTrue(log.toString().contains(": Connection closed top=0/0, retr=1/"), log.toString());
        assertEquals(0, store.openMailboxes.get());
    }

    @Test
    void clientThatStopsReadingIsDisconnectedAfterTheIdleTimeout() throws Exception {
        inbox.deliver("Subject: huge\n\n" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n".repeat(400_000));
        int port = start(Pop3Settings.defaults().withTimeouts(Duration.ofMillis(700), Duration.ofSeconds(5)), null);
        try (Socket s = new Socket()) {
            s.setReceiveBufferSize(4096);
            s.connect(new InetSocketAddress("127.0.0.1", port));
            s.getOutputStream().write("USER alice\r\nPASS secret\r\nRETR 3\r\n".getBytes(StandardCharsets.US_ASCII));
            // we never read: the server must give up by itself
            awaitLog(": Disconnected for inactivity in reading our output top=0/0");
        }
    }

    @Test
    void overlongLineIsRefusedAndTheConnectionClosed() throws Exception {
        int port = start(Pop3Settings.defaults(), null);
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            in.readLine();
            s.getOutputStream().write(("USER " + "x".repeat(20000) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            assertEquals("-ERR Input buffer full, aborting", in.readLine());
            assertEquals(null, in.readLine());
        }
    }

    @Test
    void retrOfTenThousandMessagesIsFast() throws Exception {
        FakeStore.Folder big = store.folder("alice");
        big.clear();
        StringBuilder body = new StringBuilder("From: bench@example.org\nSubject: bench\n\n");
        while (body.length() < 4000) {
            body.append("The quick brown fox jumps over the lazy dog, again and again and again.\n");
        }
        for (int i = 0; i < 10_000; i++) {
            big.deliver(body.toString());
        }
        int port = start(Pop3Settings.defaults().withTimeouts(Duration.ofMinutes(1), Duration.ofMinutes(1)), null);
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10000);
            OutputStream o = s.getOutputStream();
            var in = new java.io.BufferedInputStream(s.getInputStream(), 65536);
            readLine(in);
            o.write("USER alice\r\nPASS secret\r\n".getBytes(StandardCharsets.US_ASCII));
            readLine(in);
            readLine(in);
            long t0 = System.nanoTime();
            long bytes = 0;
            for (int i = 1; i <= 10_000; i++) {
                o.write(("RETR " + i + "\r\n").getBytes(StandardCharsets.US_ASCII));
                String line;
                while (!(line = readLine(in)).equals(".")) {
                    bytes += line.length() + 2;
                }
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.out.println("pop3 RETR 10000 messages: " + ms + " ms, " + bytes + " bytes");
            assertTrue(ms < 4000, "RETR of 10,000 messages took " + ms + " ms");
            o.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("+OK Logging out.", readLine(in));
        }
        awaitLog(": Disconnected: Logged out top=0/0, retr=10000/");
    }

    /** Waits up to 10 s for a log line containing {@code text}. */
    private void awaitLog(String text) throws InterruptedException {
        long end = System.currentTimeMillis() + 10_000;
        while (!log.toString().contains(text) && System.currentTimeMillis() < end) {
            Thread.sleep(10);
        }
        assertTrue(log.toString().contains(text), log.toString());
    }

    /** The listener's connections have all ended (their session logs are written). */
    private void waitIdle() throws InterruptedException {
        long end = System.currentTimeMillis() + 5000;
        while (listener.activeConnections() > 0 && System.currentTimeMillis() < end) {
            Thread.sleep(10);
        }
        assertEquals(0, listener.activeConnections());
    }

    private static String readLine(java.io.InputStream in) throws IOException {
        StringBuilder b = new StringBuilder(80);
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new IOException("EOF");
            }
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return b.toString();
    }
}
