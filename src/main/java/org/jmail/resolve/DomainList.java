package org.jmail.resolve;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jmail.config.MainConfig;
import org.jmail.log.MailLog;
import org.jmail.table.LookupTable;

/**
 * A Postfix list of domain patterns ({@code mydestination}, {@code relay_domains}): names,
 * {@code /file/name} (replaced by the file's patterns), {@code type:table} (a domain matches
 * when it is a key; the value is ignored), and {@code !pattern} to exclude. The first
 * matching pattern decides, as in Postfix's match_list(3).
 *
 * <p>Two matching styles, as in Postfix: <em>exact</em> (string_list: {@code mydestination})
 * compares whole names only; <em>hostname</em> (domain_list: {@code relay_domains}) also lets
 * {@code .example.com} match every subdomain, tries {@code .parent} keys in tables, and — when
 * the parameter is named in {@code parent_domain_matches_subdomains} — lets
 * {@code example.com} match its subdomains too.
 *
 * <p>Failure modes: a table that cannot be opened or read makes {@link #matches} throw
 * {@link IOException} (a temporary failure; the table is opened again at the next call). An
 * unreadable {@code /file} is logged and skipped when the list is built. Thread-safe.
 */
public final class DomainList {

    private static final MailLog LOG = MailLog.of("trivial-rewrite");

    private final String parameter;
    private final List<Pattern> patterns;
    private final boolean hostnameStyle;
    private final boolean parentStyle;

    private DomainList(String parameter, List<Pattern> patterns, boolean hostnameStyle, boolean parentStyle) {
        this.parameter = parameter;
        this.patterns = patterns;
        this.hostnameStyle = hostnameStyle;
        this.parentStyle = parentStyle;
    }

    /** Exact-name list, as Postfix matches {@code mydestination}. */
    public static DomainList exact(String parameter, String value, TableOpener opener) {
        return new DomainList(parameter, parse(parameter, value, opener), false, false);
    }

    /**
     * Hostname-style list, as Postfix matches {@code relay_domains}.
     *
     * @param parentMatchesSubdomains the value of {@code parent_domain_matches_subdomains}
     */
    public static DomainList hostnames(String parameter, String value, String parentMatchesSubdomains,
                                       TableOpener opener) {
        boolean parent = MainConfig.splitList(parentMatchesSubdomains).contains(parameter);
        return new DomainList(parameter, parse(parameter, value, opener), true, parent);
    }

    public boolean isEmpty() {
        return patterns.isEmpty();
    }

    /**
     * Whether the domain (already folded by {@link Addresses#canonicalDomain}) is in the list.
     *
     * @throws IOException when a table in the list cannot be read
     */
    public boolean matches(String domain) throws IOException {
        for (Pattern p : patterns) {
            if (p.matches(domain, hostnameStyle, parentStyle)) {
                return !p.negated;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return parameter + " " + patterns;
    }

    private static List<Pattern> parse(String parameter, String value, TableOpener opener) {
        List<Pattern> out = new ArrayList<>();
        for (String token : org.jmail.table.Tables.splitList(value)) {
            addPattern(parameter, token, opener, out, 0);
        }
        return List.copyOf(out);
    }

    private static void addPattern(String parameter, String token, TableOpener opener, List<Pattern> out, int depth) {
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
                    String text = hash >= 0 ? line.substring(0, hash) : line;
                    for (String t : MainConfig.splitList(text)) {
                        addPattern(parameter, negated ? "!" + t : t, opener, out, depth + 1);
                    }
                }
            } catch (IOException e) {
                LOG.warn(parameter + ": cannot read " + token + ": " + e.getMessage());
            }
            return;
        }
        if (token.indexOf(':') > 0 && !token.startsWith("[")) {
            out.add(new Pattern(negated, null, new LazyTable(token, opener)));
            return;
        }
        out.add(new Pattern(negated, Addresses.canonicalDomain(token), null));
    }

    /** One entry: a name or a table, possibly negated. */
    private static final class Pattern {
        final boolean negated;
        final String name;
        final LazyTable table;

        Pattern(boolean negated, String name, LazyTable table) {
            this.negated = negated;
            this.name = name;
            this.table = table;
        }

        boolean matches(String domain, boolean hostnameStyle, boolean parentStyle) throws IOException {
            if (table != null) {
                LookupTable t = table.get();
                if (t.find(domain) != null) {
                    return true;
                }
                if (!hostnameStyle) {
                    return false;
                }
                // parent domains: ".example.com" keys, or "example.com" with the parent style
                for (int dot = domain.indexOf('.', 1); dot > 0; dot = domain.indexOf('.', dot + 1)) {
                    String key = parentStyle ? domain.substring(dot + 1) : domain.substring(dot);
                    if (!key.isEmpty() && t.find(key) != null) {
                        return true;
                    }
                }
                return false;
            }
            if (domain.equals(name)) {
                return true;
            }
            if (!hostnameStyle) {
                return false;
            }
            if (name.startsWith(".")) {
                return domain.endsWith(name);
            }
            return parentStyle && domain.endsWith(name) && domain.length() > name.length()
                    && domain.charAt(domain.length() - name.length() - 1) == '.';
        }

        @Override
        public String toString() {
            return (negated ? "!" : "") + (table != null ? table.spec : name);
        }
    }

    /** A table opened at first use; a failed open is retried at the next use. */
    /** A table opened at first use, so a missing file fails a lookup, not the daemon's start. */
    public static final class LazyTable {
        final String spec;
        private final TableOpener opener;
        private volatile LookupTable table;

        public LazyTable(String spec, TableOpener opener) {
            this.spec = spec;
            this.opener = opener;
        }

        public LookupTable get() throws IOException {
            LookupTable t = table;
            if (t == null) {
                synchronized (this) {
                    t = table;
                    if (t == null) {
                        t = opener.open(spec);
                        table = t;
                    }
                }
            }
            return t;
        }
    }
}
