package org.jmail.auth;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.jmail.config.MainConfig;
import org.jmail.log.MailLog;
import org.jmail.util.InetCidr;

/**
 * jmail's auth service, Dovecot's auth process in one object: username normalisation
 * ({@code auth_username_chars}, {@code auth_username_format}), the passdb, the credentials
 * cache, the userdb and the uid/gid limits, plus the login policy the protocol servers ask
 * about ({@link #plaintextAllowed}, {@link #isSecured}, {@link #failureDelay},
 * {@link #mechanisms}).
 *
 * <p>{@link #authenticate} never throws: a passdb/userdb that cannot answer, an unknown
 * password scheme, or a user outside the valid uid/gid range is {@link AuthResult#tempfail};
 * unknown user, wrong password, locked or expired account are {@link AuthResult#failed} (the
 * reason is for logs only). It does not sleep: the caller applies {@link #failureDelay()}.
 * Thread-safe; one instance per configuration (build a new one on reload).
 */
public final class AuthService implements Authenticator {

    /** Dovecot's login-common texts for the client (never the log reason). */
    public static final String AUTH_FAILED_MSG = "Authentication failed.";
    public static final String AUTH_TEMP_FAILED_MSG = "Temporary authentication failure.";
    public static final String AUTH_PLAINTEXT_DISABLED_MSG =
            "Plaintext authentication disallowed on non-secure (SSL/TLS) connections.";

    private final AuthSettings settings;
    private final PassDb passdb;
    private final UserDb userdb;
    private final CredentialCache cache;
    private final AuthLog log;
    private final boolean[] allowedChars;

    private final AuthPenalty penalty = new AuthPenalty();

    public AuthService(AuthSettings settings, PassDb passdb, UserDb userdb, CredentialCache cache) {
        this.settings = settings;
        this.passdb = passdb;
        this.userdb = userdb;
        this.cache = cache;
        this.log = new AuthLog(MailLog.of("auth"), settings.verbose());
        String chars = settings.usernameChars();
        if (chars.isEmpty()) {
            allowedChars = null; // Dovecot: empty = every character allowed
        } else {
            allowedChars = new boolean[128];
            for (char c : chars.toCharArray()) {
                if (c < 128) {
                    allowedChars[c] = true;
                }
            }
        }
    }

    /**
     * Builds the service main.cf describes.
     *
     * @throws IllegalArgumentException for an unknown driver, a passwd-file without a path, or
     *         a malformed value (the message names the key)
     */
    public static AuthService fromConfig(MainConfig config) {
        AuthSettings s = AuthSettings.fromConfig(config);
        PassDb passdb = switch (s.passdbDriver()) {
            case "unix", "shadow", "pam" -> new ShadowPassDb(s.passdbDriver());
            case "passwd-file" -> PasswdFileDb.fromArgs(s.passdbArgs());
            case "static" -> StaticPassDb.fromArgs(s.passdbArgs());
            default -> throw new IllegalArgumentException("passdb_driver: unknown driver \"" + s.passdbDriver() + "\"");
        };
        UserDb userdb = switch (s.userdbDriver()) {
            case "unix", "passwd" -> new UnixUserDb(s.userdbDriver());
            case "passwd-file" -> {
                String args = s.userdbArgs().isEmpty() ? s.passdbArgs() : s.userdbArgs();
                if (passdb instanceof PasswdFileDb p && args.equals(s.passdbArgs())) {
                    yield p.asUserDb(); // one parsed copy of the file for both
                }
                yield PasswdFileDb.fromArgs(args).asUserDb();
            }
            case "static" -> StaticUserDb.fromArgs(s.userdbArgs());
            default -> throw new IllegalArgumentException("userdb_driver: unknown driver \"" + s.userdbDriver() + "\"");
        };
        return new AuthService(s, passdb, userdb,
                new CredentialCache(s.cacheSize(), s.cacheTtl(), s.cacheNegativeTtl()));
    }

    public AuthSettings settings() {
        return settings;
    }

    public CredentialCache cache() {
        return cache;
    }

    /** {@code auth_failure_delay}: how long the protocol server waits before answering a failure. */
    public Duration failureDelay() {
        return settings.failureDelay();
    }

