package org.jmail.pop3;

import java.io.IOException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.jmail.auth.AuthRequest;
import org.jmail.auth.AuthResult;
import org.jmail.auth.AuthUser;
import org.jmail.auth.Authenticator;
import org.jmail.auth.SaslServer;

/**
 * The AUTHORIZATION state of RFC 1939 as Dovecot's pop3-login process runs it: CAPA (RFC
 * 2449), USER/PASS, AUTH with SASL PLAIN and LOGIN and initial responses (RFC 5034), STLS
 * (RFC 2595), QUIT. Plaintext credentials on a connection that is neither TLS nor local are
 * refused when {@code disable_plaintext_auth} is on, with Dovecot's "-ERR [AUTH] Plaintext
 * authentication disallowed on non-secure (SSL/TLS) connections."; a failed login is
 * answered "-ERR [AUTH] Authentication failed." only after {@code auth_failure_delay}.
 *
 * <p>Success is not answered here: the session opens the mailbox first and then says
 * "+OK Logged in." (Dovecot's pop3 process does the same). Not thread-safe.
 */
final class Pop3Login {

    /** What the session should do after a line. */
    enum Outcome { CONTINUE, BAD_COMMAND, STARTTLS, QUIT, AUTHENTICATED }

    /** Sleeps for the failure delay (tests replace it). */
    @FunctionalInterface
    interface Pause {
        void sleep(Duration d) throws InterruptedException;

        Pause SLEEP = d -> {
            if (!d.isZero() && !d.isNegative()) {
                Thread.sleep(d.toMillis());
            }
        };
    }

    static final String AUTH_FAILED = "-ERR [AUTH] Authentication failed.";
    static final String PLAINTEXT_DISABLED =
            "-ERR [AUTH] Plaintext authentication disallowed on non-secure (SSL/TLS) connections.";

    private static final String CAPABILITY = "+OK\r\nCAPA\r\nTOP\r\nUIDL\r\nRESP-CODES\r\nPIPELINING\r\nAUTH-RESP-CODE\r\n";

    private final Pop3Settings settings;
    private final Authenticator authenticator;
    private final ClientFacts client;
    private final Pop3Output out;
    private final boolean tlsAvailable;
    private final Pause pause;
    private final Nanos clock;
    private String lastUser;
    private SaslServer sasl;
    private AuthUser authenticated;
    private String mechanism;

    /** A monotonic clock in nanoseconds (tests may fake it). */
    @FunctionalInterface
    interface Nanos {
        long now();
    }

    Pop3Login(Pop3Settings settings, Authenticator authenticator, ClientFacts client, Pop3Output out,
              boolean tlsAvailable, Pause pause, Nanos clock) {
        this.settings = settings;
        this.authenticator = authenticator;
        this.client = client;
        this.out = out;
        this.tlsAvailable = tlsAvailable;
        this.pause = pause;
        this.clock = clock;
    }

    /** The user who logged in (after {@link Outcome#AUTHENTICATED}). */
    AuthUser user() {
        return authenticated;
    }

    String mechanism() {
        return mechanism;
    }

    /** Between AUTH and the client's last SASL response: lines are responses, not commands. */
    boolean inSasl() {
        return sasl != null;
    }

    Outcome line(String line) throws IOException {
        if (sasl != null) {
            return saslResponse(line);
        }
        int sp = line.indexOf(' ');
        String name = (sp < 0 ? line : line.substring(0, sp)).toUpperCase(Locale.ROOT);
        String args = sp < 0 ? "" : line.substring(sp + 1);
        switch (name) {
            case "CAPA":
                capa();
                return Outcome.CONTINUE;
            case "USER":
                return user(args);
            case "PASS":
                return pass(args);
            case "AUTH":
                return auth(args);
            case "APOP":
                out.line("-ERR APOP not enabled.");
                return Outcome.CONTINUE;
            case "STLS":
                return stls();
            case "QUIT":
                out.line("+OK Logging out");
                return Outcome.QUIT;
            case "XCLIENT":
                out.line("+OK You are not from trusted IP - ignoring");
                return Outcome.CONTINUE;
            default:
                out.line("-ERR Unknown command.");
                return Outcome.BAD_COMMAND;
        }
    }

    /** The user+IP limit or the mailbox refused a user whose credentials were right. */
    void rejectAfterAuth() {
        authenticated = null;
    }

    private void capa() throws IOException {
        StringBuilder b = new StringBuilder(CAPABILITY);
        if (tlsAvailable && !client.tls) {
            b.append("STLS\r\n");
        }
        if (!settings.disablePlaintextAuth() || client.secured()) {
            b.append("USER\r\n");
        }
        b.append("SASL");
        for (String m : advertised()) {
            b.append(' ').append(m);
        }
        b.append("\r\n.\r\n");
        out.raw(b.toString());
    }

    /** The mechanisms offered now: PLAIN and LOGIN are plaintext ones, hidden until secured. */
    private List<String> advertised() {
        if (settings.disablePlaintextAuth() && !client.secured()) {
            return List.of();
        }
        return settings.authMechanisms();
    }

