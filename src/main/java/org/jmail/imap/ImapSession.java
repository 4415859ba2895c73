package org.jmail.imap;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.jmail.auth.AuthRequest;
import org.jmail.auth.AuthResult;
import org.jmail.auth.AuthUser;
import org.jmail.auth.Authenticator;
import org.jmail.auth.SaslServer;
import org.jmail.log.MailLog;
import org.jmail.store.MailStore;
import org.jmail.store.MailStores;
import org.jmail.store.StoreException;

/**
 * One IMAP connection from greeting to BYE: Dovecot's imap-login (CAPABILITY, STARTTLS,
 * LOGIN, AUTHENTICATE, ID) followed by its imap process (everything after login). Reads
 * commands through {@link ImapParser}, answers through {@link ImapWriter}; the
 * per-command work is in {@link MailboxCommands}, {@link SelectedCommands},
 * {@link FetchCommand} and {@link SearchCommand}. Knows no sockets: {@link ImapTransport}
 * gives it streams, so tests feed it bytes.
 *
 * <p>Failure modes: every exception inside a command becomes a tagged NO/BAD (or a BYE for
 * I/O trouble); too many invalid commands (3 before login, 20 after, as Dovecot) end the
 * connection with "* BYE Too many invalid IMAP commands."; so do 3 failed logins.
 */
final class ImapSession {

    enum State { NOT_AUTHENTICATED, AUTHENTICATED, SELECTED, LOGOUT }

    static final int MAX_BAD_PRE_LOGIN = 3;
    static final int MAX_BAD = 20;
    private static final SecureRandom RANDOM = new SecureRandom();

    final ImapSettings settings;
    private final Authenticator authenticator;
    private final MailStores stores;
    final ImapTransport transport;
    final ImapInput in;
    final ImapWriter out;
    private final ImapParser parser;
    private final UserIpLimiter limiter;
    final String sessionId;
    private final long started = System.nanoTime();

    State state = State.NOT_AUTHENTICATED;
    AuthUser user;
    MailStore store;
    SelectedMailbox selected;
    private String limiterKey;
    private int badCount;
    private int authAttempts;
    private String lastAuthUser;
    private String lastAuthMethod;
    private boolean triedDisallowedPlaintext;
    private boolean logoutCommand;
    private String running;
    private long commandStart;
    final Stats stats = new Stats();

    /** Counters for the logout line (Dovecot's imap_logout_format). */
    static final class Stats {
        long deleted;
        long expunged;
        long trashed;
        long hdrCount;
        long hdrBytes;
        long bodyCount;
        long bodyBytes;
    }

    ImapSession(ImapSettings settings, Authenticator authenticator, MailStores stores, ImapTransport transport,
                UserIpLimiter limiter) throws IOException {
        this.settings = settings;
        this.authenticator = authenticator;
        this.stores = stores;
        this.transport = transport;
        this.limiter = limiter;
        this.in = new ImapInput(transport.input());
        this.out = new ImapWriter(transport.output());
        this.parser = new ImapParser(in, settings.maxLineLength(), settings.appendLimit(), () -> {
            out.line("+ OK");
            out.flush();
        });
        byte[] id = new byte[12];
        RANDOM.nextBytes(id);
        this.sessionId = Base64.getEncoder().withoutPadding().encodeToString(id);
    }

    /** Runs the session to its end; never throws for protocol or client trouble. */
    void run() {
        String endReason = "Connection closed";
        try {
            transport.setReadTimeout((int) settings.loginTimeout().toMillis());
            out.line("* OK [CAPABILITY " + preLoginCapability() + "] " + settings.greeting());
            out.flush();
            while (state != State.LOGOUT) {
                ImapCommand cmd;
                try {
                    cmd = parser.read();
                } catch (ImapParser.Error e) {
                    if (!parseError(e)) {
                        endReason = e.fatal ? e.getMessage() : "Too many invalid IMAP commands.";
                        break;
                    }
                    continue;
                }
                if (cmd == null) {
                    break;
                }
                commandStart = System.nanoTime();
                running = cmd.name();
                execute(cmd);
                running = null;
                if (!in.buffered()) {
                    out.flush();
                }
            }
            out.flush();
        } catch (SocketTimeoutException e) {
            long idle = (loggedIn() ? settings.autologout() : settings.loginTimeout()).toSeconds();
            endReason = loggedIn() ? "Inactivity - no input for " + idle + " secs" : "Inactivity";
            try {
                out.line("* BYE Disconnected for inactivity.");
                out.flush();
            } catch (IOException ignored) {
                // the client is gone
            }
        } catch (EOFException | SocketException e) {
            // Dovecot names the command the client vanished in: "Disconnected in IDLE"
            String in = running != null ? running : parser.inProgress();
            endReason = in != null && (in.equals("IDLE") || in.equals("APPEND")) ? "in " + in : "Connection closed";
        } catch (IOException e) {
            endReason = "Connection closed: " + e.getMessage();
        } catch (RuntimeException e) {
            MailLog.of("imap").error("session " + sessionId + ": internal error: " + e);
            endReason = "Internal error";
            try {
                out.line("* BYE Internal error occurred. Refer to server log for more information.");
                out.flush();
            } catch (IOException ignored) {
                // nothing more to do
            }
        } finally {
            finish(endReason);
        }
    }

