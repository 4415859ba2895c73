/**
 * Postfix's smtp(8) for jmail: the outbound SMTP client behind the {@code smtp} and
 * {@code relay} transports. {@link org.jmail.smtp.SmtpDeliveryAgent} is the
 * {@link org.jmail.qmgr.DeliveryAgent}; {@link org.jmail.smtp.ServerLookup} turns a next hop
 * into mail servers (MX, implicit MX, null MX, [host]:port) through {@link org.jmail.dns};
 * {@link org.jmail.smtp.SmtpConnection} is one conversation (ESMTP, STARTTLS, AUTH);
 * {@link org.jmail.smtp.MailTransaction} moves one message over it (PIPELINING, SIZE,
 * 8BITMIME, SMTPUTF8); {@link org.jmail.smtp.ConnectionCache} keeps idle connections for the
 * next message to the same next hop. Reports use Postfix's texts.
 */
package org.jmail.smtp;
