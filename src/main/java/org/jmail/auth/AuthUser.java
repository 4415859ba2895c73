package org.jmail.auth;

/**
 * A user who logged in: Dovecot's userdb result. {@code name} is the login name as the passdb
 * spelled it (Dovecot's %u), {@code uid}/{@code gid} the identity mailbox files are accessed
 * with, {@code home} the home directory ({@code ~} in mail_location), {@code mail} a per-user
 * mail_location override from the userdb ("" = use the global one).
 */
public record AuthUser(String name, int uid, int gid, String home, String mail) {
}
