package org.jmail.smtpd;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import javax.net.ssl.SSLSocket;
import org.jmail.auth.AuthService;
import org.jmail.cleanup.CleanupService;
import org.jmail.config.MainConfig;
import org.jmail.dns.DnsResolver;
import org.jmail.net.ConnectionHandler;
import org.jmail.resolve.AddressResolver;
import org.jmail.resolve.LocalRecipientCheck;
import org.jmail.resolve.Resolver;
import org.jmail.resolve.TableOpener;
import org.jmail.tls.ServerTls;

/**
 * smtpd(8): the SMTP server of one master.cf service, as a {@link ConnectionHandler}. This is
 * the thin network shell around {@link SmtpSession}: it looks up the client's name, reads the
 * socket through a buffer ({@link SmtpInput}; command lines decoded as UTF-8, message content
 * passed on as bytes), writes the queued replies when the client's pipelined input is drained,
 * and enforces {@code smtpd_timeout} on every read ({@code 421 4.4.2 host Error: timeout
 * exceeded}).
 *
 * <p>TLS: with {@code smtpd_tls_wrappermode = yes} the handshake runs before the greeting
 * (a service without a certificate drops the connection with Postfix's warning); after an
 * accepted STARTTLS the replies are flushed, the handshake runs, and the socket streams are
 * replaced by new ones, so input the client sent in the clear after STARTTLS is discarded
 * (CVE-2011-0411). A failed handshake ends the session ({@code SSL_accept error from ...},
 * {@code lost connection after STARTTLS from ...}). Every line of a session is tagged with the
 * service's {@code syslog_name} ({@code -o syslog_name=postfix/submission} gives
 * {@code postfix/submission/smtpd[pid]}), see {@link SmtpdLog}.
 *
 * <p>Construction reads the service's configuration once (main.cf with the service's
 * {@code -o} overrides applied by the caller): limits, restriction lists, mynetworks.
 * {@link #handle} runs one connection to its end on the calling thread and never throws for
 * client behaviour; I/O errors end the session with Postfix's log lines ({@code lost
 * connection after RCPT from ...}) and the {@code disconnect from ...} summary.
 */
public final class Smtpd implements ConnectionHandler {

    private static final int INPUT_BUFFER = 64 * 1024; // a 100 KB message in two reads, not seven
    /**
     * Each connection thread keeps its input buffer for the next connection it serves: a new
     * 64 KB array per connection was most of the garbage of a stream of small messages.
     */
    private static final ThreadLocal<byte[]> INPUT_BUFFERS = ThreadLocal.withInitial(() -> new byte[INPUT_BUFFER]);
    private static final int DATA_PIECE = 8 * 1024;

    private final SmtpdSettings settings;
    private final SmtpdChecks checks;
    private final ClientLimits limits;
    private final CleanupService cleanup;
    private final ClientNames names;
    private final Mynetworks bareNewlineExclusions;
    private final SmtpSession.Pause pause;
    private final Clock clock;
    private final SaslGlue sasl;
    private final ServerTls tls;
    private final String syslogName;
    private final boolean peernameLookup;

    /**
     * @param serviceConfig main.cf with the service's master.cf {@code -o} overrides
     * @param cleanup       where accepted messages go
     * @param resolver      address classes for relay control and the local recipient check
     * @param recipients    the local_recipient_maps check ("User unknown in local recipient table")
     */
    public Smtpd(MainConfig serviceConfig, CleanupService cleanup, Resolver resolver, LocalRecipientCheck recipients) {
        this(serviceConfig, cleanup, resolver, recipients, ClientNames.system(Duration.ofSeconds(5)));
    }

    /**
     * The full service: as above, with SASL and TLS.
     *
     * @param auth the passdb shared with IMAP/POP3 (AUTH is offered only with
     *             smtpd_sasl_auth_enable = yes); null: no AUTH
     * @param tls  the server certificate for STARTTLS and wrapper mode; null when none could be
     *             loaded (STARTTLS then answers 454, a wrapper-mode service drops connections)
     */
    public Smtpd(MainConfig serviceConfig, CleanupService cleanup, Resolver resolver, LocalRecipientCheck recipients,
                 AuthService auth, ServerTls tls) {
        this(serviceConfig, cleanup, resolver, recipients, TableOpener.standard(),
                ClientNames.system(Duration.ofSeconds(5)), SmtpSession.Pause.SLEEP, Clock.systemDefaultZone(), auth,
                tls);
    }

    /**
     * The full service with the shared DNS resolver for the DNS-based restrictions
     * (reject_rbl_client, reject_unknown_sender_domain, ...).
     */
    public Smtpd(MainConfig serviceConfig, CleanupService cleanup, Resolver resolver, LocalRecipientCheck recipients,
                 AuthService auth, ServerTls tls, DnsResolver dns) {
        this(serviceConfig, cleanup, resolver, recipients, TableOpener.standard(),
                null, SmtpSession.Pause.SLEEP, Clock.systemDefaultZone(), auth, tls, dns);
    }

