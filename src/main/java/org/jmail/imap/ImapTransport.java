package org.jmail.imap;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;

/**
 * What the IMAP session needs from its connection: streams, TLS state and the switch to TLS
 * (STARTTLS), the addresses Dovecot logs, and a read timeout (IDLE polls the mailbox between
 * reads; the idle limits end silent clients). The socket shell implements it; tests give
 * in-memory streams.
 */
interface ImapTransport {

    InputStream input() throws IOException;

    OutputStream output() throws IOException;

    /** TLS is active on this connection. */
    boolean tls();

    /** STARTTLS is possible (a certificate is configured and TLS is not active yet). */
    boolean canStartTls();

    /** Runs the TLS handshake; afterwards {@link #input}/{@link #output} give the TLS streams. */
    void startTls() throws IOException;

    InetSocketAddress remote();

    InetSocketAddress local();

    /** 0 = block forever. */
    void setReadTimeout(int millis) throws IOException;

    /** Dovecot's "secured": TLS, or a loopback client. */
    default boolean secured() {
        return tls() || (remote() != null && remote().getAddress() != null && remote().getAddress().isLoopbackAddress());
    }
}
