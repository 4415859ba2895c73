/**
 * Dovecot's auth service for jmail's IMAP, POP3 and SMTP submission: {@link org.jmail.auth.AuthService}
 * (built from main.cf with Dovecot's key names) verifies credentials against a passdb
 * ({@link org.jmail.auth.ShadowPassDb} for {@code unix}/{@code shadow}/{@code pam},
 * {@link org.jmail.auth.PasswdFileDb} for {@code passwd-file}), caches verified credentials
 * ({@link org.jmail.auth.CredentialCache}), and returns the userdb record
 * ({@link org.jmail.auth.UnixUserDb}, or the passwd-file). {@link org.jmail.auth.SaslServer}
 * decodes PLAIN/LOGIN. Protocol servers own the session side: failure delay, attempt counts,
 * and the imap-login/pop3-login log lines.
 */
package org.jmail.auth;