    private void finish(String endReason) {
        if (selected != null) {
            try {
                selected.box.close();
            } catch (RuntimeException e) {
                LoginLog.warn("closing mailbox: " + e);
            }
            selected = null;
        }
        if (store != null) {
            try {
                store.close();
            } catch (RuntimeException e) {
                LoginLog.warn("closing mail store: " + e);
            }
        }
        if (limiterKey != null) {
            limiter.release(limiterKey);
        }
        if (user != null) {
            String counters = "in=" + in.bytesIn() + " out=" + out.bytesOut() + " deleted=" + stats.deleted
                    + " expunged=" + stats.expunged + " trashed=" + stats.trashed + " hdr_count=" + stats.hdrCount
                    + " hdr_bytes=" + stats.hdrBytes + " body_count=" + stats.bodyCount + " body_bytes="
                    + stats.bodyBytes;
            if (logoutCommand) {
                LoginLog.session(user.name(), sessionId, "Logged out " + counters);
            } else {
                LoginLog.session(user.name(), sessionId, (endReason.startsWith("in ") ? "Disconnected "
                        : "Disconnected: ") + endReason + " " + counters);
            }
        } else {
            long secs = (System.nanoTime() - started) / 1_000_000_000L;
            String reason;
            if (triedDisallowedPlaintext && authAttempts == 0) {
                reason = "(tried to use disallowed plaintext auth)";
            } else if (authAttempts == 0) {
                reason = "(no auth attempts in " + secs + " secs)";
            } else {
                reason = "(auth failed, " + authAttempts + " attempts in " + secs + " secs)";
            }
            String prefix = endReason.startsWith("Too many invalid") ? ": Too many invalid commands"
                    : endReason.equals("Inactivity") ? ": Inactivity" : "";
            LoginLog.loginDisconnected(prefix.isEmpty() ? reason : prefix + " " + reason,
                    LoginLog.elements(lastAuthUser, lastAuthMethod, transport.remote(), transport.local(), null,
                            transport.tls(), transport.secured(), sessionId));
        }
    }

    // ---------------------------------------------------------------- responses

    boolean loggedIn() {
        return state == State.AUTHENTICATED || state == State.SELECTED;
    }

    /** A tagged reply; after login with Dovecot's timing suffix "(0.001 + 0.000 secs)." */
    void tagged(String tag, String text) throws IOException {
        // one presized builder: this runs for every command (a hostile client sends thousands)
        StringBuilder sb = new StringBuilder(tag.length() + text.length() + 32).append(tag).append(' ');
        if (loggedIn() || state == State.LOGOUT && user != null) {
            long micros = (System.nanoTime() - commandStart) / 1000;
            long ms = (micros + 999) / 1000;
            sb.append(text, 0, text.endsWith(".") ? text.length() - 1 : text.length())
                    .append(" (").append(ms / 1000).append('.');
            long frac = ms % 1000;
            if (frac < 100) {
                sb.append(frac < 10 ? "00" : "0");
            }
            sb.append(frac).append(" + 0.000 secs).");
        } else {
            sb.append(text);
        }
        out.line(sb.toString());
    }

    void untagged(String text) throws IOException {
        out.line("* " + text);
    }

    /** Returns false when the connection must end. */
    private boolean parseError(ImapParser.Error e) throws IOException {
        if (e.fatal) {
            out.line("* BYE " + e.getMessage());
            out.flush();
            return false;
        }
        String tag = e.tag == null ? "*" : e.tag;
        if (e.literalTooBig) {
            commandStart = System.nanoTime();
            tagged(tag, (e.name != null && e.name.equals("APPEND") ? "NO " : "BAD ") + e.getMessage());
            out.flush();
            return true;
        }
        return bad(tag, e.name, e.getMessage());
    }

