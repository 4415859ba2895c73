package org.jmail.auth;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Server side of the SASL mechanisms jmail offers (PLAIN, RFC 4616; LOGIN, the
 * draft-murchison-sasl-login one every client speaks), independent of the protocol that
 * carries it: IMAP AUTHENTICATE, POP3 AUTH and SMTP AUTH base64-decode each client line and
 * feed it to {@link #step}; challenges come back raw and the caller base64-encodes them.
 * One instance per attempt; not thread-safe.
 */
public final class SaslServer {

    /** The result of one step: a challenge to send, final credentials, or a malformed response. */
    public record Step(byte[] challenge, String authzid, String user, String password, String error) {

        public boolean done() {
            return user != null;
        }

        public boolean failed() {
            return error != null;
        }
    }

    private final String mechanism;
    private int round;
    private String loginUser;

    private SaslServer(String mechanism) {
        this.mechanism = mechanism;
    }

    /** A server for {@code mechanism} (case-insensitive), or null when it is not supported. */
    public static SaslServer create(String mechanism) {
        String m = mechanism.toUpperCase(Locale.ROOT);
        return m.equals("PLAIN") || m.equals("LOGIN") ? new SaslServer(m) : null;
    }

    public String mechanism() {
        return mechanism;
    }

    /**
     * The first challenge to send when the client gave no initial response: empty for PLAIN,
     * "Username:" for LOGIN.
     */
    public byte[] initialChallenge() {
        if (mechanism.equals("LOGIN")) {
            round = 1;
            return "Username:".getBytes(StandardCharsets.US_ASCII);
        }
        return new byte[0];
    }

    /** Feeds one decoded client response (the initial response counts as the first). */
    public Step step(byte[] response) {
        String text = new String(response, StandardCharsets.UTF_8);
        if (mechanism.equals("PLAIN")) {
            int a = text.indexOf('\0');
            int b = a < 0 ? -1 : text.indexOf('\0', a + 1);
            if (a < 0 || b < 0 || text.indexOf('\0', b + 1) >= 0) {
                return error("invalid PLAIN response");
            }
            String user = text.substring(a + 1, b);
            if (user.isEmpty()) {
                return error("empty user name");
            }
            return new Step(null, text.substring(0, a), user, text.substring(b + 1), null);
        }
        // LOGIN: a client sending its user name as initial response skips round 1's challenge
        if (round <= 1 && loginUser == null) {
            if (text.isEmpty() || text.indexOf('\0') >= 0) {
                return error("invalid user name");
            }
            loginUser = text;
            round = 2;
            return new Step("Password:".getBytes(StandardCharsets.US_ASCII), null, null, null, null);
        }
        if (text.indexOf('\0') >= 0) {
            return error("invalid password");
        }
        return new Step(null, "", loginUser, text, null);
    }

    private static Step error(String why) {
        return new Step(null, null, null, null, why);
    }
}
