package org.jmail.tls;

import java.io.IOException;
import java.net.Socket;
import javax.net.ssl.SSLSocket;

/**
 * The server side of TLS for one service: STARTTLS/STLS on an accepted plain socket, or
 * implicit TLS (imaps, pop3s, smtps wrapper mode) right after accept. Both run the handshake
 * before returning, so a failed handshake is an IOException here and never half a session.
 */
public interface ServerTls {

    /** Wraps {@code plain} (already connected; bytes already read stay the caller's) and handshakes. */
    SSLSocket wrap(Socket plain) throws IOException;

    /** "TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)" – the Received:/log note. */
    static String describe(SSLSocket s) {
        var session = s.getSession();
        String cipher = session.getCipherSuite();
        int bits = cipher.contains("256") ? 256 : cipher.contains("CHACHA20") ? 256 : 128;
        return session.getProtocol() + " with cipher " + cipher + " (" + bits + "/" + bits + " bits)";
    }
}
