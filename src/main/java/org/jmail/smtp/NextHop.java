package org.jmail.smtp;

import java.util.Locale;

/**
 * A next hop as transport(5) and relayhost write it: {@code [host]:port} or {@code [ip]} (no MX
 * lookup), {@code host} or {@code host:port} (MX lookup). An {@code inet:} prefix is accepted
 * and dropped. Ports are numbers or smtp/submission/smtps.
 *
 * @param host     the host or domain, lower case, without brackets ("ipv6:" prefix removed)
 * @param port     the TCP port
 * @param mxLookup whether MX records are consulted
 * @param text     the next hop as written (for the SASL password lookup and for messages)
 */
public record NextHop(String host, int port, boolean mxLookup, String text) {

    /** IllegalArgumentException with Postfix's words for a bad port or an empty destination. */
    public static NextHop parse(String nexthop, int defaultPort) {
        String t = nexthop == null ? "" : nexthop.strip();
        if (t.regionMatches(true, 0, "inet:", 0, 5)) {
            t = t.substring(5);
        }
        if (t.isEmpty()) {
            throw new IllegalArgumentException("null destination: \"" + nexthop + "\"");
        }
        String host;
        String portText = null;
        boolean mx = true;
        if (t.startsWith("[")) {
            int close = t.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("malformed destination: " + t);
            }
            host = t.substring(1, close);
            mx = false;
            String rest = t.substring(close + 1);
            if (rest.startsWith(":")) {
                portText = rest.substring(1);
            } else if (!rest.isEmpty()) {
                throw new IllegalArgumentException("malformed destination: " + t);
            }
        } else {
            int colon = t.lastIndexOf(':');
            if (colon > 0 && t.indexOf(':') == colon) {
                host = t.substring(0, colon);
                portText = t.substring(colon + 1);
            } else {
                host = t;
            }
        }
        if (host.regionMatches(true, 0, "ipv6:", 0, 5)) {
            host = host.substring(5);
        }
        int port = defaultPort;
        if (portText != null && !portText.isEmpty()) {
            try {
                port = SmtpSettings.port(portText);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad network port: " + portText + " for destination: " + t);
            }
        }
        return new NextHop(host.toLowerCase(Locale.ROOT), port, mx, t);
    }

    /** True when the host is a numeric IPv4 or IPv6 address. */
    public boolean isAddressLiteral() {
        return SmtpServer.isNumeric(host);
    }
}
