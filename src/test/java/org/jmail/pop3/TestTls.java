package org.jmail.pop3;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.jmail.tls.ServerTls;

/** A {@link ServerTls} over a throw-away self-signed certificate made with keytool (tests only). */
final class TestTls implements ServerTls {

    private static SSLContext context;
    private final SSLContext ctx;

    private TestTls(SSLContext ctx) {
        this.ctx = ctx;
    }

    static synchronized TestTls create() throws Exception {
        if (context == null) {
            Path dir = Files.createTempDirectory("pop3-tls");
            Path ks = dir.resolve("test.p12");
            String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "pop3", "-keyalg", "RSA", "-keysize",
                    "2048", "-dname", "CN=localhost", "-validity", "2", "-keystore", ks.toString(), "-storepass",
                    "changeit", "-storetype", "PKCS12").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (p.waitFor() != 0) {
                throw new IOException("keytool failed");
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(ks)) {
                store.load(in, "changeit".toCharArray());
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, "changeit".toCharArray());
            SSLContext c = SSLContext.getInstance("TLS");
            c.init(kmf.getKeyManagers(), null, null);
            context = c;
            Files.deleteIfExists(ks);
            Files.deleteIfExists(dir);
        }
        return new TestTls(context);
    }

    @Override
    public SSLSocket wrap(Socket plain) throws IOException {
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(plain, null, plain.getPort(), true);
        s.setUseClientMode(false);
        s.setEnabledProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
        s.startHandshake();
        return s;
    }
}
