package org.jmail.smtp;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * TLS for the SMTP client, as Postfix's "may" and "encrypt" levels: TLS 1.2 or 1.3, the
 * server's certificate is accepted without verification (these levels protect against passive
 * eavesdropping only), no SNI. One instance is shared by all connections (thread-safe).
 */
final class ClientTls {

    private static final X509TrustManager TRUST_ALL = new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // opportunistic TLS: encryption without authentication, as Postfix at may/encrypt
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    };

    private final SSLSocketFactory factory;
    private final String[] protocols;

    ClientTls() {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {TRUST_ALL}, null);
            factory = ctx.getSocketFactory();
            List<String> p = new ArrayList<>();
            for (String s : ctx.getSupportedSSLParameters().getProtocols()) {
                if (s.equals("TLSv1.3") || s.equals("TLSv1.2")) {
                    p.add(s);
                }
            }
            protocols = p.toArray(new String[0]);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS client context: " + e, e);
        }
    }

    /** Runs the handshake over {@code plain} (within its read timeout); IOException when it fails. */
    SSLSocket start(Socket plain) throws IOException {
        // the address as "host" keeps the JDK from sending SNI, as Postfix without smtp_tls_servername
        SSLSocket s = (SSLSocket) factory.createSocket(plain, plain.getInetAddress().getHostAddress(),
                plain.getPort(), true);
        s.setUseClientMode(true);
        s.setEnabledProtocols(protocols);
        s.startHandshake();
        return s;
    }

    /** Postfix's summary: "TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)". */
    static String describe(SSLSocket s) {
        SSLSession session = s.getSession();
        String cipher = session.getCipherSuite();
        int bits = cipher.contains("_256_") || cipher.contains("CHACHA20") ? 256 : 128;
        return session.getProtocol() + " with cipher " + cipher + " (" + bits + "/" + bits + " bits)";
    }
}
