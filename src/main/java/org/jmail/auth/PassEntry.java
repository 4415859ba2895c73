package org.jmail.auth;

/**
 * What a passdb knows about one user: the name as the database spells it, the stored
 * credential ("{SCHEME}data" or a bare crypt string, read with the passdb's default scheme),
 * and why the account may not log in.
 *
 * @param disabled set when the account is refused before any password check (locked or
 *        empty password field: Dovecot's "invalid password field")
 * @param expired set when a correct password must still be refused (shadow expiry, as PAM's
 *        account management would); checked after verification, as pam_acct_mgmt() is
 */
public record PassEntry(String user, String credential, String defaultScheme, String disabled, String expired) {

    public static PassEntry usable(String user, String credential, String defaultScheme) {
        return new PassEntry(user, credential, defaultScheme, null, null);
    }
}
