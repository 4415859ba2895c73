package org.jmail.resolve;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jmail.config.MainConfig;
import org.jmail.util.InetCidr;

/**
 * Postfix's trivial-rewrite(8) resolve service for jmail: the address class, transport and
 * next hop of a recipient.
 *
 * <p>Classes: an address without a domain, a domain in {@code mydestination}, or an address
 * literal ({@code user@[127.0.0.1]}) naming one of our own addresses ({@code inet_interfaces},
 * {@code proxy_interfaces}; with {@code inet_interfaces = all}, any address of a local
 * interface) is {@link AddressClass#LOCAL} and goes to {@code local_transport}; a domain in
 * {@code relay_domains} is {@link AddressClass#RELAY} and goes to {@code relay_transport};
 * anything else is {@link AddressClass#DEFAULT} and goes to {@code default_transport}. Relay
 * and default mail have {@code relayhost} as next hop when it is set, else the domain; a
 * {@code transport:nexthop} value in a *_transport parameter overrides that next hop. Then
 * {@code transport_maps} may override the route (see {@link TransportMap}).
 *
 * <p>Thread-safe; the configuration is read once in the constructor. Table failures surface
 * as {@link IOException} from {@link #resolve}.
 */
public final class AddressResolver implements Resolver {

    private final String myhostname;
    private final DomainList mydestination;
    private final DomainList relayDomains;
    private final TransportMap transportMaps;
    private final String localTransport;
    private final String relayTransport;
    private final String defaultTransport;
    private final String relayhost;
    private final List<InetCidr> interfaceAddresses;
    private final boolean allInterfaces;
    private volatile List<InetAddress> localInterfaceAddresses;

    public AddressResolver(MainConfig config) {
        this(config, TableOpener.standard());
    }

    /** Tables come from {@code opener} instead of {@link org.jmail.table.Tables} (tests). */
    public AddressResolver(MainConfig config, TableOpener opener) {
        this.myhostname = config.get("myhostname").strip();
        String parentStyle = parentDomainMatchesSubdomains(config);
        this.mydestination = DomainList.exact("mydestination", config.get("mydestination"), opener);
        this.relayDomains = DomainList.hostnames("relay_domains", config.get("relay_domains"), parentStyle, opener);
        this.transportMaps = new TransportMap(config.get("transport_maps"), config.get("recipient_delimiter"),
                doubleBounce(config), parentStyle, opener);
        this.localTransport = config.get("local_transport").strip();
        this.relayTransport = config.get("relay_transport").strip();
        this.defaultTransport = config.get("default_transport").strip();
        this.relayhost = config.get("relayhost").strip();
        List<InetCidr> own = new ArrayList<>();
        boolean all = false;
        for (String key : new String[] {"inet_interfaces", "proxy_interfaces"}) {
            for (String entry : MainConfig.splitList(config.get(key))) {
                String e = entry.toLowerCase();
                if (e.equals("all")) {
                    all = true;
                } else if (e.equals("loopback-only") || e.equals("localhost")) {
                    own.add(InetCidr.parse("127.0.0.0/8"));
                    own.add(InetCidr.parse("[::1]/128"));
                } else {
                    try {
                        own.add(InetCidr.parse(entry.replaceAll(":\\d+$", "")));
                    } catch (IllegalArgumentException ignored) {
                        // a host name: resolving it here would block on DNS; not an own literal
                    }
                }
            }
        }
        this.interfaceAddresses = List.copyOf(own);
        this.allInterfaces = all;
    }

    /** Postfix 3.7's default of parent_domain_matches_subdomains (not compatibility-dependent). */
    public static final String PARENT_DOMAIN_MATCHES_SUBDOMAINS_DEFAULT = "debug_peer_list,fast_flush_domains,"
            + "mynetworks,permit_mx_backup_networks,qmqpd_authorized_clients,relay_domains,smtpd_access_maps";

