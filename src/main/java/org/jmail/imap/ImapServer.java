package org.jmail.imap;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import javax.net.ssl.SSLSocket;
import org.jmail.auth.Authenticator;
import org.jmail.log.MailLog;
import org.jmail.net.ConnectionHandler;
import org.jmail.store.MailStores;
import org.jmail.tls.ServerTls;

/**
 * The IMAP service (Dovecot's imap-login + imap in one): serves one accepted connection per
 * {@link #handle} call on the calling thread, with implicit TLS (imaps, 993) when asked and
 * STARTTLS when a {@link ServerTls} is given. The protocol lives in {@link ImapSession};
 * this class only adapts the socket. A failed TLS handshake is logged and the connection
 * dropped; nothing ever reaches the client as a stack trace.
 */
public final class ImapServer implements ConnectionHandler {

    private static final MailLog LOG = MailLog.of("imap-login");

    private final ImapSettings settings;
    private final Authenticator authenticator;
    private final MailStores stores;
    private final ServerTls tls;
    private final boolean implicitTls;
    private final UserIpLimiter limiter = new UserIpLimiter();

    /**
     * @param tlsOrNull TLS for STARTTLS / implicit TLS; null when no certificate is configured
     * @param implicitTls handshake right after accept (imaps)
     */
    public ImapServer(ImapSettings settings, Authenticator authenticator, MailStores stores, ServerTls tlsOrNull,
                      boolean implicitTls) {
        if (implicitTls && tlsOrNull == null) {
            throw new IllegalArgumentException("imaps needs a TLS certificate");
        }
        this.settings = settings;
        this.authenticator = authenticator;
        this.stores = stores;
        this.tls = tlsOrNull;
        this.implicitTls = implicitTls;
    }

    @Override
    public void handle(Socket socket) throws Exception {
        socket.setTcpNoDelay(true);
        SocketTransport t = new SocketTransport(socket, tls);
        if (implicitTls) {
            try {
                t.startTls();
            } catch (IOException e) {
                LOG.info("Disconnected (no auth attempts in 0 secs): user=<>, rip=" + LoginLog.ip(t.remote())
                        + ", lip=" + LoginLog.ip(t.local()) + ", TLS handshaking: " + e.getMessage());
                return;
            }
        }
        new ImapSession(settings, authenticator, stores, t, limiter).run();
    }

    /** {@link ImapTransport} over a socket, switching to TLS in place. */
    static final class SocketTransport implements ImapTransport {
        private Socket socket;
        private final ServerTls tls;
        private InputStream in;
        private OutputStream out;
        private final InetSocketAddress remote;
        private final InetSocketAddress local;

        SocketTransport(Socket socket, ServerTls tls) throws IOException {
            this.socket = socket;
            this.tls = tls;
            this.remote = (InetSocketAddress) socket.getRemoteSocketAddress();
            this.local = (InetSocketAddress) socket.getLocalSocketAddress();
            streams();
        }

        private void streams() throws IOException {
            in = socket.getInputStream();
            out = socket.getOutputStream(); // ImapWriter buffers; a second buffer would only copy
        }

        @Override
        public InputStream input() {
            return in;
        }

        @Override
        public OutputStream output() {
            return out;
        }

        @Override
        public boolean tls() {
            return socket instanceof SSLSocket;
        }

        @Override
        public boolean canStartTls() {
            return tls != null && !tls();
        }

        @Override
        public void startTls() throws IOException {
            int timeout = socket.getSoTimeout();
            socket.setSoTimeout(60_000);
            SSLSocket s = tls.wrap(socket);
            s.setSoTimeout(timeout);
            socket = s;
            streams();
        }

        @Override
        public InetSocketAddress remote() {
            return remote;
        }

        @Override
        public InetSocketAddress local() {
            return local;
        }

        @Override
        public void setReadTimeout(int millis) throws IOException {
            socket.setSoTimeout(Math.max(0, millis));
        }
    }
}