    /** {@code auth_mechanisms}, upper-case ("PLAIN", "LOGIN"), in configured order. */
    public List<String> mechanisms() {
        return settings.mechanisms();
    }

    public boolean mechanismEnabled(String mechanism) {
        return settings.mechanisms().contains(mechanism.toUpperCase(Locale.ROOT));
    }

    /**
     * {@code disable_plaintext_auth}: may a plaintext mechanism (PLAIN, LOGIN, IMAP LOGIN,
     * POP3 USER/PASS) be used on a connection that is (not) {@code secured}? Dovecot's login
     * processes advertise LOGINDISABLED and answer a refusal with
     * {@code * BAD [ALERT] Plaintext authentication not allowed without SSL/TLS, but your client
     * did it anyway. If anyone was listening, the password was exposed.} +
     * {@code NO [PRIVACYREQUIRED] }{@link #AUTH_PLAINTEXT_DISABLED_MSG} (IMAP) or
     * {@code -ERR [AUTH] }{@link #AUTH_PLAINTEXT_DISABLED_MSG} (POP3), and log
     * {@code Disconnected (tried to use disallowed plaintext auth): ...}.
     */
    public boolean plaintextAllowed(boolean secured) {
        return secured || !settings.disablePlaintextAuth();
    }

    /**
     * Dovecot's "secured" connection (login-common client_alloc()): TLS is active, or the client
     * is in {@code login_trusted_networks}, or the client's IP equals the local IP (a
     * connection from this host to its own address). jmail also counts any loopback client
     * (127.0.0.0/8, ::1) as secured: traffic that never leaves the host.
     */
    public boolean isSecured(InetSocketAddress remote, InetSocketAddress local, boolean tls) {
        if (tls) {
            return true;
        }
        InetAddress r = remote == null ? null : remote.getAddress();
        if (r == null) {
            return false;
        }
        if (r.isLoopbackAddress()) {
            return true;
        }
        if (local != null && r.equals(local.getAddress())) {
            return true;
        }
        return isTrusted(r);
    }

