package org.jmail.smtpd;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import org.jmail.dns.DnsAnswer;
import org.jmail.dns.DnsResolver;
import org.jmail.dns.DnsStatus;

/**
 * Client host names the way Postfix's smtpd_peer.c finds them, through the shared
 * {@link DnsResolver} (so jmail_dns_servers, its timeouts and its cache apply): the PTR name of
 * the address is the reverse name; that name is the verified name only when its A (IPv4 client)
 * or AAAA (IPv6 client) records contain the address. A DNS server failure or timeout at
 * either step is a temporary status, anything else a permanent one; whatever fails leaves
 * the name {@code unknown}.
 *
 * <p>The primary loopback addresses (127.0.0.1, ::1) are {@code localhost} without a query,
 * as /etc/hosts names them (the system lookup did the same); the rest of 127/8 is looked up
 * like any client, so tests can play nameless clients on 127.0.0.x. Bounded in time by the
 * resolver's own timeout and retries. Thread-safe (the resolver is).
 */
public final class DnsClientNames implements ClientNames {

    private final DnsResolver dns;

    public DnsClientNames(DnsResolver dns) {
        this.dns = dns;
    }

    @Override
    public String nameOf(InetAddress address) {
        return lookup(address).name();
    }

    @Override
    public PeerNames lookup(InetAddress address) {
        if (isPrimaryLoopback(address)) {
            return new PeerNames("localhost", PeerNames.Status.OK, "localhost", PeerNames.Status.OK);
        }
        DnsAnswer<String> ptr = dns.ptr(address);
        if (!ptr.ok() || ptr.records().isEmpty()) {
            PeerNames.Status st = ptr.status() == DnsStatus.TRY_AGAIN ? PeerNames.Status.TEMP : PeerNames.Status.PERM;
            return new PeerNames(UNKNOWN, st, UNKNOWN, st);
        }
        String reverse = ptr.records().get(0);
        if (!HostnameRestriction.validHostname(reverse)) {
            // Postfix: "warning: numeric hostname" / malformed names are treated as unknown
            return new PeerNames(UNKNOWN, PeerNames.Status.PERM, UNKNOWN, PeerNames.Status.PERM);
        }
        DnsAnswer<InetAddress> fwd = address instanceof Inet6Address ? dns.aaaa(reverse) : dns.a(reverse);
        if (fwd.ok() && contains(fwd.records(), address)) {
            return new PeerNames(reverse, PeerNames.Status.OK, reverse, PeerNames.Status.OK);
        }
        PeerNames.Status st = fwd.status() == DnsStatus.TRY_AGAIN ? PeerNames.Status.TEMP : PeerNames.Status.PERM;
        // smtpd_peer.c's warnings, in its words
        String addr = org.jmail.util.InetText.format(address);
        SmtpdLog.INSTANCE.warn(fwd.ok()
                ? "hostname " + reverse + " does not resolve to address " + addr
                : "hostname " + reverse + " does not resolve to address " + addr + ": " + fwd.status().text());
        return new PeerNames(UNKNOWN, st, reverse, PeerNames.Status.OK);
    }

    private static boolean contains(List<InetAddress> records, InetAddress address) {
        for (InetAddress a : records) {
            if (a.equals(address)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isPrimaryLoopback(InetAddress address) {
        if (address instanceof Inet4Address) {
            byte[] b = address.getAddress();
            return b[0] == 127 && b[1] == 0 && b[2] == 0 && b[3] == 1;
        }
        return address.isLoopbackAddress();
    }
}
