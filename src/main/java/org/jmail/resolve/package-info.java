/**
 * Address resolution, Postfix's trivial-rewrite(8) resolve service: {@link
 * org.jmail.resolve.AddressResolver} (address class, transport, next hop from mydestination,
 * relay_domains, transport_maps, relayhost) and {@link org.jmail.resolve.LocalRecipientCheck}
 * (local_recipient_maps). {@link org.jmail.resolve.Addresses} holds the address helpers
 * (internal form, extensions, quoting).
 */
package org.jmail.resolve;
