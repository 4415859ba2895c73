/**
 * Postfix's smtp(8) for jmail: the outbound SMTP client behind the {@code smtp} and
 * {@code relay} transports. {@link org.jmail.smtp.SmtpDeliveryAgent} is the
 * {@link org.jmail.qmgr.DeliveryAgent}; {@link org.jmail.smtp.ServerLookup} turns a next hop
 * into mail servers (MX, implicit MX, null MX, [host]:port) through {@link org.jmail.dns};
 * {@link org.jmail.smtp.SmtpConnection} is one conversation (ESMTP, STARTTLS, AUTH);
 * {@link org.jmail.smtp.MailTransaction} moves one message over it (PIPELINING, SIZE,
 * 8BITMIME, SMTPUTF8); {@link org.jmail.smtp.ConnectionCache} keeps idle connections for the
 * next message to the same next hop. Reports use Postfix's texts.
 *
 * <p>DSN requests (RFC 3461: RET, ENVID, NOTIFY, ORCPT, kept in the queue file) go to a server
 * that offers DSN, which then owns any success notice; to one that does not, a NOTIFY=SUCCESS
 * recipient gets qmgr's "relayed" notice.
 *
 * <p>Known differences from Postfix: the queue records neither the client's BODY=8BITMIME nor
 * its SMTPUTF8 request, so the client scans the content for 8-bit bytes and asks for SMTPUTF8
 * when an envelope address is not ASCII (or the header has 8-bit text and the server offers it). Certificates
 * are never verified (levels verify/secure/dane act as encrypt). Only PLAIN and LOGIN exist as
 * SASL mechanisms, so Postfix's default {@code smtp_sasl_security_options = noplaintext,
 * noanonymous} refuses them exactly as Postfix with Cyrus would refuse them; set
 * {@code noanonymous}. Loop detection looks at the EHLO name only (not at our own addresses in
 * the MX list). TLS connections are cached like plain ones.
 */
package org.jmail.smtp;
