/**
 * jmail's one DNS resolver (dnsjava underneath): MX, A, AAAA, TXT and PTR lookups with a small
 * TTL-respecting cache, for the SMTP client now and SPF/DKIM/DMARC/DNSBL later.
 * {@link org.jmail.dns.DnsResolver} answers with a {@link org.jmail.dns.DnsAnswer} that tells a
 * permanent "no such domain"/"no data" from a temporary "server failure/timeout", and carries
 * Postfix's wording of the error ({@code Host or domain name not found. Name service error for
 * name=… type=MX: Host not found, try again}).
 */
package org.jmail.dns;
