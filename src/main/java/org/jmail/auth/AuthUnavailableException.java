package org.jmail.auth;

/**
 * A passdb or userdb could not answer (file unreadable, malformed entry, libcrypt missing):
 * not the client's fault, so the login is a temporary failure, never "wrong password".
 * The message is written for the auth log.
 */
public class AuthUnavailableException extends Exception {
    private static final long serialVersionUID = 1L;

    public AuthUnavailableException(String message) {
        super(message);
    }

    public AuthUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
