package org.jmail.smtpd;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.jmail.cleanup.CleanupException;
import org.jmail.cleanup.CleanupService;
import org.jmail.cleanup.MessageOrigin;
import org.jmail.util.EnhancedStatus;
import org.jmail.util.LogText;

/**
 * The SMTP server protocol engine for one connection (Postfix's smtpd_proto): a state machine
 * fed command lines and content, producing replies into {@link Replies}. It does no I/O of its
 * own, so it is tested by feeding lines; {@link Smtpd} is the network shell around it.
 *
 * <p>Protocol, as Postfix 3 answers it: commands are matched case-insensitively against the
 * table of {@link SmtpCommand}s; an empty line gets {@code 500 5.5.2 Error: bad syntax}, an
 * unknown command {@code 500 5.5.2 Error: command not recognized}, a header-looking line
 * ({@code Subject: ...}) {@code 221 2.7.0 Error: I can break rules, too. Goodbye.} Every
 * failed command counts as an error: from {@code smtpd_soft_error_limit} errors on each reply
 * is delayed by {@code smtpd_error_sleep_time}; at {@code smtpd_hard_error_limit} the session
 * ends with {@code 421 4.7.0 host Error: too many errors}. A 421 or 521 reply always ends the
 * session ({@link #hangup()}).
 *
 * <p>TLS and SASL: STARTTLS ({@link StartTlsCommand}) forgets the HELO name, the transaction
 * and any login, then asks the shell for the handshake ({@link #takeStartTls}), which reports
 * back with {@link #tlsStarted} or {@link #tlsFailed}. With {@code smtpd_tls_security_level =
 * encrypt} every command but HELO, EHLO, STARTTLS, NOOP and QUIT is answered {@code 530 5.7.0
 * Must issue a STARTTLS command first} until TLS is up. AUTH ({@link AuthCommand}) may take
 * several lines: while an exchange is pending, {@link #command} takes each line as the client's
 * SASL response. Without a {@link SaslGlue} (the constructor leaves it null: {@code sendmail
 * -bs}, tests) AUTH is "not enabled" and no TLS is offered.
 *
 * <p>Life cycle: {@link #greet()}, then {@link #command}/{@link #dataLine}/{@link #bdatContent}
 * as {@link #inData()} and {@link #bdatRemaining()} direct, then exactly one {@link #close()},
 * which aborts an unfinished queue file and logs the disconnect line with command counts.
 * {@link #timeout()} and {@link #lostConnection()} record why a session ended early. Not
 * thread-safe: one session belongs to one connection.
 */
final class SmtpSession implements SessionFacts {

    /** Sleeps for the error delay; replaceable so tests need not wait. */
    @FunctionalInterface
    interface Pause {
        void pause(Duration d);