    /**
     * The effective parent_domain_matches_subdomains: the configured value, or Postfix's default
     * when neither main.cf nor jmail's Defaults define the key.
     */
    public static String parentDomainMatchesSubdomains(MainConfig config) {
        return config.raw("parent_domain_matches_subdomains") == null ? PARENT_DOMAIN_MATCHES_SUBDOMAINS_DEFAULT
                : config.get("parent_domain_matches_subdomains");
    }

    static String doubleBounce(MainConfig config) {
        String v = config.get("double_bounce_sender").strip();
        return v.isEmpty() ? "double-bounce" : v;
    }

    @Override
    public Resolution resolve(String address) throws IOException {
        String local = Addresses.localPart(address);
        String rawDomain = Addresses.domain(address);
        String domain = rawDomain == null ? null : Addresses.canonicalDomain(rawDomain);
        if (domain != null && domain.isEmpty()) {
            domain = null;
        }
        AddressClass cls = classify(domain);
        TransportMap.Route route = switch (cls) {
            case LOCAL -> split(localTransport, domain == null ? myhostname : domain);
            case RELAY -> split(relayTransport, relayhost.isEmpty() ? domain : relayhost);
            case DEFAULT -> split(defaultTransport, relayhost.isEmpty() ? domain : relayhost);
        };
        route = transportMaps.apply(local, domain, route);
        // the recipient keeps the domain's case as written (logs, Delivered-To), as Postfix's
        // trivial-rewrite does; only comparisons and lookups fold it
        String recipient = domain == null ? local : local + "@" + Addresses.withoutTrailingDots(rawDomain);
        return new Resolution(route.transport(), route.nexthop(), recipient, cls);
    }

    /** Whether a (canonical) domain is local: in mydestination, or a literal of ours. */
    public boolean isLocalDomain(String domain) throws IOException {
        return classify(domain) == AddressClass.LOCAL;
    }

    private AddressClass classify(String domain) throws IOException {
        if (domain == null) {
            return AddressClass.LOCAL;
        }
        if (domain.startsWith("[") && domain.endsWith("]")) {
            if (isOwnLiteral(domain.substring(1, domain.length() - 1))) {
                return AddressClass.LOCAL;
            }
        } else if (mydestination.matches(domain)) {
            return AddressClass.LOCAL;
        }
        if (relayDomains.matches(domain)) {
            return AddressClass.RELAY;
        }
        return AddressClass.DEFAULT;
    }

    private boolean isOwnLiteral(String literal) {
        String text = literal.regionMatches(true, 0, "ipv6:", 0, 5) ? literal.substring(5) : literal;
        byte[] bytes = InetCidr.parseLiteral(text);
        if (bytes == null) {
            return false;
        }
        for (InetCidr c : interfaceAddresses) {
            if (c.matches(bytes)) {
                return true;
            }
        }
        if (!allInterfaces) {
            return false;
        }
        try {
            InetAddress a = InetAddress.getByAddress(bytes);
            if (a.isLoopbackAddress()) {
                return true;
            }
            return localInterfaceAddresses().contains(a);
        } catch (IOException e) {
            return false;
        }
    }

    private List<InetAddress> localInterfaceAddresses() {
        List<InetAddress> cached = localInterfaceAddresses;
        if (cached == null) {
            List<InetAddress> out = new ArrayList<>();
            try {
                for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                    out.addAll(Collections.list(ni.getInetAddresses()));
                }
            } catch (SocketException | NullPointerException e) {
                // no interface list: only loopback literals count as ours
            }
            cached = List.copyOf(out);
            localInterfaceAddresses = cached;
        }
        return cached;
    }

    /** "transport[:nexthop]" with a default next hop for an empty one. */
    private static TransportMap.Route split(String spec, String defaultNexthop) {
        int colon = spec.indexOf(':');
        if (colon < 0) {
            return new TransportMap.Route(spec, defaultNexthop == null ? "" : defaultNexthop);
        }
        String nexthop = spec.substring(colon + 1);
        return new TransportMap.Route(spec.substring(0, colon),
                nexthop.isEmpty() ? (defaultNexthop == null ? "" : defaultNexthop) : nexthop);
    }
}
