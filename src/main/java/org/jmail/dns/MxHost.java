package org.jmail.dns;

/**
 * One MX record: its preference and the exchanger's host name (lower case, without the
 * trailing dot; "" for the RFC 7505 null MX whose exchange is the root ".").
 */
public record MxHost(int preference, String host) {

    /** RFC 7505: an MX whose exchange is "." says the domain accepts no mail. */
    public boolean isNullMx() {
        return host.isEmpty();
    }
}