    /** BAD reply with Dovecot's wording; false when this was one bad command too many. */
    boolean bad(String tag, String name, String msg) throws IOException {
        commandStart = commandStart == 0 ? System.nanoTime() : commandStart;
        if (!loggedIn()) {
            if (++badCount >= MAX_BAD_PRE_LOGIN) {
                out.line("* BYE Too many invalid IMAP commands.");
                out.flush();
                state = State.LOGOUT;
                return false;
            }
            tagged(tag, "BAD Error in IMAP command received by server.");
            out.flush();
            return true;
        }
        StringBuilder text = new StringBuilder(40 + (name == null ? 0 : name.length()) + msg.length())
                .append("BAD Error in IMAP command");
        if (name != null) {
            text.append(' ').append(name);
        }
        tagged(tag, text.append(": ").append(msg).toString());
        if (++badCount >= MAX_BAD) {
            out.line("* BYE Too many invalid IMAP commands.");
            out.flush();
            state = State.LOGOUT;
            return false;
        }
        return true;
    }

    static String storeError(StoreException e) {
        String code = switch (e.kind()) {
            case NONEXISTENT -> "NONEXISTENT";
            case ALREADYEXISTS -> "ALREADYEXISTS";
            case CANNOT -> "CANNOT";
            case TEMPORARY -> e.getMessage() != null && e.getMessage().toLowerCase(Locale.ROOT).contains("lock")
                    ? "INUSE" : "UNAVAILABLE";
            case OVERQUOTA -> "OVERQUOTA";
            case NOPERM -> "NOPERM";
            case SERVERBUG -> "SERVERBUG";
        };
        String msg = e.getMessage() == null || e.getMessage().isBlank() ? "Internal error occurred." : e.getMessage();
        return "NO [" + code + "] " + msg;
    }

    // ---------------------------------------------------------------- capabilities

    boolean plaintextAllowed() {
        return !settings.disablePlaintextAuth() || transport.secured();
    }

    String preLoginCapability() {
        StringBuilder b = new StringBuilder("IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+");
        if (transport.canStartTls()) {
            b.append(" STARTTLS");
        }
        if (plaintextAllowed()) {
            for (String m : settings.authMechanisms()) {
                b.append(" AUTH=").append(m);
            }
        } else {
            b.append(" LOGINDISABLED");
        }
        return b.toString();
    }

    String postLoginCapability() {
        String base = "IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE UNSELECT CHILDREN NAMESPACE UIDPLUS"
                + " LIST-EXTENDED MOVE LITERAL+ SPECIAL-USE";
        if (store != null && store.quota() != null) {
            base += " QUOTA";
        }
        String cfg = settings.capability();
        if (!cfg.isEmpty()) {
            return cfg.startsWith("+") ? base + " " + cfg.substring(1).strip() : cfg;
        }
        return base;
    }

    // ---------------------------------------------------------------- dispatch

    private void execute(ImapCommand cmd) throws IOException {
        String tag = cmd.tag();
        try {
            boolean known = loggedIn() ? executeLoggedIn(cmd) : executePreLogin(cmd);
            if (!known) {
                bad(tag, cmd.name(), "Unknown command.");
            } else if (loggedIn() || state == State.LOGOUT) {
                badCount = 0;
            }
        } catch (ImapException e) {
            if (e.isBad()) {
                bad(tag, cmd.name(), e.getMessage());
            } else {
                tagged(tag, "NO " + e.getMessage());
            }
        } catch (StoreException e) {
            tagged(tag, storeError(e));
        } catch (IOException e) {
            throw e;
        } catch (RuntimeException e) {
            MailLog.of("imap").error("session " + sessionId + ": " + cmd.name() + " failed: " + e);
            tagged(tag, "NO [SERVERBUG] Internal error occurred. Refer to server log for more information.");
        }
    }

    private boolean executePreLogin(ImapCommand cmd) throws IOException, ImapException {
        String tag = cmd.tag();
        switch (cmd.name()) {
            case "CAPABILITY" -> {
                untagged("CAPABILITY " + preLoginCapability());
                tagged(tag, "OK Pre-login capabilities listed, post-login capabilities have more.");
            }
            case "NOOP" -> tagged(tag, "OK NOOP completed.");
            case "LOGOUT" -> logout(tag);
            case "ID" -> id(tag);
            case "STARTTLS" -> startTls(tag);
            case "LOGIN" -> login(cmd);
            case "AUTHENTICATE" -> authenticate(cmd);
            case "ENABLE" -> tagged(tag, "BAD ENABLE can't be used before authentication.");
            default -> {
                return false;
            }
        }
        return true;
    }