    private Outcome stls() throws IOException {
        if (client.tls) {
            out.line("-ERR TLS is already active.");
            return Outcome.CONTINUE;
        }
        if (!tlsAvailable) {
            out.line("-ERR TLS support isn't enabled.");
            return Outcome.CONTINUE;
        }
        out.line("+OK Begin TLS negotiation now.");
        return Outcome.STARTTLS;
    }

    /** Dovecot's client_check_plaintext_auth(). */
    private boolean plaintextAllowed() throws IOException {
        if (client.secured() || !settings.disablePlaintextAuth()) {
            return true;
        }
        out.line(PLAINTEXT_DISABLED);
        client.triedDisallowedPlaintext = true;
        client.attempt(null, client.mechanism, clock.now());
        return false;
    }

    private Outcome user(String args) throws IOException {
        if (!plaintextAllowed()) {
            if (client.user.isEmpty()) {
                client.user = args;
            }
            return Outcome.CONTINUE;
        }
        lastUser = args;
        out.line("+OK");
        return Outcome.CONTINUE;
    }

    private Outcome pass(String args) throws IOException {
        if (lastUser == null) {
            if (plaintextAllowed()) {
                out.line("-ERR No username given.");
            }
            return Outcome.CONTINUE;
        }
        String user = lastUser;
        lastUser = null;
        return verify("PLAIN", "", user, args);
    }

    private Outcome auth(String args) throws IOException {
        if (args.isEmpty()) {
            // old-style SASL discovery (Outlook)
            StringBuilder b = new StringBuilder("+OK\r\n");
            for (String m : advertised()) {
                b.append(m).append("\r\n");
            }
            b.append(".\r\n");
            out.raw(b.toString());
            return Outcome.CONTINUE;
        }
        int sp = args.indexOf(' ');
        String mech = (sp < 0 ? args : args.substring(0, sp)).toUpperCase(Locale.ROOT);
        String initial = sp < 0 ? null : args.substring(sp + 1);
        SaslServer server = settings.authMechanisms().contains(mech) ? SaslServer.create(mech) : null;
        if (server == null) {
            client.attempt(null, mech, clock.now());
            out.line("-ERR [AUTH] Unsupported authentication mechanism.");
            return Outcome.CONTINUE;
        }
        if (!client.secured() && settings.disablePlaintextAuth()) {
            client.triedDisallowedPlaintext = true;
            client.attempt(null, mech, clock.now());
            out.line(PLAINTEXT_DISABLED);
            return Outcome.CONTINUE;
        }
        sasl = server;
        if (initial == null) {
            challenge(server.initialChallenge());
            return Outcome.CONTINUE;
        }
        // RFC 5034: "=" is an initial response of zero length
        return saslResponse(initial.equals("=") ? "" : initial);
    }

    private Outcome saslResponse(String line) throws IOException {
        SaslServer server = sasl;
        if (line.equals("*")) {
            sasl = null;
            client.attempt(null, server.mechanism(), clock.now());
            client.authAborted = true;
            out.line("-ERR Authentication aborted by client.");
            return Outcome.CONTINUE;
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(line.strip());
        } catch (IllegalArgumentException e) {
            sasl = null;
            client.attempt(null, server.mechanism(), clock.now());
            out.line("-ERR [AUTH] Invalid base64 data in continued response");
            return Outcome.CONTINUE;
        }
        SaslServer.Step step = server.step(decoded);
        if (step.failed()) {
            sasl = null;
            return fail(server.mechanism(), null, null);
        }
        if (!step.done()) {
            challenge(step.challenge());
            return Outcome.CONTINUE;
        }
        sasl = null;
        return verify(server.mechanism(), step.authzid(), step.user(), step.password());
    }

    private void challenge(byte[] data) throws IOException {
        out.line("+ " + Base64.getEncoder().encodeToString(data));
    }

    private Outcome verify(String mech, String authzid, String user, String password) throws IOException {
        AuthResult result;
        try {
            result = authenticator.authenticate(new AuthRequest(user, password, authzid == null ? "" : authzid, "pop3",
                    mech, client.remote, client.local, client.secured()));
        } catch (RuntimeException e) {
            LoginLog.LOG.error("auth: " + e);
            result = AuthResult.tempfail(e.toString());
        }
        if (result.success()) {
            client.attempt(result.user().name(), mech, clock.now());
            authenticated = result.user();
            mechanism = mech;
            return Outcome.AUTHENTICATED;
        }
        return fail(mech, user, result);
    }

    private Outcome fail(String mech, String user, AuthResult result) throws IOException {
        client.attempt(user, mech, clock.now());
        boolean temp = result != null && result.temporary();
        client.tempFailed = temp;
        try {
            pause.sleep(settings.authFailureDelay());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        out.line(temp ? "-ERR [SYS/TEMP] Temporary authentication failure." : AUTH_FAILED);
        return Outcome.CONTINUE;
    }
}
