package org.jmail.resolve;

/**
 * Where one recipient address goes: the answer of trivial-rewrite's resolve service.
 *
 * @param transport  master.cf transport name: "local", "smtp", "relay", "error", "discard"
 * @param nexthop    transport-specific next hop: a domain or [host]:port for smtp, the error
 *                   text for error, the domain for local
 * @param recipient  the (rewritten) recipient address, lower-cased domain
 * @param addressClass which class the domain falls into
 */
public record Resolution(String transport, String nexthop, String recipient, AddressClass addressClass) {
}