    private boolean executeLoggedIn(ImapCommand cmd) throws IOException, ImapException, StoreException {
        String tag = cmd.tag();
        String name = cmd.name();
        switch (name) {
            case "CAPABILITY" -> {
                untagged("CAPABILITY " + postLoginCapability());
                tagged(tag, "OK Capability completed.");
                return true;
            }
            case "NOOP" -> {
                syncSelected(false);
                tagged(tag, "OK NOOP completed.");
                return true;
            }
            case "LOGOUT" -> {
                logout(tag);
                return true;
            }
            case "ID" -> {
                id(tag);
                return true;
            }
            default -> {
                // fall through to the mailbox commands
            }
        }
        if (MailboxCommands.handles(name)) {
            new MailboxCommands(this).execute(cmd);
            return true;
        }
        if (name.equals("IDLE")) {
            new SelectedCommands(this).execute(cmd);
            return true;
        }
        if (SelectedCommands.handles(name)) {
            if (selected == null) {
                tagged(tag, "BAD No mailbox selected.");
                return true;
            }
            new SelectedCommands(this).execute(cmd);
            return true;
        }
        return false;
    }

    /** Sync the selected mailbox and report changes; ends the session when UIDVALIDITY changed. */
    void syncSelected(boolean uidMode) throws IOException, StoreException {
        syncSelected(uidMode, true);
    }

    /** As {@link #syncSelected(boolean)}; without {@code allowExpunges} expunges stay pending. */
    void syncSelected(boolean uidMode, boolean allowExpunges) throws IOException, StoreException {
        if (selected == null) {
            return;
        }
        if (!selected.sync(out, uidMode, allowExpunges)) {
            untagged("BYE Mailbox UIDVALIDITY changed");
            out.flush();
            throw new EOFException("UIDVALIDITY changed");
        }
    }

    private void logout(String tag) throws IOException {
        untagged("BYE Logging out");
        if (selected != null) {
            selected.box.close();
            selected = null;
        }
        boolean wasLoggedIn = loggedIn();
        state = State.LOGOUT;
        logoutCommand = true;
        if (wasLoggedIn) {
            tagged(tag, "OK Logout completed.");
        } else {
            out.line(tag + " OK Logout completed.");
        }
        out.flush();
    }

    private void id(String tag) throws IOException {
        untagged("ID (\"name\" \"jmail\")");
        tagged(tag, "OK ID completed.");
    }

    private void startTls(String tag) throws IOException {
        if (transport.tls()) {
            tagged(tag, "BAD TLS is already active.");
            return;
        }
        if (!transport.canStartTls()) {
            tagged(tag, "BAD TLS support isn't enabled.");
            return;
        }
        tagged(tag, "OK Begin TLS negotiation now.");
        out.flush();
        transport.startTls();
        // anything the client pipelined in plain text is dropped (STARTTLS command injection)
        in.reset(transport.input());
        out.reset(transport.output());
    }

    // ---------------------------------------------------------------- authentication

    private void login(ImapCommand cmd) throws IOException, ImapException {
        List<ImapArg> a = cmd.args();
        if (a.size() != 2 || a.get(0).astring() == null || a.get(1).astring() == null) {
            throw ImapException.bad("Invalid arguments.");
        }
        if (!plaintextAllowed()) {
            triedDisallowedPlaintext = true;
            untagged("BAD [ALERT] Plaintext authentication not allowed without SSL/TLS, but your client did it"
                    + " anyway. If anyone was listening, the password was exposed.");
            tagged(cmd.tag(), "NO [PRIVACYREQUIRED] Plaintext authentication disallowed on non-secure (SSL/TLS)"
                    + " connections.");
            return;
        }
        verify(cmd.tag(), a.get(0).astring(), a.get(1).astring(), "", "PLAIN");
    }

