package org.jmail.pop3;

import java.io.IOException;
import java.util.Locale;
import org.jmail.auth.AuthUser;
import org.jmail.auth.Authenticator;
import org.jmail.log.MailLog;
import org.jmail.store.MailStore;
import org.jmail.store.MailStores;
import org.jmail.store.Mailbox;
import org.jmail.store.StoreException;

/**
 * One POP3 connection's protocol core: lines in, replies out (into a {@link Pop3Output}), no
 * sockets. It starts in Dovecot's pop3-login role ({@link Pop3Login}); after a successful
 * login it opens the user's INBOX and becomes Dovecot's pop3 process ({@link Pop3Maildrop}).
 * The shell around it reads lines, performs STLS when told, and always calls {@link #end}.
 *
 * <p>Limits as Dovecot's: a login line over 8 KiB or a command line over 2 KiB ends the
 * session; 3 unknown commands in a row before login, 20 bad commands in a row after it, end
 * the session. Every way a session ends writes exactly one of Dovecot's log lines:
 * pop3-login's "Disconnected (auth failed, …)"/"Aborted login (…)" before login,
 * pop3's "pop3(user)&lt;pid&gt;&lt;session&gt;: Disconnected: Logged out top=…, retr=…, del=…,
 * size=…" after it. Not thread-safe.
 */
final class Pop3Session {

    /** What the shell does after a line. */
    enum Next { CONTINUE, STARTTLS, CLOSE }

    static final int LOGIN_LINE_LIMIT = 8192;
    static final int COMMAND_LINE_LIMIT = 2048;
    static final int LOGIN_MAX_BAD_COMMANDS = 3;
    static final int MAX_BAD_COMMANDS = 20;
    static final String INTERNAL_ERROR = "Internal error occurred. Refer to server log for more information.";

    private static final MailLog POP3_LOG = MailLog.of("pop3");

    private final Pop3Settings settings;
    private final MailStores stores;
    private final ClientFacts client;
    private final Pop3Output out;
    private final Pop3Login login;
    private final Pop3Login.Nanos clock;
    private final SessionRegistry registry;
    private AuthUser user;
    private MailStore store;
    private Mailbox mailbox;
    private Pop3Maildrop maildrop;
    private boolean locked;
    private boolean counted;
    private int badCommands;
    private boolean ended;
    private String endReason; // set when the session itself decided to end

    Pop3Session(Pop3Settings settings, Authenticator authenticator, MailStores stores, ClientFacts client,
                Pop3Output out, boolean tlsAvailable, Pop3Login.Pause pause, Pop3Login.Nanos clock,
                SessionRegistry registry) {
        this.settings = settings;
        this.stores = stores;
        this.client = client;
        this.out = out;
        this.clock = clock;
        this.registry = registry;
        this.login = new Pop3Login(settings, authenticator, client, out, tlsAvailable, pause, clock);
    }

    void greet() throws IOException {
        out.line("+OK " + settings.loginGreeting());
    }

    boolean loggedIn() {
        return maildrop != null;
    }

    /** The longest line the current state accepts. */
    int lineLimit() {
        return maildrop == null ? LOGIN_LINE_LIMIT : COMMAND_LINE_LIMIT;
    }

    /** The prefix of the pop3 process's log lines: "pop3(user)<pid><session>: ". */
    String logPrefix() {
        return "pop3(" + (user == null ? "" : user.name()) + ")<" + MailLog.pid() + "><" + client.sessionId + ">: ";
    }

    Next line(String line) throws IOException {
        if (maildrop == null) {
            return loginLine(line);
        }
        int sp = line.indexOf(' ');
        String name = (sp < 0 ? line : line.substring(0, sp)).toUpperCase(Locale.ROOT);
        String args = sp < 0 ? "" : line.substring(sp + 1).stripLeading();
        if (maildrop.execute(name, args)) {
            badCommands = 0;
        } else if (++badCommands > MAX_BAD_COMMANDS) {
            out.line("-ERR Too many bad commands.");
            endReason = "Disconnected: Too many bad commands.";
            return Next.CLOSE;
        }
        if (maildrop.quitSeen()) {
            endReason = maildrop.quitError() == null ? "Disconnected: Logged out"
                    : "Disconnected: Storage error during logout.";
            return Next.CLOSE;
        }
        return Next.CONTINUE;
    }

