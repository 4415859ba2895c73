package org.jmail.pop3;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Base64;
import org.jmail.util.InetText;

/**
 * What the login log lines say about one connection (Dovecot's login client): addresses,
 * TLS, the session id, and the authentication attempts so far with the user and mechanism
 * of the last one. "Secured" is Dovecot's notion: TLS is active or the client connects from
 * the server's own address (loopback), where plaintext passwords cannot be sniffed.
 * Not thread-safe: one per connection.
 */
final class ClientFacts {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();

    final InetSocketAddress remote;
    final InetSocketAddress local;
    final String remoteIp;
    final String localIp;
    final String sessionId;
    final long createdNanos;
    boolean tls;
    String user;           // last user name tried ("" = none), shown as user=<...>
    String mechanism;      // last mechanism tried, null = none
    int authAttempts;
    long firstAuthNanos;
    boolean triedDisallowedPlaintext;
    boolean authAborted;
    boolean tempFailed;

    ClientFacts(InetSocketAddress remote, InetSocketAddress local, boolean tls, long nowNanos) {
        this.remote = remote;
        this.local = local;
        this.remoteIp = remote == null ? "??" : InetText.format(remote.getAddress());
        this.localIp = local == null ? "??" : InetText.format(local.getAddress());
        this.tls = tls;
        this.createdNanos = nowNanos;
        this.sessionId = newSessionId();
        this.user = "";
    }

    /** Dovecot's "secured": TLS, or the peer is this host (same address or loopback). */
    boolean secured() {
        if (tls) {
            return true;
        }
        if (remote == null || local == null) {
            return false;
        }
        return remote.getAddress().isLoopbackAddress() || remote.getAddress().equals(local.getAddress());
    }

    /** Counts one authentication attempt by {@code userName} with {@code mech}. */
    void attempt(String userName, String mech, long nowNanos) {
        if (authAttempts == 0) {
            firstAuthNanos = nowNanos;
        }
        authAttempts++;
        if (userName != null) {
            user = userName;
        }
        mechanism = mech;
    }

    /** A Dovecot-like session id: 16 base64 characters (12 bytes). */
    static String newSessionId() {
        byte[] b = new byte[12];
        RANDOM.nextBytes(b);
        return B64.encodeToString(b);
    }
}