    private void authenticate(ImapCommand cmd) throws IOException, ImapException {
        List<ImapArg> a = cmd.args();
        if (a.isEmpty() || a.size() > 2 || a.get(0).astring() == null) {
            throw ImapException.bad("Invalid arguments.");
        }
        String mech = a.get(0).astring().toUpperCase(Locale.ROOT);
        SaslServer sasl = settings.authMechanisms().contains(mech) ? SaslServer.create(mech) : null;
        if (sasl == null) {
            tagged(cmd.tag(), "NO Unsupported authentication mechanism.");
            return;
        }
        if (!plaintextAllowed()) {
            triedDisallowedPlaintext = true;
            tagged(cmd.tag(), "NO [PRIVACYREQUIRED] Plaintext authentication disallowed on non-secure (SSL/TLS)"
                    + " connections.");
            return;
        }
        byte[] response;
        if (a.size() == 2) {
            String ir = a.get(1).astring();
            response = ir.equals("=") ? new byte[0] : decode(ir);
            if (response == null) {
                tagged(cmd.tag(), "BAD Invalid base64 data in initial response");
                return;
            }
        } else {
            response = challenge(cmd.tag(), sasl.initialChallenge());
            if (response == null) {
                return;
            }
        }
        while (true) {
            SaslServer.Step step = sasl.step(response);
            if (step.failed()) {
                authAttempts++;
                lastAuthMethod = mech;
                failureDelay();
                tagged(cmd.tag(), "NO [AUTHENTICATIONFAILED] Authentication failed.");
                return;
            }
            if (step.done()) {
                verify(cmd.tag(), step.user(), step.password(), step.authzid(), mech);
                return;
            }
            response = challenge(cmd.tag(), step.challenge());
            if (response == null) {
                return;
            }
        }
    }

    /** Sends a "+ base64" challenge and reads the answer; null when cancelled or bad (reply sent). */
    private byte[] challenge(String tag, byte[] challenge) throws IOException {
        out.line("+ " + Base64.getEncoder().encodeToString(challenge));
        out.flush();
        byte[] line;
        try {
            line = in.readLine(settings.maxLineLength());
        } catch (ImapInput.LineTooLongException e) {
            tagged(tag, "BAD Authentication response too long");
            return null;
        }
        if (line == null) {
            throw new EOFException();
        }
        String s = new String(line, StandardCharsets.US_ASCII).strip();
        if (s.equals("*")) {
            tagged(tag, "BAD Authentication aborted by client.");
            return null;
        }
        byte[] r = decode(s);
        if (r == null) {
            authAttempts++;
            tagged(tag, "BAD Invalid base64 data in continued response");
            return null;
        }
        return r;
    }

    private static byte[] decode(String s) {
        try {
            return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private void verify(String tag, String userName, String password, String authzid, String mech)
            throws IOException {
        lastAuthUser = userName;
        lastAuthMethod = mech;
        authAttempts++;
        AuthResult r = authenticator.authenticate(new AuthRequest(userName, password,
                authzid == null ? "" : authzid, "imap", mech, transport.remote(), transport.local(),
                transport.secured()));
        if (!r.success()) {
            failureDelay();
            if (r.temporary()) {
                tagged(tag, "NO [UNAVAILABLE] Temporary authentication failure.");
            } else {
                tagged(tag, "NO [AUTHENTICATIONFAILED] Authentication failed.");
            }
            // no disconnect after N failures (Dovecot has none): the auth penalty slows guessing
            return;
        }
        AuthUser u = r.user();
        String key = u.name() + "\0" + LoginLog.ip(transport.remote());
        if (!limiter.acquire(key, settings.maxUserIpConnections())) {
            tagged(tag, "NO [UNAVAILABLE] Maximum number of connections from user+IP exceeded "
                    + "(mail_max_userip_connections=" + settings.maxUserIpConnections() + ")");
            return;
        }
        MailStore s;
        try {
            s = stores.open(u);
        } catch (StoreException e) {
            limiter.release(key);
            LoginLog.warn("imap(" + u.name() + "): mail storage init failed: " + e.getMessage());
            tagged(tag, "NO [SERVERBUG] Internal error occurred. Refer to server log for more information.");
            return;
        } catch (RuntimeException e) {
            limiter.release(key);
            LoginLog.warn("imap(" + u.name() + "): mail storage init failed: " + e);
            tagged(tag, "NO [SERVERBUG] Internal error occurred. Refer to server log for more information.");
            return;
        }
        limiterKey = key;
        user = u;
        store = s;
        LoginLog.login(LoginLog.elements(u.name(), mech, transport.remote(), transport.local(),
                Long.toString(MailLog.pid()), transport.tls(), transport.secured(), sessionId));
        out.line(tag + " OK [CAPABILITY " + postLoginCapability() + "] Logged in");
        state = State.AUTHENTICATED;
        badCount = 0;
        transport.setReadTimeout((int) settings.autologout().toMillis());
    }

    private void failureDelay() throws IOException {
        long ms = settings.authFailureDelay().toMillis();
        if (ms > 0) {
            out.flush();
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EOFException("interrupted");
            }
        }
    }
}