    /** The client is in {@code login_trusted_networks}. */
    public boolean isTrusted(InetAddress address) {
        for (InetCidr net : settings.trustedNetworks()) {
            if (net.matches(address)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Verifies {@code r}; a client with an auth penalty (earlier failures from its address,
     * see {@link AuthPenalty}) waits first, as Dovecot's auth process makes it wait. Clients
     * in {@code login_trusted_networks} have no penalty, nor has anyone when
     * {@code auth_failure_delay} is 0 (jmail: a test or a trusted setup turns both off).
     */
    @Override
    public AuthResult authenticate(AuthRequest r) {
        InetAddress ip = r.remote() == null ? null : r.remote().getAddress();
        boolean tracked = ip != null && !settings.failureDelay().isZero() && !isTrusted(ip);
        if (tracked) {
            long wait = penalty.delayMillis(ip);
            if (wait > 0) {
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return AuthResult.tempfail("interrupted");
                }
            }
        }
        AuthResult result = verify(r);
        if (tracked && result.success()) {
            penalty.succeeded(ip);
        } else if (tracked && !result.temporary()) {
            penalty.failed(ip, r.user() == null ? "" : r.user(), r.password() == null ? "" : r.password());
        }
        return result;
    }

    private AuthResult verify(AuthRequest r) {
        String given = r.user() == null ? "" : r.user();
        InetSocketAddress rip = r.remote();
        String password = r.password() == null ? "" : r.password();
        String driver = passdb.driver();

        if (!plaintextAllowed(r.secured())) {
            // the login process should have refused already; the auth process refuses too
            log.info(driver, given, rip, "Plaintext authentication disabled");
            return AuthResult.failed("Plaintext authentication disabled");
        }
        if (r.authzid() != null && !r.authzid().isEmpty() && !r.authzid().equals(given)) {
            log.info(driver, given, rip, "Master user logins are not supported (authzid " + r.authzid() + ")");
            return AuthResult.failed("authorization identity not allowed");
        }
        String bad = disallowedChar(given);
        if (bad != null) {
            log.info(driver, given, rip, bad);
            return AuthResult.failed(bad);
        }
        String user = settings.usernameFormat().apply(given);

        PassEntry entry;
        try {
            Object generation = passdb.generation();
            if (generation != null && cache.knownUnknown(user, generation)) {
                log.unknownUser(driver, user, rip);
                return AuthResult.failed("unknown user");
            }
            entry = passdb.lookup(user);
            if (entry == null) {
                cache.rememberUnknown(user, passdb.generation());
                log.unknownUser(driver, user, rip);
                return AuthResult.failed("unknown user");
            }
        } catch (AuthUnavailableException e) {
            log.error(driver, user, rip, e.getMessage());
            return AuthResult.tempfail(e.getMessage());
        }
        if (entry.disabled() != null) {
            log.disabled(driver, user, rip, entry.disabled());
            return AuthResult.failed(entry.disabled());
        }

        if (!cache.verified(entry.user(), entry.credential(), password)) {
            boolean ok;
            try {
                ok = PasswordSchemes.verify(password, entry.credential(), entry.defaultScheme());
            } catch (IllegalArgumentException | IllegalStateException e) {
                log.error(driver, user, rip, e.getMessage());
                return AuthResult.tempfail(e.getMessage());
            }
            if (!ok) {
                log.mismatch(driver, user, rip);
                return AuthResult.failed("Password mismatch");
            }
            cache.rememberSuccess(entry.user(), entry.credential(), password);
        }
        if (entry.expired() != null) {
            log.expired(driver, user, rip, entry.expired());
            return AuthResult.failed(entry.expired());
        }

        AuthUser found;
        try {
            found = userdb.lookup(entry.user());
        } catch (AuthUnavailableException e) {
            log.error(userdb.driver(), entry.user(), rip, e.getMessage());
            return AuthResult.tempfail(e.getMessage());
        }
        if (found == null) {
            log.error(userdb.driver(), entry.user(), rip, "user not found from userdb");
            return AuthResult.tempfail("user not found from userdb");
        }
        String limit = limitViolation(found);
        if (limit != null) {
            log.error(limit);
            return AuthResult.tempfail(limit);
        }
        return AuthResult.ok(found);
    }

    /**
     * A userdb lookup without a password (Dovecot's {@code doveadm user}, what LMTP or a
     * master-user login would do): the username is formatted, and a user outside the uid/gid
     * limits is reported as unavailable. Null when the userdb does not know the user.
     */
    public AuthUser userdbLookup(String user) throws AuthUnavailableException {
        AuthUser found = userdb.lookup(settings.usernameFormat().apply(user));
        if (found == null) {
            return null;
        }
        String limit = limitViolation(found);
        if (limit != null) {
            throw new AuthUnavailableException(limit);
        }
        return found;
    }

    /** Dovecot's auth_request_fix_username() check; null when every character is allowed. */
    private String disallowedChar(String user) {
        if (user.isEmpty()) {
            return "Empty username";
        }
        if (allowedChars == null) {
            return null;
        }
        for (int i = 0; i < user.length(); i++) {
            char c = user.charAt(i);
            if (c >= 128 || !allowedChars[c]) {
                return String.format("Username character disallowed by auth_username_chars: 0x%02x (username: %s)",
                        (int) c & 0xff, user);
            }
        }
        return null;
    }

    /** Dovecot's mail-storage-service uid/gid checks, in its words; null when within limits. */
    private String limitViolation(AuthUser u) {
        if (u.uid() < settings.firstValidUid() || (settings.lastValidUid() != 0 && u.uid() > settings.lastValidUid())) {
            return "user " + u.name() + ": Mail access for users with UID " + u.uid()
                    + " not permitted (see first_valid_uid in config file, uid from userdb lookup).";
        }
        if (u.gid() < settings.firstValidGid() || (settings.lastValidGid() != 0 && u.gid() > settings.lastValidGid())) {
            return "user " + u.name() + ": Mail access for users with GID " + u.gid()
                    + " not permitted (see first_valid_gid in config file, gid from userdb lookup).";
        }
        return null;
    }
}
