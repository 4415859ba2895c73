package org.jmail.resolve;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.jmail.config.MainConfig;

/**
 * Postfix's transport(5) table ({@code transport_maps}): where mail for an address or domain
 * goes, overriding the defaults of the address class.
 *
 * <p>Lookup order, each key tried in every table of the list before the next key (Postfix's
 * maps_find): {@code user+ext@domain}, {@code user@domain}, {@code domain}, then the parent
 * domains as {@code .parent} (or {@code parent} when {@code transport_maps} is named in
 * {@code parent_domain_matches_subdomains}), and last the {@code *} wildcard. Keys are folded
 * to lower case.
 *
 * <p>A result {@code transport:nexthop} is applied as transport(5) says: an empty transport
 * keeps the current transport (and a non-empty nexthop replaces the nexthop); a non-empty
 * transport replaces it and an empty nexthop resets the nexthop to the recipient domain
 * ({@code error}/{@code retry} get "Address is undeliverable").
 *
 * <p>Failure: a table that cannot be read throws {@link IOException} (temporary failure).
 */
final class TransportMap {

    private final List<DomainList.LazyTable> tables;
    private final String delimiters;
    private final String doubleBounce;
    private final boolean parentStyle;

    TransportMap(String value, String delimiters, String doubleBounce, String parentMatchesSubdomains,
                 TableOpener opener) {
        List<DomainList.LazyTable> t = new ArrayList<>();
        for (String spec : MainConfig.splitList(value)) {
            t.add(new DomainList.LazyTable(spec, opener));
        }
        this.tables = List.copyOf(t);
        this.delimiters = delimiters;
        this.doubleBounce = doubleBounce;
        this.parentStyle = MainConfig.splitList(parentMatchesSubdomains).contains("transport_maps");
    }

    boolean isEmpty() {
        return tables.isEmpty();
    }

    /**
     * Applies the table to a default route.
     *
     * @param local  the local part (may be empty)
     * @param domain the canonical domain, or null for an address without one
     * @return the route after the table, or {@code fallback} when nothing matched
     */
    Route apply(String local, String domain, Route fallback) throws IOException {
        if (tables.isEmpty()) {
            return fallback;
        }
        String value = null;
        if (domain != null) {
            String full = Addresses.lookupKey(local + "@" + domain);
            value = find(full);
            if (value == null) {
                String base = Addresses.stripExtension(local, delimiters, doubleBounce);
                if (!base.equals(local)) {
                    value = find(Addresses.lookupKey(base + "@" + domain));
                }
            }
            if (value == null) {
                value = find(domain);
            }
            for (int dot = domain.indexOf('.', 1); value == null && dot > 0; dot = domain.indexOf('.', dot + 1)) {
                String key = parentStyle ? domain.substring(dot + 1) : domain.substring(dot);
                if (!key.isEmpty() && !key.equals(".")) {
                    value = find(key);
                }
            }
        }
        if (value == null) {
            value = find("*");
        }
        if (value == null) {
            return fallback;
        }
        return update(fallback, value.strip(), domain == null ? fallback.nexthop() : domain);
    }

    private String find(String key) throws IOException {
        for (DomainList.LazyTable t : tables) {
            String v = t.get().find(key);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    /** transport(5) result semantics (Postfix transport.c update_entry). */
    static Route update(Route current, String value, String recipientDomain) {
        int colon = value.indexOf(':');
        String transport = colon < 0 ? value : value.substring(0, colon);
        String nexthop = colon < 0 ? "" : value.substring(colon + 1);
        if (transport.isEmpty()) {
            return nexthop.isEmpty() ? current : new Route(current.transport(), nexthop);
        }
        if (!nexthop.isEmpty()) {
            return new Route(transport, nexthop);
        }
        if (transport.equals("error") || transport.equals("retry")) {
            return new Route(transport, "Address is undeliverable");
        }
        return new Route(transport, recipientDomain);
    }

    /** A transport name and its next hop. */
    record Route(String transport, String nexthop) {
    }
}