        Pause SLEEP = d -> {
            try {
                Thread.sleep(d.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    /** One entry of the command table, with Postfix's flags. */
    record Spec(String name, SmtpCommand command, boolean junk, boolean lastInGroup) {
    }

    private static final Map<String, Spec> COMMANDS = new LinkedHashMap<>();

    static {
        add(new Spec("HELO", new HeloCommand(false), true, true));
        add(new Spec("EHLO", new HeloCommand(true), true, true));
        add(new Spec("STARTTLS", new StartTlsCommand(), false, false));
        add(new Spec("AUTH", new AuthCommand(), false, false));
        add(new Spec("MAIL", new MailCommand(), false, false));
        add(new Spec("RCPT", new RcptCommand(), false, false));
        add(new Spec("DATA", new DataCommand(), false, true));
        add(new Spec("BDAT", new BdatCommand(), false, false));
        add(new Spec("RSET", new RsetCommand(), true, false));
        add(new Spec("NOOP", new NoopCommand(), true, true));
        add(new Spec("VRFY", new VrfyCommand(), true, true));
        add(new Spec("ETRN", new EtrnCommand(), true, false));
        add(new Spec("QUIT", new QuitCommand(), false, false));
    }

    private static void add(Spec s) {
        COMMANDS.put(s.name(), s);
    }

    /** Commands allowed before STARTTLS when smtpd_tls_security_level = encrypt (Postfix's PRE_TLS flag). */
    private static final java.util.Set<String> PRE_TLS = java.util.Set.of("HELO", "EHLO", "STARTTLS", "NOOP", "QUIT");

    /** Postfix's names for where a session is between commands. */
    static final String WHERE_CONNECT = "CONNECT";
    static final String WHERE_DATA_CONTENT = "DATA content";
    static final String WHERE_BDAT_CONTENT = "BDAT content";
    static final String WHERE_END_OF_MESSAGE = "END-OF-MESSAGE";
    static final String WHERE_UNKNOWN = "UNKNOWN";

    static final SmtpdLog LOG = SmtpdLog.INSTANCE;

    final SmtpdSettings settings;
    final SmtpdChecks checks;
    final CleanupService cleanup;
    final ClientInfo client;
    final Replies replies = new Replies();
    final CommandStats stats = new CommandStats();
    final Clock clock;
    private final Pause pause;

    /** Anvil's counts for this client, or null when it is in smtpd_client_event_limit_exceptions. */
    ClientLimits limits;
    private boolean counted;
    String heloName;
    String protocol = "SMTP";
    String where = WHERE_CONNECT;
    Transaction tx;
    int errorCount;
    int junkCommands;
    private boolean hangup;
    private String accessDenied;
    private String reason;
    private boolean improperPipeliningLogged;

    /** Content being received (DATA or BDAT), else null. */
    ContentWriter content;
    /** DATA: the previous piece did not end its line, so no dot processing at this one. */
    private boolean midLine;
    /** DATA: a bare LF was seen while smtpd_forbid_bare_newline applies. */
    private boolean bareLfInContent;
    /** BDAT (CHUNKING) transfer state. */
    final BdatReceiver bdat = new BdatReceiver();
    private final boolean bareLfForbidden;

    /** SASL policy and passdb access; null: AUTH is not enabled (sendmail -bs, tests). */
    SaslGlue sasl;
    /** The shell can run a TLS handshake (a certificate is configured and loads). */
    boolean tlsAvailable;
    /** The server end of the connection, for the auth service's "secured" rule; may be null. */
    java.net.InetSocketAddress localAddress;
    /** "TLSv1.3 with cipher ... (256/256 bits)" once TLS is active, else null. */
    String tlsInfo;
    /** STARTTLS was accepted: the shell must hand the connection to TLS before reading on. */
    boolean startTlsPending;
    /** The SASL login name and mechanism after a successful AUTH, else null. */
    String saslUsername;
    String saslMethod;
    /** An AUTH exchange waiting for the client's next response line, else null. */
    AuthCommand.Exchange authExchange;
    private boolean connectLogged;

    SmtpSession(SmtpdSettings settings, SmtpdChecks checks, CleanupService cleanup, ClientInfo client,
                boolean bareLfForbidden, Pause pause, Clock clock) {
        this.settings = settings;
        this.checks = checks;
        this.cleanup = cleanup;
        this.client = client;
        this.bareLfForbidden = bareLfForbidden;
        this.pause = pause;
        this.clock = clock;
    }

    // ---------------------------------------------------------------- SessionFacts

    @Override
    public ClientInfo client() {
        return client;
    }

    @Override
    public String helo() {
        return heloName;
    }

    @Override
    public String sender() {
        return tx == null ? null : tx.sender;
    }

    @Override
    public String protocol() {
        return protocol;
    }

    @Override
    public String where() {
        return where;
    }

    @Override
    public String queueId() {
        return tx == null ? null : tx.queueId();
    }

    @Override
    public String saslUser() {
        return saslUsername;
    }

    /** TLS is active on this connection. */
    boolean tls() {
        return tlsInfo != null;
    }

    /**
     * The protocol name for Received: and the queue file: ESMTP becomes ESMTPS inside TLS,
     * ESMTPA after AUTH, ESMTPSA with both (RFC 3848, as Postfix writes it).
     */
    String receivedProtocol() {
        if (!protocol.equals("ESMTP")) {
            return protocol;
        }
        return protocol + (tlsInfo != null ? "S" : "") + (saslUsername != null ? "A" : "");
    }

    // ---------------------------------------------------------------- life cycle

    Replies replies() {
        return replies;
    }

    boolean hangup() {
        return hangup;
    }

    /** DATA content is expected: feed it to {@link #dataLine}. */
    boolean inData() {
        return content != null && !bdat.active();
    }

    /** Bytes of a BDAT chunk still expected: feed them to {@link #bdatContent}. */
    long bdatRemaining() {
        return bdat.remaining();
    }

    /** Logs the "connect from" line (once); {@link #greet} does it when the shell didn't. */
    void logConnect() {
        if (!connectLogged) {
            connectLogged = true;
            LOG.info("connect from " + client.namaddr());
        }
    }

    /** The shell asks whether STARTTLS was accepted (and clears the request). */
    boolean takeStartTls() {
        boolean p = startTlsPending;
        startTlsPending = false;
        return p;
    }

    /**
     * TLS is up (after STARTTLS, or at connect in wrapper mode): logs Postfix's line. Everything
     * learned before the handshake was already forgotten by STARTTLS (RFC 3207 4.2).
     */
    void tlsStarted(String description) {
        tlsInfo = description;
        LOG.info("Anonymous TLS connection established from " + client.namaddr() + ": " + description);
    }

    /** The TLS handshake failed: the conversation is in an unknown state; the session ends. */
    void tlsFailed(String why) {
        LOG.info("SSL_accept error from " + client.namaddr() + ": " + why);
        reason = "lost connection";
        hangup = true;
    }

    /** Logs the connection and sends the greeting (or the client restriction's reject). */
    void greet() {
        logConnect();
        if (limits != null && !counted) {
            counted = true;
            String refused = limits.connect(client);
            if (refused != null) {
                reply(refused); // 421: the session ends
                return;
            }
        }
        if (!settings.delayReject) {
            String err = checks.checkClient(this);
            if (err != null) {
                accessDenied = err;
                reply(err);
                errorCount++;
                return;
            }
        }
        reply("220 " + settings.banner);
    }

    /**
     * One command line.
     *
     * @param line       the line without CR LF (truncated to line_length_limit when too long)
     * @param tooLong    the client sent more than line_length_limit; the rest was discarded
     * @param bareLf     the line ended in LF without CR
     * @param pipelined  asked only when the improper-pipelining check needs it: the first bytes
     *                   the client already sent after this line, or null when nothing is pending
     *                   (the supplier itself may be null: never pending)
     */
    void command(String line, boolean tooLong, boolean bareLf, Supplier<String> pipelined) {
        if (hangup) {
            return;
        }
        if (authExchange != null) {
            // a SASL response line, not a command (RFC 4954 4)
            AuthCommand.response(this, line);
            afterCommand();
            return;
        }
        if (tooLong) {
            LOG.warn(client.namaddr() + ": request longer than " + settings.lineLengthLimit + ": "
                    + printable(line.length() > 30 ? line.substring(0, 30) : line) + "...");
        }
        if (bareLf && bareLfForbidden) {
            bareLfRejected();
            return;
        }
        int start = 0;
        while (start < line.length() && (line.charAt(start) == ' ' || line.charAt(start) == '\t')) {
            start++;
        }
        int end = start;
        while (end < line.length() && line.charAt(end) != ' ' && line.charAt(end) != '\t') {
            end++;
        }
        if (start == end) {
            reply("500 5.5.2 Error: bad syntax");
            errorCount++;
            afterCommand();
            return;
        }
        String word = line.substring(start, end);
        String args = line.substring(end).strip();
        Spec spec = COMMANDS.get(word.toUpperCase(Locale.ROOT));
        if (spec == null) {
            where = WHERE_UNKNOWN;
            if (looksLikeHeader(word)) {
                LOG.warn("non-SMTP command from " + client.namaddr() + ": "
                        + printable(line.length() > 100 ? line.substring(0, 100) : line));
                reply("221 2.7.0 Error: I can break rules, too. Goodbye.");
                hangup = true;
                return;
            }
        }
        if (accessDenied != null && (spec == null || !spec.name().equals("QUIT"))) {
            if (accessDenied.startsWith("421") || accessDenied.startsWith("521")) {
                reply(accessDenied);
            } else {
                reply("503 5.7.0 Error: access denied for " + client.namaddr());
                errorCount++;
            }
            stats.record(spec == null ? "unknown" : spec.name().toLowerCase(Locale.ROOT), false);
            afterCommand();
            return;
        }
        if (spec == null) {
            reply("500 5.5.2 Error: command not recognized");
            stats.record("unknown", false);
            errorCount++;
            afterCommand();
            return;
        }
        where = spec.name();
        if (settings.tlsLevel == TlsLevel.ENCRYPT && tlsInfo == null && !PRE_TLS.contains(spec.name())) {
            reply("530 5.7.0 Must issue a STARTTLS command first");
            record(spec.name(), false);
            afterCommand();
            return;
        }
        String early;
        if (pipelined != null && !improperPipeliningLogged
                && (!protocol.equals("ESMTP") || spec.lastInGroup()) && (early = pipelined.get()) != null) {
            LOG.info("improper command pipelining after " + spec.name() + " from " + client.namaddr() + ": "
                    + early);
            improperPipeliningLogged = true;
        }
        SmtpCommand.Result result = spec.command().execute(this, args);
        if (result != SmtpCommand.Result.PENDING) {
            record(spec.name(), result == SmtpCommand.Result.OK);
        }
        if (spec.junk() && junkCommands++ > settings.junkCommandLimit) {
            errorCount++;
        }
        if (spec.name().equals("QUIT")) {
            hangup = true;
            return;
        }
        afterCommand();
    }

    @Override
    public boolean illegalPipelining() {
        return improperPipeliningLogged;
    }

    /** Counts a finished command; a failed one is a client error. */
    void record(String command, boolean ok) {
        stats.record(command.toLowerCase(Locale.ROOT), ok);
        if (!ok) {
            errorCount++;
        }
    }

    /** Postfix checks the error limit before reading each command. */
    void afterCommand() {
        if (!hangup && !inData() && bdat.remaining() == 0 && errorCount >= settings.hardErrorLimit) {
            reason = "too many errors";
            reply("421 4.7.0 " + settings.myhostname + " Error: too many errors");
        }
    }

    /**
     * One piece of DATA content: a whole line (without its terminator) or, for a long line, a
     * chunk of it ({@code endOfLine} false). Dot-stuffing is undone here and the lone "." ends
     * the message.
     */
    void dataLine(byte[] b, int off, int len, boolean endOfLine, boolean bareLf) {
        if (!midLine && len > 0 && b[off] == '.') {
            if (len == 1 && endOfLine) {
                if (bareLf && bareLfForbidden) {
                    bareLfInContent = true;
                }
                endOfContent(WHERE_DATA_CONTENT);
                return;
            }
            off++;
            len--;
        }
        if (bareLf && bareLfForbidden) {
            bareLfInContent = true;
        }
        content.fragment(b, off, len, endOfLine);
        midLine = !endOfLine;
    }

    /** Starts DATA content after the 354 reply. */
    void beginData(ContentWriter writer) {
        content = writer;
        midLine = false;
        bareLfInContent = false;
        where = WHERE_DATA_CONTENT;
    }

    /** Raw bytes of the current BDAT chunk (at most {@link #bdatRemaining()}). */
    void bdatContent(byte[] b, int off, int len) {
        bdat.take(this, b, off, len);
    }

    /**
     * The end of a message: DATA's final dot, or the last byte of BDAT LAST. Commits the queue
     * file, replies with the outcome and resets the transaction, as Postfix's data_cmd ends.
     */
    void endOfContent(String contentWhere) {
        boolean isBdat = contentWhere.equals(WHERE_BDAT_CONTENT);
        String command = isBdat ? "BDAT" : "DATA";
        ContentWriter w = content;
        content = null;
        where = WHERE_END_OF_MESSAGE;
        w.finish();
        // smtpd_end_of_data_restrictions: evaluated while the queue id is still known for the log
        String endOfDataReject = tx.cleanup == null || w.tooBig() || w.writeFailed() || bareLfInContent ? null
                : checks.checkEndOfData(this, tx.sender, tx.recipientCount == 1 ? tx.firstRecipient : null);
        Transaction t = tx;
        long bdatBytes = bdat.total();
        tx = null;
        bdat.reset();
        if (bareLfInContent) {
            t.abort();
            record(command, false);
            bareLfRejected();
            return;
        }
        String reply;
        boolean ok = false;
        if (w.tooBig()) {
            t.abort();
            reply = "552 5.3.4 Error: message file too big";
        } else if (w.writeFailed() || t.writeError) {
            t.abort();
            reply = "451 4.3.0 Error: queue file write error";
        } else if (endOfDataReject != null) {
            t.abort();
            reply = endOfDataReject;
        } else {
            try {
                t.cleanup.commit();
                ok = true;
                reply = isBdat ? "250 2.0.0 Ok: " + bdatBytes + " bytes queued as " + t.queueId()
                        : "250 2.0.0 Ok: queued as " + t.queueId();
            } catch (CleanupException e) {
                t.abort();
                reply = e.reply();
            } catch (IOException | RuntimeException e) {
                LOG.warn(t.queueId() + ": cleanup commit failed: " + e);
                t.abort();
                reply = "451 4.3.0 Error: queue file write error";
            }
        }
        if (ok) {
            // Postfix forgives earlier client errors once a message got through
            errorCount = 0;
            junkCommands = 0;
        }
        reply(reply);
        record(command, ok);
        afterCommand();
    }

    private void bareLfRejected() {
        reply("521 5.5.2 " + settings.myhostname + " Error: bare <LF> received");
        hangup = true;
    }

    /** The client went silent for smtpd_timeout. */
    void timeout() {
        reason = "timeout";
        if (!hangup) {
            reply("421 4.4.2 " + settings.myhostname + " Error: timeout exceeded");
        }
    }

    /** A bug or resource failure inside jmail: tell the client to come back later (Postfix's wording). */
    void localError(Throwable t) {
        LOG.warn("internal error while serving " + client.namaddr() + " after " + where + ": " + t);
        if (!hangup) {
            reply("421 4.3.0 " + settings.myhostname + " Server local error");
        }
    }

    /** The client closed the connection (or it broke) without QUIT. */
    void lostConnection() {
        if (reason == null) {
            reason = "lost connection";
        }
    }

    /** Ends the session: aborts an unfinished message and logs like Postfix. */
    void close() {
        if (reason != null) {
            if (where.equals(WHERE_DATA_CONTENT) || where.equals(WHERE_BDAT_CONTENT)) {
                long bytes = content == null ? 0 : content.size();
                LOG.info(reason + " after " + (where.equals(WHERE_DATA_CONTENT) ? "DATA" : "BDAT") + " (" + bytes
                        + " bytes) from " + client.namaddr());
            } else if (!where.equals(WHERE_END_OF_MESSAGE) || !reason.equals("lost connection")) {
                LOG.info(reason + " after " + where + " from " + client.namaddr());
            }
        }
        resetTransaction();
        if (counted) {
            limits.disconnect(client);
        }
        LOG.info("disconnect from " + client.namaddr() + stats.format());
    }

    // ---------------------------------------------------------------- helpers for commands

    /**
     * Queues a reply. From the soft error limit on, each reply waits smtpd_error_sleep_time
     * first (and is sent at once). With soft_bounce, 5xx becomes 4xx (and 5.x.x 4.x.x), as
     * Postfix's smtpd_chat_reply does. 421 and 521 end the session.
     */
    void reply(String text) {
        if (errorCount >= settings.softErrorLimit && !settings.errorSleepTime.isZero()) {
            pause.pause(settings.errorSleepTime);
            replies.markUrgent();
        }
        if (settings.softBounce && text.length() > 4 && text.charAt(0) == '5') {
            char[] c = text.toCharArray();
            c[0] = '4';
            if (c[4] == '5' && c.length > 5 && c[5] == '.') {
                c[4] = '4';
            }
            text = new String(c);
        }
        if (settings.discardEhloKeywords.contains("enhancedstatuscodes")) {
            text = stripEnhancedCode(text);
        }
        // replies quote client text (an unsupported option, a name): a bare CR or other
        // control in it would break the reply line, so it goes out as '?' (Postfix's printable)
        replies.add(printable(text));
        if (text.startsWith("421") || text.startsWith("521")) {
            hangup = true;
        }
    }

    /** A multi-line reply (EHLO): one error delay for the whole reply. */
    void replyLines(java.util.List<String> lines) {
        if (errorCount >= settings.softErrorLimit && !settings.errorSleepTime.isZero()) {
            pause.pause(settings.errorSleepTime);
            replies.markUrgent();
        }
        for (String l : lines) {
            replies.add(l);
        }
    }

    /** Waits (the SASL failure delay) through the replaceable pause. */
    void sleep(Duration d) {
        if (!d.isZero() && !d.isNegative()) {
            pause.pause(d);
        }
    }

    /** Ends the mail transaction: RSET, HELO/EHLO, end of message, disconnect. */
    void resetTransaction() {
        if (tx != null) {
            tx.abort();
            tx = null;
        }
        content = null;
        bdat.reset();
    }

    /** The origin cleanup records for the message (client, HELO, protocol). */
    MessageOrigin origin() {
        return new MessageOrigin(client.name(), client.addr(), client.port(), heloName, receivedProtocol(),
                tlsInfo == null ? null : "(using " + tlsInfo + ")", saslUsername, null, saslMethod);
    }

    private static String stripEnhancedCode(String text) {
        // "550 5.1.1 text" -> "550 text"
        // (every reply of a HELO session comes here: no regular expression)
        if (text.length() > 10 && text.charAt(3) == ' ') {
            int n = EnhancedStatus.length(text, 4);
            if (n > 0 && 4 + n < text.length() && text.charAt(4 + n) == ' ') {
                return text.substring(0, 4) + text.substring(4 + n + 1);
            }
        }
        return text;
    }

    /** Postfix's is_header(): a word like "Subject:" or "From:" sent as a command. */
    private static boolean looksLikeHeader(String word) {
        int colon = word.indexOf(':');
        if (colon <= 0 || colon != word.length() - 1) {
            return false;
        }
        for (int i = 0; i < colon; i++) {
            char c = word.charAt(i);
            if (c <= ' ' || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }

    /** Non-printable characters as '?', for log lines (Postfix's printable()). */
    static String printable(String s) {
        return LogText.printable(s);
    }
}
