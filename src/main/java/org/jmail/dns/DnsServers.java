package org.jmail.dns;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses {@code jmail_dns_servers}: a space or comma separated list of name servers, each
 * {@code ip}, {@code ip:port}, {@code [v6]} or {@code [v6]:port} (port 53 by default). Only
 * numeric addresses are accepted: looking a name server up by name would need DNS itself.
 * An empty value means "the servers of /etc/resolv.conf".
 */
public final class DnsServers {

    private DnsServers() {
    }

    /** The addresses listed; empty for an empty value. IllegalArgumentException names a bad entry. */
    public static List<InetSocketAddress> parse(String value) {
        List<InetSocketAddress> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        for (String entry : value.split("[\\s,]+")) {
            if (!entry.isEmpty()) {
                out.add(parseOne(entry));
            }
        }
        return out;
    }

    static InetSocketAddress parseOne(String entry) {
        String host;
        int port = 53;
        if (entry.startsWith("[")) {
            int close = entry.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("bad DNS server address: " + entry);
            }
            host = entry.substring(1, close);
            String rest = entry.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new IllegalArgumentException("bad DNS server address: " + entry);
                }
                port = port(rest.substring(1), entry);
            }
        } else {
            int colon = entry.indexOf(':');
            if (colon >= 0 && entry.indexOf(':', colon + 1) < 0) {
                host = entry.substring(0, colon);
                port = port(entry.substring(colon + 1), entry);
            } else {
                host = entry; // plain IPv4, or a bare IPv6 address without a port
            }
        }
        if (!host.matches("[0-9A-Fa-f.:]+")) {
            throw new IllegalArgumentException("DNS server must be a numeric address: " + entry);
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("bad DNS server address: " + entry);
        }
    }

    private static int port(String s, String entry) {
        try {
            int p = Integer.parseInt(s);
            if (p > 0 && p < 65536) {
                return p;
            }
        } catch (NumberFormatException ignored) {
            // fall through
        }
        throw new IllegalArgumentException("bad DNS server port: " + entry);
    }
}