    private Next loginLine(String line) throws IOException {
        Pop3Login.Outcome o = login.line(line);
        switch (o) {
            case BAD_COMMAND:
                if (++badCommands >= LOGIN_MAX_BAD_COMMANDS) {
                    out.line("-ERR Too many invalid bad commands.");
                    endReason = "Disconnected: Too many bad commands";
                    return Next.CLOSE;
                }
                return Next.CONTINUE;
            case STARTTLS:
                badCommands = 0;
                return Next.STARTTLS;
            case QUIT:
                endReason = "Aborted login";
                return Next.CLOSE;
            case AUTHENTICATED:
                badCommands = 0;
                return startMailSession(login.user());
            default:
                badCommands = 0;
                return Next.CONTINUE;
        }
    }

    /** After a successful login: the per-user limits, then the INBOX snapshot, then "+OK Logged in.". */
    private Next startMailSession(AuthUser u) throws IOException {
        if (!registry.enter(u.name(), client.remoteIp, settings.maxUserIpConnections())) {
            login.rejectAfterAuth();
            out.line("-ERR [IN-USE] Maximum number of connections from user+IP exceeded (mail_max_userip_connections="
                    + settings.maxUserIpConnections() + ")");
            return Next.CONTINUE;
        }
        counted = true;
        user = u;
        LoginLog.LOG.info(LoginLog.login(client, u.name()));
        if (settings.lockSession()) {
            if (!registry.lock(u.name())) {
                out.line("-ERR [IN-USE] Mailbox is locked by another POP3 session.");
                POP3_LOG.info(logPrefix() + "Couldn't lock POP3 session");
                endReason = "";
                return Next.CLOSE;
            }
            locked = true;
        }
        try {
            store = stores.open(u);
            mailbox = store.open("INBOX", false);
        } catch (StoreException e) {
            out.line((Pop3Maildrop.temporary(e) ? "-ERR [SYS/TEMP] " : "-ERR [SYS/PERM] ") + e.getMessage());
            POP3_LOG.error(logPrefix() + "Couldn't open INBOX: " + e.getMessage());
            endReason = "";
            return Next.CLOSE;
        }
        maildrop = new Pop3Maildrop(settings, mailbox, out);
        out.line("+OK Logged in.");
        return Next.CONTINUE;
    }

    /** A line longer than {@link #lineLimit}: Dovecot answers and hangs up. */
    void lineTooLong() throws IOException {
        if (maildrop == null) {
            out.line("-ERR Input buffer full, aborting");
            endReason = "Disconnected: Input buffer full";
        } else {
            out.line("-ERR Input line too long.");
            endReason = "Input line too long";
        }
    }

    /** STLS handshake done: the connection is secured from now on. */
    void tlsStarted() {
        client.tls = true;
    }

    /** The STLS handshake failed; the connection is unusable. */
    void tlsFailed(String why) {
        endReason = "Disconnected: TLS handshaking: " + why;
    }

    /** No command for the idle timeout (login: 3 minutes; after login: Dovecot's 10 minutes). */
    void idleTimeout() throws IOException {
        out.line("-ERR Disconnected for inactivity.");
        endReason = maildrop == null ? "Disconnected: Inactivity" : "Disconnected for inactivity";
    }

    /** The client stopped reading our output for the idle timeout; the socket is closed. */
    void outputTimeout() {
        endReason = maildrop == null ? "Disconnected: Inactivity" : "Disconnected for inactivity in reading our output";
    }

    /** Something broke on our side: tell the client (if it still listens) and end. */
    void internalError(Exception e) {
        POP3_LOG.error(logPrefix() + "Internal error: " + e);
        try {
            out.line("-ERR [SYS/TEMP] " + INTERNAL_ERROR);
        } catch (IOException ignored) {
            // the client is gone as well
        }
        endReason = "Disconnected: Internal error";
    }

    /**
     * Ends the session (always called once, also after the client vanished): saves the \Seen
     * flags of a session without QUIT, closes the mailbox and writes the log line.
     */
    void end() {
        if (ended) {
            return;
        }
        ended = true;
        long now = clock.now();
        if (maildrop != null) {
            if (!maildrop.quitSeen()) {
                try {
                    maildrop.saveSeenFlags();
                } catch (StoreException e) {
                    POP3_LOG.error(logPrefix() + "Couldn't save \\Seen flags: " + e.getMessage());
                }
            }
            String reason = endReason == null ? "Connection closed" : endReason;
            POP3_LOG.info(logPrefix() + reason + " " + maildrop.stats());
        } else if (user == null) {
            String reason = endReason == null ? "Disconnected" : endReason;
            LoginLog.LOG.info(LoginLog.disconnect(client, reason, now));
        }
        try {
            if (mailbox != null) {
                mailbox.close();
            }
            if (store != null) {
                store.close();
            }
        } finally {
            if (locked) {
                registry.unlock(user.name());
            }
            if (counted) {
                registry.leave(user.name(), client.remoteIp);
            }
        }
    }
}
