package org.jmail.cleanup;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jmail.config.MainConfig;
import org.jmail.log.MailLog;
import org.jmail.resolve.AddressResolver;
import org.jmail.resolve.DomainList;
import org.jmail.resolve.TableOpener;

/**
 * Cleanup's envelope address rewriting with Postfix's tables (canonical(5), virtual(5)):
 * <ul>
 * <li>sender: {@code sender_canonical_maps}, then {@code canonical_maps};</li>
 * <li>recipient: {@code recipient_canonical_maps}, then {@code canonical_maps}, then
 *     {@code virtual_alias_maps}, which may turn one address into several and is applied
 *     again to its results (an address that maps to itself stops there) up to
 *     {@code virtual_alias_recursion_limit} levels and {@code virtual_alias_expansion_limit}
 *     addresses.</li>
 * </ul>
 * Lookup keys, Postfix's mail_addr_find() order, each tried in every table of the list
 * first: {@code user+ext@domain}, {@code user@domain}, then (only when the domain is
 * {@code $myorigin} or local) {@code user+ext} and {@code user}, then {@code @domain}. A
 * match found without the extension gets it back ({@code propagate_unmatched_extensions},
 * default "canonical, virtual"); a canonical {@code @domain} result that is itself
 * {@code @other} replaces only the domain.
 *
 * <p>Failure: a table that can't be read throws IOException, which cleanup turns into a
 * temporary error (the message is not accepted), never into "no rewrite". Thread-safe.
 */
final class AddressRewriter {

    private static final MailLog LOG = MailLog.of("cleanup");

    private final List<DomainList.LazyTable> senderCanonical;
    private final List<DomainList.LazyTable> recipientCanonical;
    private final List<DomainList.LazyTable> canonical;
    private final List<DomainList.LazyTable> virtual;
    private final String delimiters;
    private final String myorigin;
    private final AddressResolver resolver;
    private final boolean propagateCanonical;
    private final boolean propagateVirtual;
    private final int recursionLimit;
    private final int expansionLimit;

    AddressRewriter(MainConfig config, TableOpener opener) {
        this.senderCanonical = tables(config, "sender_canonical_maps", opener);
        this.recipientCanonical = tables(config, "recipient_canonical_maps", opener);
        this.canonical = tables(config, "canonical_maps", opener);
        this.virtual = tables(config, "virtual_alias_maps", opener);
        this.delimiters = config.get("recipient_delimiter");
        String origin = config.get("myorigin").strip();
        this.myorigin = (origin.isEmpty() ? config.get("myhostname") : origin).toLowerCase(Locale.ROOT);
        this.resolver = new AddressResolver(config, opener);
        List<String> p = MainConfig.splitList(config.get("propagate_unmatched_extensions").toLowerCase(Locale.ROOT));
        this.propagateCanonical = p.contains("canonical");
        this.propagateVirtual = p.contains("virtual");
        this.recursionLimit = positive(config, "virtual_alias_recursion_limit", 1000);
        this.expansionLimit = positive(config, "virtual_alias_expansion_limit", 1000);
    }

    /** True when no table is configured: nothing to do per message. */
    boolean isEmpty() {
        return senderCanonical.isEmpty() && recipientCanonical.isEmpty() && canonical.isEmpty() && virtual.isEmpty();
    }

    /** The rewritten envelope sender; the null sender stays null. */
    String sender(String address) throws IOException {
        if (address.isEmpty()) {
            return address;
        }
        String a = canonical(senderCanonical, address);
        return canonical(canonical, a);
    }

    /** The envelope recipients {@code address} becomes; at least one. */
    List<String> recipient(String address, String queueId) throws IOException {
        String a = canonical(recipientCanonical, address);
        a = canonical(canonical, a);
        if (virtual.isEmpty()) {
            return List.of(a);
        }
        Set<String> out = new LinkedHashSet<>();
        expand(a, 0, out, queueId);
        return new ArrayList<>(out);
    }

