package org.jmail.smtp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * The client side of SMTP AUTH (RFC 4954) with PLAIN (RFC 4616, initial response) and LOGIN.
 * A failure is returned in Postfix's words ({@code SASL authentication failed; server
 * host[ip] said: 535 5.7.8 ...}); I/O problems are IOExceptions.
 */
final class SaslAuth {

    private SaslAuth() {
    }

    /** The mechanism to use from what the server offers, or null; PLAIN before LOGIN. */
    static String choose(java.util.Set<String> offered, boolean plaintextAllowed) {
        if (!plaintextAllowed) {
            return null; // PLAIN and LOGIN are the only mechanisms jmail has, both plaintext
        }
        if (offered.contains("PLAIN")) {
            return "PLAIN";
        }
        return offered.contains("LOGIN") ? "LOGIN" : null;
    }

    /** Null on success (235), else the failure. */
    static SmtpFailure authenticate(SmtpConnection c, String mechanism, String user, String password,
                                    Duration timeout) throws IOException {
        Base64.Encoder b64 = Base64.getEncoder();
        SmtpReply r;
        if (mechanism.equals("PLAIN")) {
            byte[] token = ("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8);
            c.send("AUTH PLAIN " + b64.encodeToString(token));
            r = c.read(timeout);
        } else {
            c.send("AUTH LOGIN");
            r = c.read(timeout);
            if (r.intermediate()) {
                c.send(b64.encodeToString(user.getBytes(StandardCharsets.UTF_8)));
                r = c.read(timeout);
                if (r.intermediate()) {
                    c.send(b64.encodeToString(password.getBytes(StandardCharsets.UTF_8)));
                    r = c.read(timeout);
                }
            }
            if (r.intermediate()) {
                c.send("*"); // cancel an exchange that does not end
                r = c.read(timeout);
            }
        }
        if (r.positive()) {
            return null;
        }
        return new SmtpFailure(r.dsn(), "SASL authentication failed; server " + c.server.namaddr() + " said: "
                + r.text());
    }
}
