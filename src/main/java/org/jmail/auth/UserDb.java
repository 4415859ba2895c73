package org.jmail.auth;

/**
 * Dovecot's userdb: who a logged-in user is on this system (uid, gid, home, mail location).
 * Thread-safe and cheap per call.
 */
public interface UserDb {

    /** The driver name as logs show it: "passwd", "unix", "passwd-file". */
    String driver();

    /** The record for {@code user}, or null when the userdb doesn't know it. */
    AuthUser lookup(String user) throws AuthUnavailableException;
}
