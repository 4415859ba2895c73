package org.jmail.resolve;

import java.io.IOException;

/**
 * Postfix's trivial-rewrite(8) resolve service: which transport and next hop an address goes
 * to, and which address class its domain is in. Implemented by {@code AddressResolver};
 * used by smtpd (relay control, local recipient checks) and qmgr (routing).
 */
public interface Resolver {

    /**
     * @param address a recipient without angle brackets; "user" with no domain is local
     * @throws IOException when a table (transport_maps, mydestination tables) can't be read:
     *         a temporary failure
     */
    Resolution resolve(String address) throws IOException;
}
