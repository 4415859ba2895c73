package org.jmail.smtp;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.jmail.dns.DnsAnswer;
import org.jmail.dns.DnsResolver;
import org.jmail.dns.DnsStatus;
import org.jmail.dns.MxHost;
import org.jmail.log.MailLog;

/**
 * Postfix's smtp_addr: the mail servers of a next hop, most preferred first.
 *
 * <p>{@code [host]} and address literals skip the MX lookup. Otherwise the MX records are
 * sorted by preference (equal preferences in random order with smtp_randomize_addresses); a
 * domain without MX records is its own MX ("implicit MX", RFC 5321 5.1); an MX "." (RFC 7505
 * null MX) fails permanently with {@code 5.1.0 Domain D does not accept mail (nullMX)}.
 * Addresses are A and/or AAAA records per {@code inet_protocols}; at most
 * {@code smtp_mx_address_limit} are returned.
 *
 * <p>Failures carry Postfix's status and text: a DNS server failure or timeout is temporary
 * (4.4.3), "no such domain"/"no data" permanent (5.4.4), other server errors 5.4.3; a
 * temporary problem with one MX host makes the whole result temporary when no host has an
 * address ("a soft error dominates"). Not implemented: recognising ourselves in the MX list
 * (Postfix's "mail for D loops back to myself").
 */
public final class ServerLookup {

    private static final MailLog LOG = MailLog.of("smtp");

    private final DnsResolver dns;
    private final SmtpSettings settings;

    /** Either servers to try or the failure that stops delivery to this next hop. */
    public record Result(List<SmtpServer> servers, SmtpFailure failure) {
    }

    public ServerLookup(DnsResolver dns, SmtpSettings settings) {
        this.dns = dns;
        this.settings = settings;
    }

    public Result find(NextHop hop) {
        if (!hop.mxLookup() || hop.isAddressLiteral() || !settings.dnsLookup) {
            return host(hop.host(), hop.port(), 0);
        }
        DnsAnswer<MxHost> mx = dns.mx(hop.host());
        switch (mx.status()) {
            case OK:
                break;
            case NOT_FOUND:
            case NO_DATA:
                return host(hop.host(), hop.port(), 0);
            case TRY_AGAIN:
                return new Result(List.of(), new SmtpFailure("4.4.3", mx.reason()));
            default:
                return new Result(List.of(), new SmtpFailure("5.4.3", mx.reason()));
        }
        List<MxHost> hosts = new ArrayList<>(mx.records());
        for (MxHost h : hosts) {
            if (h.isNullMx()) {
                return new Result(List.of(), new SmtpFailure("5.1.0",
                        "Domain " + hop.host() + " does not accept mail (nullMX)"));
            }
        }
        List<SmtpServer> all = new ArrayList<>();
        SmtpFailure worst = null;
        for (MxHost h : hosts) {
            Result r = addresses(h.host(), hop.port(), h.preference());
            all.addAll(r.servers());
            if (r.failure() != null && (worst == null || !worst.soft())) {
                worst = r.failure();
            }
        }
        if (all.isEmpty()) {
            LOG.warn("no MX host for " + hop.host() + " has a valid address record");
            return new Result(List.of(), worst != null ? worst
                    : new SmtpFailure("4.4.4", "no MX host for " + hop.host() + " has a valid address record"));
        }
        return new Result(order(all), null);
    }

    private Result host(String host, int port, int pref) {
        Result r = addresses(host, port, pref);
        return r.servers().isEmpty() ? r : new Result(order(r.servers()), null);
    }

    /** Random among equal preferences, then by preference; cut at smtp_mx_address_limit. */
    private List<SmtpServer> order(List<SmtpServer> list) {
        List<SmtpServer> out = new ArrayList<>(list);
        if (settings.randomizeAddresses) {
            Collections.shuffle(out, ThreadLocalRandom.current());
        }
        out.sort(Comparator.comparingInt(SmtpServer::preference));
        if (settings.mxAddressLimit > 0 && out.size() > settings.mxAddressLimit) {
            out = new ArrayList<>(out.subList(0, settings.mxAddressLimit));
        }
        return out;
    }

    /** The addresses of one host (numeric, DNS, then the native resolver as smtp_host_lookup says). */
    private Result addresses(String host, int port, int pref) {
        if (SmtpServer.isNumeric(host)) {
            try {
                InetAddress a = InetAddress.getByName(host);
                boolean v6 = a.getAddress().length == 16;
                if (v6 ? settings.ipv6 : settings.ipv4) {
                    return new Result(List.of(new SmtpServer(host, a, port, pref)), null);
                }
            } catch (UnknownHostException e) {
                // not numeric after all
            }
            return new Result(List.of(), new SmtpFailure("5.4.4", host + ": host not found"));
        }
        List<SmtpServer> out = new ArrayList<>();
        SmtpFailure failure = null;
        if (settings.dnsLookup) {
            List<DnsAnswer<InetAddress>> answers = new ArrayList<>();
            if (settings.ipv4) {
                answers.add(dns.a(host));
            }
            if (settings.ipv6) {
                answers.add(dns.aaaa(host));
            }
            boolean notFound = true;
            for (DnsAnswer<InetAddress> a : answers) {
                for (InetAddress ip : a.records()) {
                    out.add(new SmtpServer(host, ip, port, pref));
                }
                if (a.status() == DnsStatus.TRY_AGAIN) {
                    failure = new SmtpFailure("4.4.3", a.reason());
                    notFound = false;
                } else if (a.status() == DnsStatus.NO_RECOVERY && (failure == null || !failure.soft())) {
                    failure = new SmtpFailure("5.4.3", a.reason());
                    notFound = false;
                } else if (a.status().isNegative() && (failure == null || !failure.soft())
                        && (failure == null || failure.dsn().equals("5.4.4"))) {
                    failure = new SmtpFailure("5.4.4", a.reason()); // the last type asked, as Postfix
                }
            }
            if (!out.isEmpty()) {
                return new Result(out, null);
            }
            if (!settings.nativeLookup || !notFound) {
                return new Result(List.of(), failure);
            }
        }
        try {
            for (InetAddress ip : InetAddress.getAllByName(host)) {
                boolean v6 = ip.getAddress().length == 16;
                if (v6 ? settings.ipv6 : settings.ipv4) {
                    out.add(new SmtpServer(host, ip, port, pref));
                }
            }
            if (out.isEmpty()) {
                return new Result(List.of(), new SmtpFailure("5.4.4", host + ": host not found"));
            }
            return new Result(out, null);
        } catch (UnknownHostException e) {
            // Java does not tell "no such name" from "try again": defer rather than bounce
            return new Result(List.of(), failure != null ? failure
                    : new SmtpFailure("4.4.4", "unable to look up host " + host + ": Name or service not known"));
        }
    }
}