    private void expand(String address, int depth, Set<String> out, String queueId) throws IOException {
        List<String> mapped = depth >= recursionLimit ? null : find(virtual, address, propagateVirtual);
        if (mapped == null) {
            if (depth >= recursionLimit) {
                LOG.warn(queueId + ": unreasonable virtual_alias_maps map nesting for " + address);
            }
            out.add(address);
            return;
        }
        for (String m : mapped) {
            if (out.size() >= expansionLimit) {
                LOG.warn(queueId + ": unreasonable virtual_alias_maps map expansion size for " + address);
                return;
            }
            if (m.equalsIgnoreCase(address)) {
                out.add(m); // "a@x a@x, b@y": keep the address itself, stop here
            } else {
                expand(m, depth + 1, out, queueId);
            }
        }
    }

    private String canonical(List<DomainList.LazyTable> tables, String address) throws IOException {
        if (tables.isEmpty() || address.isEmpty()) {
            return address;
        }
        List<String> r = find(tables, address, propagateCanonical);
        return r == null || r.isEmpty() ? address : r.get(0);
    }

    /**
     * The addresses {@code address} maps to in {@code tables}, or null when no key matches.
     * Results are comma/space separated, as Postfix's virtual and canonical values.
     */
    private List<String> find(List<DomainList.LazyTable> tables, String address, boolean propagate) throws IOException {
        int at = address.lastIndexOf('@');
        String local = at < 0 ? address : address.substring(0, at);
        String domain = at < 0 ? "" : address.substring(at + 1).toLowerCase(Locale.ROOT);
        String lcLocal = local.toLowerCase(Locale.ROOT);
        String base = lcLocal;
        String ext = null;
        if (!delimiters.isEmpty() && !lcLocal.equals("postmaster") && !lcLocal.equals("mailer-daemon")) {
            for (int i = 0; i < lcLocal.length(); i++) {
                if (delimiters.indexOf(lcLocal.charAt(i)) >= 0) {
                    base = lcLocal.substring(0, i);
                    ext = local.substring(i); // with its delimiter
                    break;
                }
            }
        }
        boolean localDomain = domain.isEmpty() || domain.equals(myorigin) || resolver.isLocalDomain(domain);
        List<String[]> keys = new ArrayList<>(5); // key, whether the extension was dropped
        if (!domain.isEmpty()) {
            keys.add(new String[] {lcLocal + "@" + domain, ""});
            if (ext != null) {
                keys.add(new String[] {base + "@" + domain, "x"});
            }
        }
        if (localDomain) {
            keys.add(new String[] {lcLocal, ""});
            if (ext != null) {
                keys.add(new String[] {base, "x"});
            }
        }
        if (!domain.isEmpty()) {
            keys.add(new String[] {"@" + domain, "d"});
        }
        for (String[] key : keys) {
            for (DomainList.LazyTable t : tables) {
                String v = t.get().find(key[0]);
                if (v == null) {
                    continue;
                }
                List<String> result = new ArrayList<>();
                for (String r : MainConfig.splitList(v)) {
                    if (r.startsWith("@") && key[1].equals("d")) {
                        r = local + r; // "@old @new": only the domain changes
                    } else if (propagate && ext != null && !key[1].isEmpty()) {
                        r = withExtension(r, ext);
                    }
                    result.add(r);
                }
                return result;
            }
        }
        return null;
    }

    private static String withExtension(String address, String ext) {
        int at = address.lastIndexOf('@');
        return at < 0 ? address + ext : address.substring(0, at) + ext + address.substring(at);
    }

    private static List<DomainList.LazyTable> tables(MainConfig config, String key, TableOpener opener) {
        List<DomainList.LazyTable> t = new ArrayList<>();
        for (String spec : org.jmail.table.Tables.splitList(config.get(key))) {
            String s = spec.startsWith("proxy:") ? spec.substring("proxy:".length()) : spec;
            t.add(new DomainList.LazyTable(s, opener));
        }
        return List.copyOf(t);
    }

    private static int positive(MainConfig config, String key, int dflt) {
        try {
            int v = Integer.parseInt(config.get(key).strip());
            return v > 0 ? v : dflt;
        } catch (NumberFormatException e) {
            return dflt;
        }
    }
}
