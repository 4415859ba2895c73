package org.jmail.dns;

import java.io.IOException;
import java.net.IDN;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.jmail.config.MainConfig;
import org.jmail.log.MailLog;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * jmail's DNS resolver: one instance per configuration, shared by every thread (thread-safe).
 *
 * <p>Queries go to the servers of {@code jmail_dns_servers} (see {@link DnsServers}) or, when
 * that is empty, to those of /etc/resolv.conf; UDP first, TCP when the answer is truncated,
 * each server tried with a per-try timeout ({@code jmail_dns_timeout}, default 5s, and
 * {@code jmail_dns_retries}, default 2, as resolv.conf's defaults). Names are absolute (no
 * search list), CNAME chains are followed up to 10 links; non-ASCII names are asked as their
 * IDNA A-labels.
 *
 * <p>Answers are cached for their TTL (capped at one hour); negative answers ("no such
 * domain", "no data") for the SOA's negative TTL when the server sent one; server failures and
 * timeouts are never cached. The cache holds at most {@value #CACHE_LIMIT} entries.
 *
 * <p>Failure modes are answers, not exceptions: {@link DnsStatus#TRY_AGAIN} for timeouts and
 * SERVFAIL, {@link DnsStatus#NOT_FOUND}/{@link DnsStatus#NO_DATA} for definite negatives,
 * {@link DnsStatus#NO_RECOVERY} for other server errors and malformed names.
 */
public final class DnsResolver {

    static final int CACHE_LIMIT = 10_000;
    private static final long MAX_TTL = 3600;
    private static final MailLog LOG = MailLog.of("dns");

    private final Resolver resolver;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final LongSupplier clock;

    private record Cached(DnsAnswer<Record> answer, long expiresAt) {
    }

    /** From main.cf: jmail_dns_servers, jmail_dns_timeout, jmail_dns_retries. */
    public DnsResolver(MainConfig config) {
        this(servers(config.get("jmail_dns_servers")),
                timeout(config.get("jmail_dns_timeout")),
                retries(config.get("jmail_dns_retries")));
    }

    /**
     * @param servers name servers; empty for /etc/resolv.conf's
     * @param timeout the time one try at one server may take
     * @param retries how many times the server list is tried
     */
    public DnsResolver(List<InetSocketAddress> servers, Duration timeout, int retries) {
        this(build(servers, timeout, retries), System::currentTimeMillis);
    }

    DnsResolver(Resolver resolver, LongSupplier clock) {
        this.resolver = resolver;
        this.clock = clock;
    }

    private static Resolver build(List<InetSocketAddress> servers, Duration timeout, int retries) {
        ExtendedResolver r;
        if (servers.isEmpty()) {
            r = new ExtendedResolver();
        } else {
            List<Resolver> list = new ArrayList<>();
            for (InetSocketAddress a : servers) {
                list.add(new SimpleResolver(a));
            }
            r = new ExtendedResolver(list);
        }
        for (Resolver one : r.getResolvers()) {
            one.setTimeout(timeout);
        }
        int tries = Math.max(1, retries);
        // the whole query may take every try at every server
        r.setTimeout(timeout.multipliedBy((long) tries * Math.max(1, r.getResolvers().length)));
        r.setRetries(tries);
        r.setLoadBalance(false);
        return r;
    }

    /** A bad list is logged and replaced by resolv.conf's servers: the daemon must still start. */
    private static List<InetSocketAddress> servers(String value) {
        try {
            return DnsServers.parse(value);
        } catch (IllegalArgumentException e) {
            LOG.error("jmail_dns_servers: " + e.getMessage() + "; using the servers of /etc/resolv.conf");
            return List.of();
        }
    }

    private static Duration timeout(String v) {
        if (v == null || v.isBlank()) {
            return Duration.ofSeconds(5);
        }
        try {
            return MainConfig.parseTime(v.strip(), 's');
        } catch (RuntimeException e) {
            return Duration.ofSeconds(5);
        }
    }

    private static int retries(String v) {
        try {
            return v == null || v.isBlank() ? 2 : Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            return 2;
        }
    }

    /** MX records of a domain, in the order the server gave them (callers sort). */
    public DnsAnswer<MxHost> mx(String domain) {
        DnsAnswer<Record> a = lookup(domain, Type.MX);
        List<MxHost> out = new ArrayList<>();
        for (Record r : a.records()) {
            MXRecord mx = (MXRecord) r;
            out.add(new MxHost(mx.getPriority(), hostName(mx.getTarget())));
        }
        return a.withRecords(out);
    }

    /** IPv4 addresses of a host. */
    public DnsAnswer<InetAddress> a(String host) {
        DnsAnswer<Record> a = lookup(host, Type.A);
        List<InetAddress> out = new ArrayList<>();
        for (Record r : a.records()) {
            out.add(((ARecord) r).getAddress());
        }
        return a.withRecords(out);
    }

    /** IPv6 addresses of a host. */
    public DnsAnswer<InetAddress> aaaa(String host) {
        DnsAnswer<Record> a = lookup(host, Type.AAAA);
        List<InetAddress> out = new ArrayList<>();
        for (Record r : a.records()) {
            out.add(((AAAARecord) r).getAddress());
        }
        return a.withRecords(out);
    }

    /** TXT records, each the concatenation of its character strings (as SPF/DKIM want). */
    public DnsAnswer<String> txt(String name) {
        DnsAnswer<Record> a = lookup(name, Type.TXT);
        List<String> out = new ArrayList<>();
        for (Record r : a.records()) {
            out.add(String.join("", ((TXTRecord) r).getStrings()));
        }
        return a.withRecords(out);
    }

    /** PTR names of an address (reverse lookup), without trailing dots. */
    public DnsAnswer<String> ptr(InetAddress address) {
        String name = ReverseMap.fromAddress(address).toString(true);
        DnsAnswer<Record> a = lookup(name, Type.PTR);
        List<String> out = new ArrayList<>();
        for (Record r : a.records()) {
            out.add(hostName(((PTRRecord) r).getTarget()));
        }
        return a.withRecords(out);
    }

    /** Any type (dnsjava's {@link Type} constants), CNAMEs followed; the general entry point. */
    public DnsAnswer<Record> lookup(String name, int type) {
        String n = stripDot(name).toLowerCase(Locale.ROOT);
        if (!isAscii(n)) {
            try {
                n = IDN.toASCII(n, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT); // U-labels to A-labels, as Postfix
            } catch (IllegalArgumentException e) {
                return new DnsAnswer<>(name, Type.string(type), DnsStatus.NOT_FOUND, List.of(), 0);
            }
        }
        String key = Type.string(type) + ' ' + n;
        long now = clock.getAsLong();
        Cached c = cache.get(key);
        if (c != null && c.expiresAt > now) {
            return c.answer;
        }
        DnsAnswer<Record> answer = query(n, type);
        if (answer.ttl() > 0) {
            if (cache.size() >= CACHE_LIMIT) {
                prune(now);
            }
            cache.put(key, new Cached(answer, now + answer.ttl() * 1000));
        } else if (c != null) {
            cache.remove(key, c);
        }
        return answer;
    }

    /** Drops expired entries; when that is not enough, everything (a cache, not a store). */
    private void prune(long now) {
        cache.values().removeIf(e -> e.expiresAt <= now);
        if (cache.size() >= CACHE_LIMIT) {
            cache.clear();
        }
    }

    private DnsAnswer<Record> query(String name, int type) {
        String typeName = Type.string(type);
        Name qname;
        try {
            qname = Name.fromString(name.isEmpty() ? "." : name + ".");
        } catch (TextParseException e) {
            return new DnsAnswer<>(name, typeName, DnsStatus.NOT_FOUND, List.of(), 0);
        }
        Name current = qname;
        for (int hops = 0; hops < 10; hops++) {
            Message response;
            try {
                response = resolver.send(Message.newQuery(Record.newRecord(current, type, DClass.IN)));
            } catch (IOException e) {
                return new DnsAnswer<>(name, typeName, DnsStatus.TRY_AGAIN, List.of(), 0);
            } catch (RuntimeException e) {
                LOG.warn("DNS lookup of " + name + " type " + typeName + " failed: " + e);
                return new DnsAnswer<>(name, typeName, DnsStatus.TRY_AGAIN, List.of(), 0);
            }
            int rcode = response.getRcode();
            if (rcode == Rcode.NXDOMAIN) {
                return new DnsAnswer<>(name, typeName, DnsStatus.NOT_FOUND, List.of(), negativeTtl(response));
            }
            if (rcode == Rcode.SERVFAIL) {
                return new DnsAnswer<>(name, typeName, DnsStatus.TRY_AGAIN, List.of(), 0);
            }
            if (rcode != Rcode.NOERROR) {
                return new DnsAnswer<>(name, typeName, DnsStatus.NO_RECOVERY, List.of(), 0);
            }
            // follow the CNAME chain inside this answer, then collect records of the type
            Name owner = current;
            long ttl = MAX_TTL;
            List<Record> answers = response.getSection(Section.ANSWER);
            boolean moved = true;
            while (moved) {
                moved = false;
                for (Record r : answers) {
                    if (r.getType() == Type.CNAME && type != Type.CNAME && r.getName().equals(owner)) {
                        owner = ((CNAMERecord) r).getTarget();
                        ttl = Math.min(ttl, r.getTTL());
                        moved = true;
                        break;
                    }
                }
            }
            List<Record> found = new ArrayList<>();
            for (Record r : answers) {
                if (r.getType() == type && r.getName().equals(owner)) {
                    found.add(r);
                    ttl = Math.min(ttl, r.getTTL());
                }
            }
            if (!found.isEmpty()) {
                return new DnsAnswer<>(name, typeName, DnsStatus.OK, found, ttl);
            }
            if (owner.equals(current)) {
                return new DnsAnswer<>(name, typeName, DnsStatus.NO_DATA, List.of(), negativeTtl(response));
            }
            current = owner; // a CNAME whose target the server did not resolve: ask for it
        }
        LOG.warn("dns_lookup: Name server loop for " + name);
        return new DnsAnswer<>(name, typeName, DnsStatus.NOT_FOUND, List.of(), 0);
    }

    /** RFC 2308: the negative TTL is min(SOA TTL, SOA minimum) from the authority section. */
    private static long negativeTtl(Message m) {
        for (Record r : m.getSection(Section.AUTHORITY)) {
            if (r instanceof SOARecord soa) {
                return Math.min(MAX_TTL, Math.min(soa.getTTL(), soa.getMinimum()));
            }
        }
        return 0;
    }

    private static String hostName(Name n) {
        if (n.labels() <= 1) {
            return ""; // the root: RFC 7505's null MX exchange "."
        }
        return stripDot(n.toString(true)).toLowerCase(Locale.ROOT);
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private static String stripDot(String s) {
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
