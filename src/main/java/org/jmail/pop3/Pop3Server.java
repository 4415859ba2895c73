package org.jmail.pop3;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import javax.net.ssl.SSLSocket;
import org.jmail.auth.Authenticator;
import org.jmail.net.ConnectionHandler;
import org.jmail.store.MailStores;
import org.jmail.tls.ServerTls;

/**
 * pop3d: the POP3 server of one master.cf service (110 with STLS, or 995 with implicit TLS),
 * as a {@link ConnectionHandler} — Dovecot's pop3-login and pop3 processes in one thread per
 * connection. This is the thin network shell around {@link Pop3Session}: buffered input
 * ({@link Pop3Input}) and output ({@link Pop3Output}, flushed only when the client's
 * pipelined input is drained), the idle timeouts, and the TLS switch for STLS.
 *
 * <p>{@link #handle} never throws for client behaviour and never shows a stack trace: a
 * vanished client ends the session quietly (nothing deleted, \Seen kept), a failed TLS
 * handshake is logged, and an unexpected error gets "-ERR [SYS/TEMP] Internal error …".
 */
public final class Pop3Server implements ConnectionHandler {

    private static final int INPUT_BUFFER = 16 * 1024;
    private static final int OUTPUT_BUFFER = 64 * 1024;

    private final Pop3Settings settings;
    private final Authenticator authenticator;
    private final MailStores stores;
    private final ServerTls tls;
    private final boolean implicitTls;
    private final Pop3Login.Pause pause;
    private final SessionRegistry registry;

    /**
     * @param settings    the service's settings ({@link Pop3Settings#from})
     * @param auth        passdb/userdb
     * @param stores      opens the user's mail store after login
     * @param tlsOrNull   TLS for STLS and implicit TLS; null: no STLS offered
     * @param implicitTls pop3s: TLS handshake right after accept (needs {@code tlsOrNull})
     */
    public Pop3Server(Pop3Settings settings, Authenticator auth, MailStores stores, ServerTls tlsOrNull,
                      boolean implicitTls) {
        this(settings, auth, stores, tlsOrNull, implicitTls, Pop3Login.Pause.SLEEP, SessionRegistry.SHARED);
    }

    Pop3Server(Pop3Settings settings, Authenticator auth, MailStores stores, ServerTls tlsOrNull, boolean implicitTls,
               Pop3Login.Pause pause, SessionRegistry registry) {
        if (implicitTls && tlsOrNull == null) {
            throw new IllegalArgumentException("implicit TLS needs a TLS context");
        }
        this.settings = settings;
        this.authenticator = auth;
        this.stores = stores;
        this.tls = tlsOrNull;
        this.implicitTls = implicitTls;
        this.pause = pause;
        this.registry = registry;
    }

    @Override
    public void handle(Socket socket) {
        InetSocketAddress remote = (InetSocketAddress) socket.getRemoteSocketAddress();
        InetSocketAddress local = (InetSocketAddress) socket.getLocalSocketAddress();
        ClientFacts client = new ClientFacts(remote, local, false, System.nanoTime());
        Socket s = socket;
        if (implicitTls) {
            try {
                s.setSoTimeout(millis(settings.loginTimeout()));
                s = tls.wrap(socket);
                client.tls = true;
            } catch (IOException e) {
                LoginLog.LOG.info("Disconnected (no auth attempts in 0 secs): user=<>, rip=" + client.remoteIp
                        + ", lip=" + client.localIp + ", TLS handshaking: " + e.getMessage() + ", session=<"
                        + client.sessionId + ">");
                return;
            }
        }
        serve(s, client);
    }

    private void serve(Socket socket, ClientFacts client) {
        Socket s = socket;
        Pop3Output out;
        TimedOutputStream[] sink = new TimedOutputStream[1];
        try {
            s.setTcpNoDelay(true);
            sink[0] = new TimedOutputStream(s, s.getOutputStream(), settings.idleTimeout());
            out = new Pop3Output(sink[0], OUTPUT_BUFFER);
        } catch (IOException e) {
            return;
        }
        Pop3Session session = new Pop3Session(settings, authenticator, stores, client, out,
                tls != null && !implicitTls, pause, System::nanoTime, registry);
        try {
            Pop3Input in = new Pop3Input(s.getInputStream(), INPUT_BUFFER, out::flush);
            session.greet();
            while (true) {
                s.setSoTimeout(millis(session.loggedIn() ? settings.idleTimeout() : settings.loginTimeout()));
                String line;
                try {
                    line = in.readLine(session.lineLimit());
                } catch (SocketTimeoutException e) {
                    session.idleTimeout();
                    break;
                }
                if (line == null) {
                    break;
                }
                if (line == Pop3Input.TOO_LONG) {
                    session.lineTooLong();
                    break;
                }
                Pop3Session.Next next = session.line(line);
                if (next == Pop3Session.Next.CLOSE) {
                    break;
                }
                if (next == Pop3Session.Next.STARTTLS) {
                    out.flush();
                    try {
                        s = tls.wrap(s);
                    } catch (IOException e) {
                        session.tlsFailed(e.getMessage());
                        return;
                    }
                    session.tlsStarted();
                    sink[0] = new TimedOutputStream(s, s.getOutputStream(), settings.idleTimeout());
                    out.switchTo(sink[0]);
                    in.switchTo(s.getInputStream());
                }
            }
            out.flush();
        } catch (IOException e) {
            // the client went away (or the network did): the session ends as if it vanished
            if (sink[0].timedOut()) {
                session.outputTimeout();
            }
        } catch (RuntimeException e) {
            session.internalError(e);
            try {
                out.flush();
            } catch (IOException ignored) {
                // gone as well
            }
        } finally {
            session.end();
            if (s instanceof SSLSocket) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // the listener closes the plain socket anyway
                }
            }
        }
    }

    private static int millis(java.time.Duration d) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
    }

    @Override
    public String toString() {
        return implicitTls ? "pop3s" : "pop3";
    }
}
