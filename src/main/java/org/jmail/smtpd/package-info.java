/**
 * smtpd(8): jmail's SMTP server, shaped like Postfix's smtpd and James's handlers.
 *
 * <ul>
 * <li>{@link org.jmail.smtpd.Smtpd} — the network shell (a
 *     {@link org.jmail.net.ConnectionHandler}): client name lookup, buffered socket input
 *     ({@code SmtpInput}), reply flushing for PIPELINING, {@code smtpd_timeout}.</li>
 * <li>{@code SmtpSession} — the protocol state machine: lines in, replies out, no I/O; one
 *     {@code SmtpCommand} class per verb ({@code MailCommand}, {@code RcptCommand},
 *     {@code DataCommand}, {@code BdatCommand}, ...); message content goes through
 *     {@code ContentWriter} to {@link org.jmail.cleanup.CleanupSession}.</li>
 * <li>{@code SmtpdChecks} — the restriction engine (Postfix's smtpd_check.c): restriction
 *     lists parsed by {@code Restrictions}, one {@code Restriction} class per keyword
 *     ({@code PermitMynetworks}, {@code UnauthDestination}, {@code RejectUnlistedRecipient},
 *     ...), rejects formatted and logged by {@code CheckContext}.</li>
 * <li>TLS and submission: {@code StartTlsCommand} and the shell's handshake (STARTTLS, wrapper
 *     mode, {@code TlsLevel}), {@code AuthCommand} with {@code SaslGlue} (PLAIN/LOGIN against
 *     the {@link org.jmail.auth.AuthService} IMAP uses), {@code SenderLoginMismatch}
 *     (smtpd_sender_login_maps), {@code SmtpdLog} (per-service syslog_name).</li>
 * </ul>
 * Reply texts and log lines are Postfix 3.7's.
 */
package org.jmail.smtpd;
