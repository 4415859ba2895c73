package org.jmail.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.jmail.tls.ServerTls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** STARTTLS on a plain port and implicit TLS (imaps) with imaplib, over a keytool-made certificate. */
class ImapTlsTest {

    @TempDir
    Path tmp;

    private ServerTls tls() throws Exception {
        Path ks = tmp.resolve("k.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "imap", "-keyalg", "EC", "-dname",
                "CN=localhost", "-validity", "2", "-storetype", "PKCS12", "-keystore", ks.toString(), "-storepass",
                "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertEquals(0, p.waitFor());
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (var in = new FileInputStream(ks.toFile())) {
            store.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, "changeit".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return plain -> {
            SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(plain, null, plain.getPort(), true);
            s.setUseClientMode(false);
            s.setEnabledProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
            s.startHandshake();
            return s;
        };
    }

    private static ServerSocket serve(ImapServer server) throws IOException {
        ServerSocket listen = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!listen.isClosed()) {
                try {
                    Socket s = listen.accept();
                    Thread t = new Thread(() -> {
                        try (s) {
                            server.handle(s);
                        } catch (Exception e) {
                            // seen by the client
                        }
                    });
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        return listen;
    }

    @Test
    void startTlsAndImplicitTlsWithImaplib() throws Exception {
        ServerTls tls = tls();
        MemoryMailStore store = ImapTestKit.storeWith(ImapTestKit.message(1));
        try (ServerSocket plain = serve(new ImapServer(ImapTestKit.settings(), ImapTestKit.AUTH, store, tls, false));
             ServerSocket implicit = serve(new ImapServer(ImapTestKit.settings(), ImapTestKit.AUTH, store, tls,
                     true))) {
            Path script = tmp.resolve("tls.py");
            try (var in = getClass().getResourceAsStream("/imap/imaplib_tls.py")) {
                Files.copy(in, script);
            }
            Process p = new ProcessBuilder(List.of("python3", script.toString(), Integer.toString(plain.getLocalPort()),
                    Integer.toString(implicit.getLocalPort()))).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), out);
            assertTrue(out.contains("ALL OK"), out);
        }
    }
}
