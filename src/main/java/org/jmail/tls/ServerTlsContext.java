package org.jmail.tls;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.jmail.config.MainConfig;

/**
 * jmail's {@link ServerTls}: one server certificate chain and key (from {@link TlsSettings}),
 * TLS 1.2 and 1.3 only, a modern cipher list (forward-secret AEAD suites) in the server's order
 * of preference. Built once per configuration and shared by all connections of all services
 * (thread-safe); a reload builds a new one.
 *
 * <p>Construction fails with {@link TlsSetupException} naming the file when the certificate
 * or key is missing, unreadable or mismatched. {@link #wrap} runs the handshake with a
 * {@value #HANDSHAKE_TIMEOUT_MS} ms read timeout when the socket has none, restoring the
 * socket's timeout afterwards; a failed handshake is an IOException.
 */
public final class ServerTlsContext implements ServerTls {

    /** Mozilla's "intermediate" list in JSSE names: TLS 1.3 suites, then ECDHE/DHE with AEAD. */
    public static final List<String> MODERN_CIPHERS = List.of(
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    static final int HANDSHAKE_TIMEOUT_MS = 60_000;

    private final TlsSettings settings;
    private final SSLContext context;
    private final SSLSocketFactory factory;
    private final String[] protocols;
    private final String[] ciphers;
    private final X509Certificate certificate;

    public ServerTlsContext(TlsSettings settings) throws TlsSetupException {
        this.settings = settings;
        List<X509Certificate> chain = PemFiles.readCertificates(settings.certFile());
        PrivateKey key = PemFiles.readPrivateKey(settings.keyFile());
        PemFiles.checkMatch(key, chain.get(0), settings.keyFile(), settings.certFile());
        this.certificate = chain.get(0);
        try {
            char[] pw = new char[0];
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("server", key, pw, chain.toArray(new X509Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, pw);
            context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
        } catch (GeneralSecurityException | IOException e) {
            throw new TlsSetupException("cannot use certificate " + settings.certFile() + " with key "
                    + settings.keyFile() + ": " + e.getMessage(), e);
        }
        factory = context.getSocketFactory();
        SSLParameters supported = context.getSupportedSSLParameters();
        List<String> wanted = settings.minProtocol().equals("TLSv1.3") ? List.of("TLSv1.3")
                : List.of("TLSv1.3", "TLSv1.2");
        protocols = intersect(wanted, supported.getProtocols());
        ciphers = intersect(settings.cipherSuites(), supported.getCipherSuites());
        if (protocols.length == 0 || ciphers.length == 0) {
            throw new TlsSetupException("no usable TLS protocol or cipher suite (ssl_min_protocol, ssl_cipher_list)");
        }
    }

    /** The context main.cf describes ({@link TlsSettings#fromConfig}). */
    public static ServerTlsContext fromConfig(MainConfig config) throws TlsSetupException {
        return new ServerTlsContext(TlsSettings.fromConfig(config));
    }

    public TlsSettings settings() {
        return settings;
    }

    /** The server certificate (for logs and {@code jmail tls} commands). */
    public X509Certificate certificate() {
        return certificate;
    }

    public List<String> enabledProtocols() {
        return List.of(protocols);
    }

    public List<String> enabledCipherSuites() {
        return List.of(ciphers);
    }

    @Override
    public SSLSocket wrap(Socket plain) throws IOException {
        SSLSocket s = (SSLSocket) factory.createSocket(plain, null, plain.getPort(), true);
        s.setUseClientMode(false);
        SSLParameters p = s.getSSLParameters();
        p.setProtocols(protocols);
        p.setCipherSuites(ciphers);
        p.setUseCipherSuitesOrder(settings.preferServerCiphers());
        p.setNeedClientAuth(false);
        p.setWantClientAuth(false);
        s.setSSLParameters(p);
        int old = plain.getSoTimeout();
        if (old == 0) {
            s.setSoTimeout(HANDSHAKE_TIMEOUT_MS); // a silent client must not hold a thread forever
        }
        s.startHandshake();
        if (old == 0) {
            s.setSoTimeout(0);
        }
        return s;
    }

    private static String[] intersect(List<String> wanted, String[] supported) {
        List<String> have = Arrays.asList(supported);
        List<String> out = new ArrayList<>();
        for (String w : wanted) {
            if (have.contains(w)) {
                out.add(w);
            }
        }
        return out.toArray(new String[0]);
    }
}
