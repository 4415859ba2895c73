package org.jmail.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.Security;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.jmail.config.MainConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerTlsContextTest {

    static {
        // Let the JDK *client* offer TLS 1.1, so the refusal tested below is the server's doing.
        String disabled = Security.getProperty("jdk.tls.disabledAlgorithms");
        if (disabled != null) {
            Security.setProperty("jdk.tls.disabledAlgorithms",
                    disabled.replace("TLSv1.1,", "").replace("TLSv1.1", ""));
        }
    }

    @TempDir
    static Path dir;
    static Path cert;
    static Path key;
    static X509Certificate generated;

    @BeforeAll
    static void makeCertificate() throws IOException {
        cert = dir.resolve("cert.pem");
        key = dir.resolve("key.pem");
        generated = SelfSignedCertificate.write("mail.example.test", cert, key);
    }

    private static ServerTlsContext context(Map<String, String> extra) throws TlsSetupException {
        Map<String, String> cfg = new HashMap<>(Map.of("smtpd_tls_cert_file", cert.toString(),
                "smtpd_tls_key_file", key.toString()));
        cfg.putAll(extra);
        return ServerTlsContext.fromConfig(MainConfig.of(dir, cfg));
    }

    /** Handshakes a client offering only {@code protocol}; returns the server's describe() or throws. */
    private static String handshake(ServerTlsContext tls, String protocol) throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> server = CompletableFuture.supplyAsync(() -> {
                try (Socket plain = ss.accept(); SSLSocket s = tls.wrap(plain)) {
                    s.getOutputStream().write("* OK\r\n".getBytes(StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                    return ServerTls.describe(s);
                } catch (IOException e) {
                    return "server failed: " + e.getMessage();
                }
            });
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("jmail", tls.certificate());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext client = SSLContext.getInstance("TLS");
            client.init(null, tmf.getTrustManagers(), null);
            try (SSLSocket c = (SSLSocket) client.getSocketFactory().createSocket(ss.getInetAddress(), ss.getLocalPort())) {
                c.setEnabledProtocols(new String[] {protocol});
                c.setSoTimeout(10_000);
                c.startHandshake();
                byte[] line = c.getInputStream().readNBytes(6);
                assertEquals("* OK\r\n", new String(line, StandardCharsets.US_ASCII));
                assertEquals(protocol, c.getSession().getProtocol());
            } finally {
                server.get(10, TimeUnit.SECONDS);
            }
            return server.get();
        }
    }

    @Test
    void tls12And13HandshakesSucceedOverLoopback() throws Exception {
        ServerTlsContext tls = context(Map.of());
        String d13 = handshake(tls, "TLSv1.3");
        assertTrue(d13.startsWith("TLSv1.3 with cipher TLS_"), d13);
        String d12 = handshake(tls, "TLSv1.2");
        assertTrue(d12.startsWith("TLSv1.2 with cipher TLS_ECDHE_RSA_WITH_"), d12);
    }

    @Test
    void tls11IsRefused() throws Exception {
        ServerTlsContext tls = context(Map.of("ssl_min_protocol", "TLSv1"));
        assertFalse(tls.enabledProtocols().contains("TLSv1.1"));
        assertFalse(tls.enabledProtocols().contains("TLSv1"));
        assertThrows(IOException.class, () -> handshake(tls, "TLSv1.1"));
    }

    @Test
    void minProtocol13RefusesATls12Client() throws Exception {
        ServerTlsContext tls = context(Map.of("ssl_min_protocol", "TLSv1.3"));
        assertEquals(java.util.List.of("TLSv1.3"), tls.enabledProtocols());
        assertThrows(IOException.class, () -> handshake(tls, "TLSv1.2"));
    }

    @Test
    void onlyForwardSecretAeadSuitesAreEnabled() throws Exception {
        for (String suite : context(Map.of()).enabledCipherSuites()) {
            assertTrue(suite.matches("TLS_(AES|CHACHA20).*|TLS_(ECDHE|DHE)_.*_(GCM_SHA\\d+|POLY1305_SHA256)"), suite);
        }
    }

    @Test
    void dovecotSslCertOverridesThePostfixFiles() throws Exception {
        Map<String, String> cfg = Map.of("smtpd_tls_cert_file", "/nonexistent/c.pem", "smtpd_tls_key_file",
                "/nonexistent/k.pem", "ssl_cert", "<" + cert, "ssl_key", "< " + key);
        TlsSettings s = TlsSettings.fromConfig(MainConfig.of(dir, cfg));
        assertEquals(cert, s.certFile());
        assertEquals(key, s.keyFile());
        assertEquals("CN=mail.example.test", new ServerTlsContext(s).certificate().getSubjectX500Principal().getName());
    }

    @Test
    void debianSnakeoilPairIsTheDefault() {
        TlsSettings s = TlsSettings.fromConfig(MainConfig.of(dir, Map.of()));
        assertEquals(TlsSettings.SNAKEOIL_CERT, s.certFile());
        assertEquals(TlsSettings.SNAKEOIL_KEY, s.keyFile());
        assertEquals("TLSv1.2", s.minProtocol());
        assertTrue(s.preferServerCiphers());
    }

    @Test
    void missingKeyFileIsAnErrorNamingTheFile() {
        Path missing = dir.resolve("absent.key");
        TlsSetupException e = assertThrows(TlsSetupException.class,
                () -> context(Map.of("smtpd_tls_key_file", missing.toString())));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("No such file or directory"), e.getMessage());
    }

    @Test
    void keyNotMatchingTheCertificateIsRefused() throws Exception {
        Path otherCert = dir.resolve("other.pem");
        Path otherKey = dir.resolve("other.key");
        SelfSignedCertificate.write("other.example.test", otherCert, otherKey);
        TlsSetupException e = assertThrows(TlsSetupException.class,
                () -> context(Map.of("smtpd_tls_key_file", otherKey.toString())));
        assertTrue(e.getMessage().contains("does not match"), e.getMessage());
    }

    @Test
    void generatedKeyIsPrivateAndPkcs8() throws IOException {
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        assertTrue(Files.readString(key).startsWith("-----BEGIN PRIVATE KEY-----"));
        assertTrue(Files.readString(cert).startsWith("-----BEGIN CERTIFICATE-----"));
    }

    @Test
    void pkcs1RsaAndEcKeysWithCombinedFilesLoad() throws Exception {
        // PKCS#1 "RSA PRIVATE KEY" in the same file as the certificate (key_file = cert_file)
        SelfSignedCertificate.KeyPairAndCertificate rsa = SelfSignedCertificate.generate("rsa.example.test");
        Path combined = dir.resolve("combined.pem");
        Files.writeString(combined, pem(rsa.certificate()) + pem(rsa.keyPair()));
        assertTrue(Files.readString(combined).contains("BEGIN RSA PRIVATE KEY"));
        ServerTlsContext c = context(Map.of("smtpd_tls_cert_file", combined.toString(), "smtpd_tls_key_file", ""));
        assertEquals(combined, c.settings().keyFile());

        // EC key (SEC1 "EC PRIVATE KEY") and certificate as openssl writes them
        Path ecCert = dir.resolve("ec.pem");
        Path ecKey = dir.resolve("ec.key");
        run("openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", ecKey.toString());
        run("openssl", "req", "-new", "-x509", "-key", ecKey.toString(), "-subj", "/CN=ec.example.test",
                "-days", "2", "-out", ecCert.toString());
        assertTrue(Files.readString(ecKey).contains("BEGIN EC PRIVATE KEY"));
        ServerTlsContext ecTls = context(Map.of("smtpd_tls_cert_file", ecCert.toString(),
                "smtpd_tls_key_file", ecKey.toString()));
        assertEquals("EC", ecTls.certificate().getPublicKey().getAlgorithm());
        assertTrue(handshake(ecTls, "TLSv1.2").startsWith("TLSv1.2 with cipher TLS_ECDHE_ECDSA_WITH_"));
    }

    private static void run(String... command) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            org.junit.jupiter.api.Assumptions.abort("openssl not installed");
            return;
        }
        p.getInputStream().readAllBytes();
        assertEquals(0, p.waitFor(), String.join(" ", command));
    }

    private static String pem(Object o) throws IOException {
        StringWriter sw = new StringWriter();
        try (Writer w = new JcaPEMWriter(sw)) {
            ((JcaPEMWriter) w).writeObject(o);
        }
        return sw.toString();
    }
}
