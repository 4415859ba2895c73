package org.jmail.resolve;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.jmail.config.MainConfig;
import org.jmail.table.LookupTable;

/**
 * Is a recipient in a local domain a known user? Postfix's {@code local_recipient_maps} check
 * (the "User unknown in local recipient table" reject of smtpd's reject_unlisted_recipient).
 *
 * <p>Contract: with {@code local_recipient_maps} empty, every local address is accepted
 * ({@link #enabled()} is false). Otherwise an address is known when one of these keys, folded
 * to lower case, is found in any table of the list (Postfix's mail_addr_find order):
 * {@code user+ext@domain}, {@code user@domain}, {@code user+ext}, {@code user},
 * {@code @domain}; the extension is cut at the first {@code recipient_delimiter} character.
 * The tables of {@code recipient_canonical_maps}, {@code canonical_maps} and
 * {@code virtual_alias_maps} are searched too, as Postfix's check_rcpt_maps() does: an address
 * that cleanup will rewrite is a listed recipient.
 * {@code postmaster}, {@code MAILER-DAEMON} and the {@code double_bounce_sender} name are
 * always known, as in Postfix (the queue manager absorbs them). {@code proxy:} prefixes are
 * dropped (jmail has no proxymap); {@code unix:passwd.byname} is getpwnam(3).
 *
 * <p>Failure: a table that cannot be opened or read throws {@link IOException}; smtpd answers
 * that with a 4xx temporary failure, never with "user unknown". Thread-safe.
 */
public class LocalRecipientCheck {

    private final List<DomainList.LazyTable> tables;
    private final String delimiters;
    private final String doubleBounce;

    public LocalRecipientCheck(MainConfig config) {
        this(config, TableOpener.standard());
    }

    /** Tables come from {@code opener} instead of {@link org.jmail.table.Tables} (tests). */
    public LocalRecipientCheck(MainConfig config, TableOpener opener) {
        List<DomainList.LazyTable> t = new ArrayList<>();
        PasswdTable passwd = new PasswdTable();
        TableOpener withPasswd = spec -> spec.equals(PasswdTable.SPEC) ? passwd : opener.open(spec);
        List<String> specs = MainConfig.splitList(config.get("local_recipient_maps"));
        if (!specs.isEmpty()) {
            // Postfix's check_rcpt_maps(): an address that cleanup will rewrite is listed too
            for (String key : List.of("recipient_canonical_maps", "canonical_maps", "virtual_alias_maps")) {
                specs = new ArrayList<>(specs);
                specs.addAll(MainConfig.splitList(config.get(key)));
            }
        }
        for (String spec : specs) {
            String s = spec.startsWith("proxy:") ? spec.substring("proxy:".length()) : spec;
            t.add(new DomainList.LazyTable(s, withPasswd));
        }
        this.tables = List.copyOf(t);
        this.delimiters = config.get("recipient_delimiter");
        this.doubleBounce = AddressResolver.doubleBounce(config);
    }

    /** False when local_recipient_maps is empty: every local recipient is accepted. */
    public boolean enabled() {
        return !tables.isEmpty();
    }

    /**
     * Whether an address in a local domain (internal form, as resolved) names a known recipient.
     *
     * @throws IOException when a table can't be read (temporary failure)
     */
    public boolean isKnown(String address) throws IOException {
        if (tables.isEmpty()) {
            return true;
        }
        String local = Addresses.localPart(address);
        String domain = Addresses.domain(address);
        if (Addresses.isReservedLocal(local, doubleBounce)) {
            return true;
        }
        String base = Addresses.stripExtension(local, delimiters, doubleBounce);
        boolean hasExt = !base.equals(local);
        if (domain != null) {
            String d = Addresses.canonicalDomain(domain);
            if (found(Addresses.lookupKey(local + "@" + d))
                    || (hasExt && found(Addresses.lookupKey(base + "@" + d)))) {
                return true;
            }
        }
        if (found(Addresses.lookupKey(local)) || (hasExt && found(Addresses.lookupKey(base)))) {
            return true;
        }
        return domain != null && found("@" + Addresses.canonicalDomain(domain));
    }

    private boolean found(String key) throws IOException {
        if (key.isEmpty()) {
            return false;
        }
        for (DomainList.LazyTable t : tables) {
            LookupTable table = t.get();
            if (table.find(key) != null) {
                return true;
            }
        }
        return false;
    }
}
