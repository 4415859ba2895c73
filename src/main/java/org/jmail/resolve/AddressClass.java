package org.jmail.resolve;

/** The address classes of Postfix's trivial-rewrite(8) that jmail implements. */
public enum AddressClass {
    /** A domain in mydestination (or an address with no domain): delivered by local(8). */
    LOCAL,
    /** A domain in relay_domains: we accept it for relay from anyone. */
    RELAY,
    /** Any other domain: only authorised clients (mynetworks, SASL) may send there. */
    DEFAULT
}
