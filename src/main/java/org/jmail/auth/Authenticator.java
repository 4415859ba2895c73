package org.jmail.auth;

/**
 * Dovecot's auth service: verifies credentials against the passdb and returns the userdb
 * record. Implementations are thread-safe and may block (crypt, file reads); they do NOT
 * apply {@code auth_failure_delay} or write the imap-login/pop3-login log lines: the
 * protocol server does both, as it knows the session's attempt count.
 */
public interface Authenticator {

    AuthResult authenticate(AuthRequest request);
}
