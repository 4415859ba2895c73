/**
 * pop3d: POP3 (RFC 1939) with CAPA (RFC 2449), STLS (RFC 2595) and AUTH (RFC 5034), as
 * Dovecot 2.3's pop3-login and pop3 processes behave — same replies, same capability list,
 * same UIDLs ({@code pop3_uidl_format}), same log lines (pop3-login's {@code Login:} and
 * {@code Disconnected (auth failed, N attempts in S secs): user=<…>, method=…, rip=…, lip=…}
 * that fail2ban reads, pop3's {@code Disconnected: Logged out top=…, retr=…, del=…, size=…}).
 *
 * <p>{@link org.jmail.pop3.Pop3Server} is the {@code ConnectionHandler} a listener runs;
 * {@code Pop3Session} is the socket-free protocol core (lines in, replies out), made of
 * {@code Pop3Login} (AUTHORIZATION) and {@code Pop3Maildrop} (TRANSACTION/UPDATE over a
 * snapshot of the INBOX taken at login). Settings: {@link org.jmail.pop3.Pop3Settings}.
 */
package org.jmail.pop3;