    /** As above, with the client name lookup supplied (e.g. one shared DNS resolver). */
    public Smtpd(MainConfig serviceConfig, CleanupService cleanup, Resolver resolver, LocalRecipientCheck recipients,
                 ClientNames names) {
        this(serviceConfig, cleanup, resolver, recipients, TableOpener.standard(), names, SmtpSession.Pause.SLEEP,
                Clock.systemDefaultZone());
    }

    /** Everything injectable (tests): table opener, client name lookup, error sleep, clock. */
    Smtpd(MainConfig serviceConfig, CleanupService cleanup, Resolver resolver, LocalRecipientCheck recipients,
          TableOpener opener, ClientNames names, SmtpSession.Pause pause, Clock clock) {
        this(serviceConfig, cleanup, resolver, recipients, opener, names, pause, clock, null, null);
    }

    /** Everything injectable, with SASL and TLS. */
    Smtpd(MainConfig serviceConfig, CleanupService cleanup, Resolver resolver, LocalRecipientCheck recipients,
          TableOpener opener, ClientNames names, SmtpSession.Pause pause, Clock clock, AuthService auth,
          ServerTls tls) {
        this(serviceConfig, cleanup, resolver, recipients, opener, names, pause, clock, auth, tls, null);
    }

    /** Everything injectable, with SASL, TLS and the DNS resolver for restrictions (may be null). */
    Smtpd(MainConfig serviceConfig, CleanupService cleanup, Resolver resolver, LocalRecipientCheck recipients,
          TableOpener opener, ClientNames names, SmtpSession.Pause pause, Clock clock, AuthService auth,
          ServerTls tls, DnsResolver dns) {
        this.settings = new SmtpdSettings(serviceConfig);
        this.checks = new SmtpdChecks(serviceConfig, settings, resolver, recipients, opener, dns);
        this.cleanup = cleanup;
        this.names = names != null ? names : dns != null ? ClientNames.dns(dns) : ClientNames.system(Duration.ofSeconds(5));
        this.pause = pause;
        this.clock = clock;
        this.sasl = new SaslGlue(settings, auth);
        this.tls = tls;
        this.syslogName = serviceConfig.get("syslog_name").strip();
        String peername = serviceConfig.get("smtpd_peername_lookup").strip();
        this.peernameLookup = peername.isEmpty() || !peername.equalsIgnoreCase("no");
        if (settings.saslAuthEnable && auth == null) {
            SmtpdLog.INSTANCE.warn("smtpd_sasl_auth_enable = yes but no authentication service is available;"
                    + " AUTH is not offered");
        }
        String exclusions = serviceConfig.isExplicit("smtpd_forbid_bare_newline_exclusions")
                ? serviceConfig.get("smtpd_forbid_bare_newline_exclusions") : serviceConfig.get("mynetworks");
        this.bareNewlineExclusions = Mynetworks.parse("smtpd_forbid_bare_newline_exclusions", exclusions,
                AddressResolver.parentDomainMatchesSubdomains(serviceConfig), opener);
        this.limits = new ClientLimits(serviceConfig, opener);
    }

    /** The master.cf service name, for anvil's warnings ("... for service smtp"). */
    public Smtpd serviceName(String name) {
        limits.service(name);
        return this;
    }

    /** A new protocol session for a client (also used by tests to drive the protocol directly). */
    SmtpSession newSession(ClientInfo client) {
        boolean forbidBareLf = false;
        if (settings.forbidBareNewline) {
            try {
                forbidBareLf = !bareNewlineExclusions.matches(client);
            } catch (IOException e) {
                forbidBareLf = true;
            }
        }
        SmtpSession s = new SmtpSession(settings, checks, cleanup, client, forbidBareLf, pause, clock);
        s.sasl = sasl.enabled() ? sasl : null;
        s.tlsAvailable = tls != null;
        s.limits = limits.tracks(client) ? limits : null;
        return s;
    }

    /** The socket streams of a connection, replaced when STARTTLS turns TLS on. */
    private static final class Io {
        SmtpInput in;
        OutputStream out;
        SSLSocket ssl;
    }

    @Override
    public void handle(Socket socket) throws Exception {
        SmtpdLog.bind(syslogName);
        try {
            serve(socket);
        } finally {
            SmtpdLog.unbind();
        }
    }

