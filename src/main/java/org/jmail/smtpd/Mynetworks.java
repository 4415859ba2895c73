package org.jmail.smtpd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jmail.config.MainConfig;
import org.jmail.log.MailLog;
import org.jmail.resolve.TableOpener;
import org.jmail.table.LookupTable;
import org.jmail.util.InetCidr;

/**
 * A Postfix client match list ({@code mynetworks}, and the same syntax in
 * {@code smtpd_forbid_bare_newline_exclusions}): networks {@code 10.0.0.0/8},
 * {@code [::1]/128}, bare addresses, host names ({@code host.example}; also its subdomains when
 * the parameter is named in {@code parent_domain_matches_subdomains}) and domains
 * ({@code .example} for all hosts below it), {@code /file/name} (its contents, one or more
 * patterns per line, {@code #} comments), {@code type:table} (the client name and then its
 * address are looked up; any value matches) and {@code !pattern} to exclude. The first
 * matching pattern decides.
 *
 * <p>Failure modes: a pattern that is not understood is logged once when the list is built and
 * ignored; an unreadable table makes {@link #matches} throw {@link IOException} (temporary
 * failure). Thread-safe.
 */
final class Mynetworks {

    private static final MailLog LOG = MailLog.of("smtpd");

    private final List<Entry> entries;
    private final boolean parentStyle;

    private Mynetworks(List<Entry> entries, boolean parentStyle) {
        this.entries = entries;
        this.parentStyle = parentStyle;
    }

    /**
     * @param parentMatchesSubdomains parent_domain_matches_subdomains: when it names
     *        {@code parameter}, a host name pattern {@code example.com} also matches its subdomains
     */
    static Mynetworks parse(String parameter, String value, String parentMatchesSubdomains, TableOpener opener) {
        List<Entry> out = new ArrayList<>();
        for (String token : MainConfig.splitList(value)) {
            add(parameter, token, opener, out, 0);
        }
        return new Mynetworks(List.copyOf(out), MainConfig.splitList(parentMatchesSubdomains).contains(parameter));
    }

    private static void add(String parameter, String token, TableOpener opener, List<Entry> out, int depth) {
        boolean negated = false;
        while (token.startsWith("!")) {
            negated = !negated;
            token = token.substring(1);
        }
        if (token.isEmpty()) {
            return;
        }
        if (token.startsWith("/")) {
            if (depth > 0) {
                LOG.warn(parameter + ": nested file pattern ignored: " + token);
                return;
            }
            try {
                for (String line : Files.readAllLines(Path.of(token))) {
                    int hash = line.indexOf('#');
                    for (String t : MainConfig.splitList(hash >= 0 ? line.substring(0, hash) : line)) {
                        add(parameter, negated ? "!" + t : t, opener, out, depth + 1);
                    }
                }
            } catch (IOException e) {
                LOG.warn(parameter + ": cannot read " + token + ": " + e.getMessage() + "; pattern ignored");
            }
            return;
        }
        boolean literal = token.startsWith("[") || Character.digit(token.charAt(0), 16) >= 0 || token.startsWith(":");
        if (literal) {
            try {
                InetCidr cidr = InetCidr.parse(token);
                if (cidr.hadHostBits()) {
                    LOG.warn(parameter + ": non-null host address bits in \"" + token + "\", perhaps you should use \""
                            + cidr.networkAddress().getHostAddress() + "/" + cidr.prefixLength() + "\" instead");
                }
                out.add(new Entry(negated, cidr, null, null));
                return;
            } catch (IllegalArgumentException e) {
                if (token.startsWith("[")) {
                    LOG.warn(parameter + ": " + e.getMessage() + "; pattern ignored");
                    return;
                }
                // not an address after all: a table or host name such as "cdb:/x" or "a1.example"
            }
        }
        if (token.indexOf(':') > 0) {
            out.add(new Entry(negated, null, null, new LazyTable(token, opener)));
            return;
        }
        out.add(new Entry(negated, null, token.toLowerCase(Locale.ROOT), null));
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    /** Whether the client matches the list. */
    boolean matches(ClientInfo client) throws IOException {
        byte[] addr = client.address() == null ? null : client.address().getAddress();
        String name = client.name().toLowerCase(Locale.ROOT);
        for (Entry e : entries) {
            if (e.matches(addr, name, client.addr(), parentStyle)) {
                return !e.negated;
            }
        }
        return false;
    }

    private record Entry(boolean negated, InetCidr cidr, String host, LazyTable table) {

        boolean matches(byte[] addr, String name, String addrText, boolean parentStyle) throws IOException {
            if (cidr != null) {
                return addr != null && cidr.matches(addr);
            }
            if (table != null) {
                LookupTable t = table.get();
                return (!name.equals("unknown") && t.find(name) != null) || t.find(addrText) != null;
            }
            if (name.equals("unknown")) {
                return false;
            }
            if (host.startsWith(".")) {
                return name.endsWith(host);
            }
            return name.equals(host) || (parentStyle && name.endsWith("." + host));
        }
    }

    /** A table opened at first use; a failed open is retried next time. */
    private static final class LazyTable {
        private final String spec;
        private final TableOpener opener;
        private volatile LookupTable table;

        LazyTable(String spec, TableOpener opener) {
            this.spec = spec;
            this.opener = opener;
        }

        LookupTable get() throws IOException {
            LookupTable t = table;
            if (t == null) {
                t = opener.open(spec);
                table = t;
            }
            return t;
        }
    }
}
