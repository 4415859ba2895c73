package org.jmail.local;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jmail.config.MainConfig;
import org.jmail.resolve.AddressClass;
import org.jmail.resolve.Resolution;
import org.jmail.resolve.Resolver;
import org.jmail.table.LookupTable;
import org.jmail.table.Tables;

/**
 * The part of trivial-rewrite local(8) needs when no {@link Resolver} is given: is an address
 * local (no domain, or a domain listed in mydestination, names or {@code type:table}
 * entries), in which case it resolves to transport "local", or not ("smtp", forwarded through
 * cleanup). Tables are opened on first use; a table that can't be read is a temporary failure.
 */
final class MydestinationResolver implements Resolver {

    private final Set<String> names = new HashSet<>();
    private final List<String> tableSpecs = new ArrayList<>();
    private volatile List<LookupTable> tables;

    MydestinationResolver(MainConfig config) {
        for (String d : config.list("mydestination")) {
            if (d.indexOf(':') > 0 && !d.startsWith("[")) {
                tableSpecs.add(d);
            } else {
                names.add(d.toLowerCase(Locale.ROOT));
            }
        }
    }

    @Override
    public Resolution resolve(String address) throws IOException {
        int at = address.lastIndexOf('@');
        String domain = at < 0 ? "" : address.substring(at + 1).toLowerCase(Locale.ROOT);
        if (domain.endsWith(".")) {
            domain = domain.substring(0, domain.length() - 1);
        }
        String rcpt = at < 0 ? address : address.substring(0, at + 1) + domain;
        if (domain.isEmpty() || names.contains(domain) || inTables(domain)) {
            return new Resolution("local", domain, rcpt, AddressClass.LOCAL);
        }
        return new Resolution("smtp", domain, rcpt, AddressClass.DEFAULT);
    }

    private boolean inTables(String domain) throws IOException {
        if (tableSpecs.isEmpty()) {
            return false;
        }
        List<LookupTable> t = tables;
        if (t == null) {
            List<LookupTable> opened = new ArrayList<>();
            for (String spec : tableSpecs) {
                opened.add(Tables.open(spec));
            }
            tables = t = opened;
        }
        for (LookupTable table : t) {
            if (table.find(domain) != null) {
                return true;
            }
        }
        return false;
    }
}
