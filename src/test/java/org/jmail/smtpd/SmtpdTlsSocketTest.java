package org.jmail.smtpd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.jmail.config.MainConfig;
import org.jmail.resolve.AddressResolver;
import org.jmail.resolve.LocalRecipientCheck;
import org.jmail.resolve.TableOpener;
import org.jmail.tls.SelfSignedCertificate;
import org.jmail.tls.ServerTlsContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * smtpd's TLS on a loopback socket with a real handshake (JSSE client, throw-away self-signed
 * certificate): STARTTLS, the CVE-2011-0411 defence (plaintext pipelined after STARTTLS is
 * never answered inside TLS), wrapper mode, and a failed handshake.
 */
class SmtpdTlsSocketTest {

    @TempDir
    static Path certDir;

    private static ServerTlsContext tls;

    private final FakeCleanup cleanup = new FakeCleanup();
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private ServerSocket server;
    private LogCapture log;

    @BeforeAll
    static void certificate() throws Exception {
        Path cert = certDir.resolve("cert.pem");
        Path key = certDir.resolve("key.pem");
        SelfSignedCertificate.write("mail.example.tst", cert, key);
        tls = ServerTlsContext.fromConfig(MainConfig.of(certDir, Map.of("smtpd_tls_cert_file", cert.toString(),
                "smtpd_tls_key_file", key.toString())));
    }

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

    private int start(String... kv) throws IOException {
        Map<String, String> m = new HashMap<>();
        m.put("myhostname", "mail.example.tst");
        m.put("mydestination", "$myhostname, localhost, example.tst");
        m.put("local_recipient_maps", "hash:/etc/aliases");
        m.put("smtpd_tls_security_level", "may");
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        MainConfig config = MainConfig.of(certDir, m);
        TableOpener opener = MapTable.opener(new MapTable("hash:/etc/aliases", Map.of("alice", "x")));
        Smtpd smtpd = new Smtpd(config, cleanup, new AddressResolver(config, opener),
                new LocalRecipientCheck(config, opener), opener, a -> "localhost", d -> { },
                Clock.systemDefaultZone(), null, tls);
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        pool.submit(() -> {
            while (!server.isClosed()) {
                Socket s = server.accept();
                pool.submit(() -> {
                    try (s) {
                        smtpd.handle(s);
                    }
                    return null;
                });
            }
            return null;
        });
        return server.getLocalPort();
    }

    private static SSLSocket clientTls(Socket plain) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(plain, "localhost", plain.getPort(), true);
        s.setUseClientMode(true);
        s.startHandshake();
        return s;
    }

    /** Reads one whole (possibly multi-line) reply. */
    private static String reply(BufferedReader r) throws IOException {
        StringBuilder sb = new StringBuilder();
        String line;
        do {
            line = r.readLine();
            if (line == null) {
                return sb.length() == 0 ? null : sb.toString();
            }
            sb.append(line).append('\n');
        } while (line.length() > 3 && line.charAt(3) == '-');
        return sb.toString();
    }

    private static BufferedReader reader(Socket s) throws IOException {
        return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
    }

    @Test
    void commandsPipelinedAfterStartTlsAreDiscardedNotAnsweredInsideTls() throws Exception {
        int port = start();
        try (Socket plain = new Socket(InetAddress.getLoopbackAddress(), port)) {
            plain.setSoTimeout(10_000);
            BufferedReader r = reader(plain);
            OutputStream out = plain.getOutputStream();
            assertTrue(reply(r).startsWith("220 "));
            out.write("EHLO client.example\r\n".getBytes(StandardCharsets.US_ASCII));
            assertTrue(reply(r).contains("250-STARTTLS"));
            // one write, one packet: the injected RSET sits in smtpd's buffer with STARTTLS
            out.write("STARTTLS\r\nRSET\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertEquals("220 2.0.0 Ready to start TLS\n", reply(r));
            SSLSocket s = clientTls(plain);
            BufferedReader tr = reader(s);
            OutputStream tout = s.getOutputStream();
            tout.write("EHLO client.example\r\n".getBytes(StandardCharsets.US_ASCII));
            tout.flush();
            String ehlo = reply(tr);
            assertTrue(ehlo.startsWith("250-mail.example.tst\n"), "first reply inside TLS: " + ehlo);
            assertFalse(ehlo.contains("STARTTLS"), ehlo);
            tout.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
            tout.flush();
            assertEquals("221 2.0.0 Bye\n", reply(tr));
            assertEquals(null, reply(tr));
        }
        assertTrue(JmailWait.until(() -> log.hasContaining("disconnect from localhost[127.0.0.1]")), log.toString());
        assertTrue(log.hasContaining("Anonymous TLS connection established from localhost[127.0.0.1]: TLSv1.3 with cipher "),
                log.toString());
        // the RSET was never executed: no rset= in the command counts
        assertTrue(log.has("disconnect from localhost[127.0.0.1] ehlo=2 starttls=1 quit=1 commands=4"), log.toString());
    }

    @Test
    void wrapperModeHandshakesBeforeTheGreeting() throws Exception {
        int port = start("smtpd_tls_wrappermode", "yes");
        try (Socket plain = new Socket(InetAddress.getLoopbackAddress(), port)) {
            plain.setSoTimeout(10_000);
            SSLSocket s = clientTls(plain);
            BufferedReader r = reader(s);
            assertTrue(reply(r).startsWith("220 mail.example.tst ESMTP"));
            s.getOutputStream().write("EHLO client.example\r\nSTARTTLS\r\n".getBytes(StandardCharsets.US_ASCII));
            String ehlo = reply(r);
            assertFalse(ehlo.contains("STARTTLS"), ehlo);
            assertEquals("554 5.5.1 Error: TLS already active\n", reply(r));
        }
    }

    @Test
    void failedHandshakeEndsTheSessionAsLostConnection() throws Exception {
        int port = start();
        try (Socket plain = new Socket(InetAddress.getLoopbackAddress(), port)) {
            plain.setSoTimeout(10_000);
            BufferedReader r = reader(plain);
            OutputStream out = plain.getOutputStream();
            reply(r);
            out.write("STARTTLS\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("220 2.0.0 Ready to start TLS\n", reply(r));
            out.write("this is not a TLS client hello\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            plain.shutdownOutput();
            while (r.readLine() != null) {
                // at most a TLS alert, then the server closes
            }
        }
        assertTrue(JmailWait.until(() -> log.hasContaining("disconnect from localhost[127.0.0.1]")), log.toString());
        assertTrue(log.hasContaining("SSL_accept error from localhost[127.0.0.1]: "), log.toString());
        assertTrue(log.has("lost connection after STARTTLS from localhost[127.0.0.1]"), log.toString());
    }

    /** Polls a condition for up to five seconds. */
    static final class JmailWait {
        static boolean until(java.util.function.BooleanSupplier c) throws InterruptedException {
            long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (System.nanoTime() < end) {
                if (c.getAsBoolean()) {
                    return true;
                }
                Thread.sleep(20);
            }
            return c.getAsBoolean();
        }
    }
}