    private void serve(Socket socket) throws Exception {
        InetAddress address = socket.getInetAddress();
        // smtpd_peername_lookup = no: no lookups, both names unknown (permanent), as Postfix
        PeerNames peer = peernameLookup ? names.lookup(address) : PeerNames.UNKNOWN;
        ClientInfo client = ClientInfo.of(peer, address, socket.getPort());
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, Math.max(1, settings.timeout.toMillis())));
        SmtpSession session = newSession(client); // TCP_NODELAY: set by InetListener
        if (socket.getLocalSocketAddress() instanceof InetSocketAddress local) {
            session.localAddress = local;
        }
        Replies replies = session.replies();
        Io io = new Io();
        io.out = socket.getOutputStream();
        io.in = new SmtpInput(socket.getInputStream(), INPUT_BUFFERS.get(), () -> send(replies, io.out));
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            if (settings.tlsWrapperMode) {
                // Postfix: TLS first, then access control and the greeting, all inside TLS
                session.logConnect();
                if (tls == null) {
                    SmtpdLog.INSTANCE.warn("Wrapper-mode request dropped from " + client.namaddr()
                            + ". TLS context initialization failed. For details see earlier warnings in your logs.");
                    return;
                }
                startTls(socket, session, io, replies);
                if (session.hangup()) {
                    return;
                }
            }
            session.greet();
            send(replies, io.out);
            while (!session.hangup()) {
                SmtpInput in = io.in;
                if (session.bdatRemaining() > 0) {
                    int n = in.readBytes(session.bdatRemaining());
                    if (n == 0) {
                        session.lostConnection();
                        break;
                    }
                    session.bdatContent(in.buffer(), in.start(), n);
                } else if (session.inData()) {
                    if (!readData(session, in, replies, io.out)) {
                        session.lostConnection();
                        break;
                    }
                } else {
                    if (!in.readLine(settings.lineLengthLimit)) {
                        session.lostConnection();
                        break;
                    }
                    boolean tooLong = !in.endOfLine();
                    String line = decode(utf8, in.buffer(), in.start(), in.length());
                    if (tooLong && !in.skipLine()) {
                        session.lostConnection();
                        break;
                    }
                    if (line == null) {
                        badUtf8(session);
                    } else {
                        session.command(line, tooLong, in.bareLf(), () -> in.pendingPeek(100));
                    }
                    if (session.takeStartTls()) {
                        startTls(socket, session, io, replies);
                        continue;
                    }
                }
                if (replies.urgent()) {
                    send(replies, io.out);
                }
            }
        } catch (SocketTimeoutException e) {
            session.timeout();
        } catch (IOException e) {
            session.lostConnection();
        } catch (RuntimeException e) {
            session.localError(e);
        } finally {
            try {
                send(replies, io.out);
            } catch (IOException e) {
                session.lostConnection();
            }
            session.close();
            if (io.ssl != null) {
                try {
                    io.ssl.close(); // close_notify, as Postfix's tls_server_stop
                } catch (IOException e) {
                    // the client is gone already
                }
            }
        }
    }

    /**
     * Feeds DATA content lines to the session until it leaves the DATA state. A loop of its
     * own: its thousands of iterations per message get this small method compiled, not all of
     * {@link #serve}. Returns false when the connection was lost.
     */
    private static boolean readData(SmtpSession session, SmtpInput in, Replies replies, OutputStream out)
            throws IOException {
        while (session.inData() && !session.hangup()) {
            if (!in.readLine(DATA_PIECE)) {
                return false;
            }
            session.dataLine(in.buffer(), in.start(), in.length(), in.endOfLine(), in.bareLf());
            if (replies.urgent()) {
                send(replies, out);
            }
        }
        return true;
    }

    /**
     * Sends the pending replies (STARTTLS's 220), then runs the handshake and replaces the
     * streams. The old {@link SmtpInput} and whatever it buffered are dropped: bytes the client
     * sent in the clear after STARTTLS (or before the handshake, in wrapper mode) are never read
     * as commands of the TLS session (CVE-2011-0411). A failed handshake ends the session.
     */
    private void startTls(Socket socket, SmtpSession session, Io io, Replies replies) throws IOException {
        send(replies, io.out);
        SSLSocket s;
        try {
            s = tls.wrap(socket);
        } catch (SocketTimeoutException e) {
            throw e;
        } catch (IOException e) {
            session.tlsFailed(e.getMessage() == null ? e.toString() : e.getMessage());
            return;
        }
        io.ssl = s;
        io.out = s.getOutputStream();
        io.in = new SmtpInput(s.getInputStream(), INPUT_BUFFERS.get(), () -> send(replies, io.out)); // the plaintext one is done
        session.tlsStarted(ServerTls.describe(s));
    }

    /** Postfix with smtputf8_enable rejects command lines that are not UTF-8. */
    private void badUtf8(SmtpSession session) {
        if (settings.smtputf8Enable) {
            session.reply("500 5.5.2 Error: bad UTF-8 syntax");
            session.errorCount++;
            session.afterCommand();
        }
    }

    /** The line as text: ASCII fast path, else strict UTF-8 (null when malformed). */
    private String decode(CharsetDecoder utf8, byte[] b, int off, int len) {
        boolean ascii = true;
        for (int i = off; i < off + len; i++) {
            if (b[i] < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return new String(b, off, len, StandardCharsets.ISO_8859_1);
        }
        try {
            CharBuffer cb = utf8.reset().decode(ByteBuffer.wrap(b, off, len));
            return cb.toString();
        } catch (CharacterCodingException e) {
            return settings.smtputf8Enable ? null : new String(b, off, len, StandardCharsets.ISO_8859_1);
        }
    }

    private static void send(Replies replies, OutputStream out) throws IOException {
        if (!replies.isEmpty()) {
            out.write(replies.takeBytes());
            out.flush();
        }
    }

    @Override
    public String toString() {
        return "smtpd(" + settings.myhostname + ")";
    }

}
