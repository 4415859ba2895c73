package org.jmail.smtpd;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jmail.auth.AuthRequest;
import org.jmail.auth.AuthResult;
import org.jmail.auth.AuthService;

/**
 * smtpd's SASL policy (Postfix's smtpd_sasl_glue.c): whether AUTH is on for this service and
 * which mechanisms a session may use, with the passwords checked by the same
 * {@link AuthService} (passdb/userdb) as IMAP and POP3.
 *
 * <p>Which mechanisms are offered: jmail's PLAIN and LOGIN that {@code auth_mechanisms} lists,
 * none when {@code smtpd_sasl_auth_enable = no} or no auth service is wired, none outside TLS
 * with {@code smtpd_tls_auth_only = yes}, none when the session's SASL security options
 * ({@code smtpd_sasl_security_options}, or {@code smtpd_sasl_tls_security_options} inside TLS)
 * say {@code noplaintext}, and none outside TLS on a connection Dovecot's rules don't count as
 * secured (loopback, {@code login_trusted_networks}) while {@code disable_plaintext_auth = yes}
 * (its default): the project rule that a password never crosses the network in the clear
 * holds even with Postfix's {@code smtpd_tls_auth_only = no} default. Immutable; shared by the
 * sessions of one service.
 */
final class SaslGlue {

    private static final List<String> OURS = List.of("PLAIN", "LOGIN");

    private final SmtpdSettings settings;
    private final AuthService auth;

    SaslGlue(SmtpdSettings settings, AuthService auth) {
        this.settings = settings;
        this.auth = auth;
    }

    /** AUTH is on for this service (else {@code 503 5.5.1 Error: authentication not enabled}). */
    boolean enabled() {
        return settings.saslAuthEnable && auth != null;
    }

    /** smtpd_tls_auth_only refuses AUTH outside TLS. */
    boolean tlsRequired(boolean tls) {
        return settings.tlsAuthOnly && !tls;
    }

    /**
     * The plaintext mechanisms may be used on this connection: inside TLS, or on a connection
     * the auth service counts as secured, or anywhere when disable_plaintext_auth = no.
     */
    boolean plaintextAllowed(ClientInfo client, InetSocketAddress local, boolean tls) {
        if ((tls ? settings.saslTlsSecurityOptions : settings.saslSecurityOptions).contains("noplaintext")) {
            return false;
        }
        return auth.plaintextAllowed(auth.isSecured(remote(client), local, tls));
    }

    /** The mechanisms jmail implements and auth_mechanisms enables, in our order. */
    List<String> mechanisms() {
        List<String> out = new ArrayList<>(2);
        for (String m : OURS) {
            if (auth.mechanismEnabled(m)) {
                out.add(m);
            }
        }
        return out;
    }

    /** What EHLO announces after "AUTH": empty when AUTH is not usable in this session now. */
    List<String> offered(ClientInfo client, InetSocketAddress local, boolean tls) {
        if (!enabled() || tlsRequired(tls) || !plaintextAllowed(client, local, tls)) {
            return List.of();
        }
        return mechanisms();
    }

    boolean supports(String mechanism) {
        return mechanisms().contains(mechanism.toUpperCase(Locale.ROOT));
    }

    /** Checks the credentials with the passdb (blocking: crypt, file reads, penalty delay). */
    AuthResult authenticate(ClientInfo client, InetSocketAddress local, boolean tls, String mechanism,
                            String authzid, String user, String password) {
        InetSocketAddress remote = remote(client);
        return auth.authenticate(new AuthRequest(user, password, authzid, "smtp",
                mechanism.toUpperCase(Locale.ROOT), remote, local, auth.isSecured(remote, local, tls)));
    }

    /** Dovecot's auth_failure_delay: how long a failed AUTH waits before its 535. */
    Duration failureDelay() {
        return auth.failureDelay();
    }

    private static InetSocketAddress remote(ClientInfo client) {
        return client.address() == null ? null : new InetSocketAddress(client.address(), client.port());
    }
}
