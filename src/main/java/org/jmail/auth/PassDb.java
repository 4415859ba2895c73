package org.jmail.auth;

/**
 * Dovecot's passdb: where a user's password hash comes from. Implementations are thread-safe
 * and cheap to call per login (they keep the parsed source and re-read it only when it
 * changes): the expensive part of a login is the hash verification, which
 * {@link AuthService} does and caches.
 */
public interface PassDb {

    /** The driver name as logs show it: "shadow", "pam", "unix", "passwd-file". */
    String driver();

    /** The entry for {@code user} (already formatted by auth_username_format), or null: unknown user. */
    PassEntry lookup(String user) throws AuthUnavailableException;

    /**
     * A value that changes whenever the underlying data may have changed (e.g. the file's
     * stamp); negative cache entries made under another generation are ignored, so a user
     * added to the file can log in at once.
     */
    default Object generation() {
        return null;
    }
}
