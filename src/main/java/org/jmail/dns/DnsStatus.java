package org.jmail.dns;

/**
 * The outcome class of one DNS query, after the resolver library's h_errno values that Postfix
 * reports (dns_strerror): a permanent negative answer is {@link #NOT_FOUND} (NXDOMAIN) or
 * {@link #NO_DATA} (the name exists, the type does not); {@link #TRY_AGAIN} is a server failure
 * or a timeout (temporary); {@link #NO_RECOVERY} is any other error code from the server
 * (REFUSED, FORMERR, NOTIMP), which Postfix treats as permanent.
 */
public enum DnsStatus {
    OK(""),
    NOT_FOUND("Host not found"),
    NO_DATA("Host found but no data record of requested type"),
    TRY_AGAIN("Host not found, try again"),
    NO_RECOVERY("Non-recoverable error");

    private final String text;

    DnsStatus(String text) {
        this.text = text;
    }

    /** Postfix's dns_strerror() text for this status. */
    public String text() {
        return text;
    }

    /** True for a definite negative answer ("no such domain" or "no data"). */
    public boolean isNegative() {
        return this == NOT_FOUND || this == NO_DATA;
    }

    /** True when asking again later may succeed. */
    public boolean isTemporary() {
        return this == TRY_AGAIN;
    }
}
