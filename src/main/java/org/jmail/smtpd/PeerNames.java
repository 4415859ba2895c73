package org.jmail.smtpd;

/**
 * What smtpd knows of a client's host names, as Postfix's smtpd_peer.c keeps it: the verified
 * (forward-confirmed) name or {@code unknown}, the reverse (PTR) name, unverified, or
 * {@code unknown}, and for each whether the lookup succeeded ({@link Status#OK}), failed
 * temporarily ({@link Status#TEMP}: a DNS server failure or timeout) or failed for good
 * ({@link Status#PERM}: no PTR, or the name does not map back to the address).
 */
public record PeerNames(String name, Status nameStatus, String reverseName, Status reverseStatus) {

    /** Postfix's SMTPD_PEER_CODE_OK / _TEMP / _PERM. */
    public enum Status { OK, TEMP, PERM }

    /** Both names unknown, permanently (also smtpd_peername_lookup = no, as Postfix). */
    public static final PeerNames UNKNOWN =
            new PeerNames(ClientNames.UNKNOWN, Status.PERM, ClientNames.UNKNOWN, Status.PERM);

    /** From a verified name alone: "unknown" is a permanent failure of both names. */
    public static PeerNames ofVerified(String name) {
        if (name == null || name.equals(ClientNames.UNKNOWN)) {
            return UNKNOWN;
        }
        return new PeerNames(name, Status.OK, name, Status.OK);
    }
}
