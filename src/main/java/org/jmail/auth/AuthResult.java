package org.jmail.auth;

/**
 * The answer to an {@link AuthRequest}. {@code user} is set only on success. {@code temporary}
 * marks a failure that is not the client's fault (passdb unreadable): IMAP answers
 * {@code NO [UNAVAILABLE]}, POP3 {@code -ERR [SYS/TEMP]}. {@code reason} is for the log only,
 * never shown to the client (Dovecot says only "Authentication failed.").
 */
public record AuthResult(AuthUser user, boolean temporary, String reason) {

    public static AuthResult ok(AuthUser user) {
        return new AuthResult(user, false, null);
    }

    public static AuthResult failed(String reason) {
        return new AuthResult(null, false, reason);
    }

    public static AuthResult tempfail(String reason) {
        return new AuthResult(null, true, reason);
    }

    public boolean success() {
        return user != null;
    }
}
