package org.jmail.auth;

import java.net.InetSocketAddress;

/**
 * One login attempt as a protocol server (imap, pop3, smtpd submission) hands it to the
 * {@link Authenticator}: the credentials a SASL mechanism (or LOGIN/USER+PASS) produced and
 * the connection facts Dovecot logs and checks.
 *
 * @param service "imap", "pop3" or "smtp" (Dovecot's %s)
 * @param mechanism "PLAIN", "LOGIN" (logged as method=)
 * @param secured TLS is active, or the connection is on loopback (Dovecot's "secured")
 */
public record AuthRequest(String user, String password, String authzid, String service, String mechanism,
                          InetSocketAddress remote, InetSocketAddress local, boolean secured) {
}
