package org.jmail.smtpd;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
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
import org.jmail.cleanup.CleanupService;
import org.jmail.config.MainConfig;
import org.jmail.net.ConnectionHandler;
import org.jmail.resolve.AddressResolver;
import org.jmail.resolve.LocalRecipientCheck;
import org.jmail.resolve.Resolver;
import org.jmail.resolve.TableOpener;

/**
 * smtpd(8): the SMTP server of one master.cf service, as a {@link ConnectionHandler}. This is
 * the thin network shell around {@link SmtpSession}: it looks up the client's name, reads the
 * socket through a buffer ({@link SmtpInput}; command lines decoded as UTF-8, message content
 * passed on as bytes), writes the queued replies when the client's pipelined input is drained,
 * and enforces {@code smtpd_timeout} on every read ({@code 421 4.4.2 host Error: timeout
 * exceeded}).
 *
 * <p>Construction reads the service's configuration once (main.cf with the service's
 * {@code -o} overrides applied by the caller): limits, restriction lists, mynetworks.
 * {@link #handle} runs one connection to its end on the calling thread and never throws for
 * client behaviour; I/O errors end the session with Postfix's log lines ({@code lost
 * connection after RCPT from ...}) and the {@code disconnect from ...} summary.
 */
public final class Smtpd implements ConnectionHandler {

    private static final int INPUT_BUFFER = 16 * 1024;
    private static final int DATA_PIECE = 8 * 1024;

    private final SmtpdSettings settings;
    private final SmtpdChecks checks;
    private final CleanupService cleanup;
    private final ClientNames names;
    private final Mynetworks bareNewlineExclusions;
    private final SmtpSession.Pause pause;
    private final Clock clock;

    /**
     * @param serviceConfig main.cf with the service's master.cf {@code -o} overrides
     * @param cleanup       where accepted messages go
     * @param resolver      address classes for relay control and the local recipient check
     * @param recipients    the local_recipient_maps check ("User unknown in local recipient table")
     */
    public Smtpd(MainConfig serviceConfig, CleanupService cleanup, Resolver resolver, LocalRecipientCheck recipients) {
        this(serviceConfig, cleanup, resolver, recipients, ClientNames.system(Duration.ofSeconds(5)));
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
        this.settings = new SmtpdSettings(serviceConfig);
        this.checks = new SmtpdChecks(serviceConfig, settings, resolver, recipients, opener);
        this.cleanup = cleanup;
        this.names = names;
        this.pause = pause;
        this.clock = clock;
        String exclusions = serviceConfig.isExplicit("smtpd_forbid_bare_newline_exclusions")
                ? serviceConfig.get("smtpd_forbid_bare_newline_exclusions") : serviceConfig.get("mynetworks");
        this.bareNewlineExclusions = Mynetworks.parse("smtpd_forbid_bare_newline_exclusions", exclusions,
                AddressResolver.parentDomainMatchesSubdomains(serviceConfig), opener);
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
        return new SmtpSession(settings, checks, cleanup, client, forbidBareLf, pause, clock);
    }

    @Override
    public void handle(Socket socket) throws Exception {
        InetAddress address = socket.getInetAddress();
        ClientInfo client = ClientInfo.of(names.nameOf(address), address, socket.getPort());
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, Math.max(1, settings.timeout.toMillis())));
        socket.setTcpNoDelay(true);
        OutputStream out = socket.getOutputStream();
        SmtpSession session = newSession(client);
        Replies replies = session.replies();
        SmtpInput in = new SmtpInput(socket.getInputStream(), INPUT_BUFFER, () -> send(replies, out));
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            session.greet();
            send(replies, out);
            while (!session.hangup()) {
                if (session.bdatRemaining() > 0) {
                    int n = in.readBytes(session.bdatRemaining());
                    if (n == 0) {
                        session.lostConnection();
                        break;
                    }
                    session.bdatContent(in.buffer(), in.start(), n);
                } else if (session.inData()) {
                    if (!in.readLine(DATA_PIECE)) {
                        session.lostConnection();
                        break;
                    }
                    session.dataLine(in.buffer(), in.start(), in.length(), in.endOfLine(), in.bareLf());
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
                }
                if (replies.urgent()) {
                    send(replies, out);
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
                send(replies, out);
            } catch (IOException e) {
                session.lostConnection();
            }
            session.close();
        }
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
