package org.jmail.smtpd;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jmail.config.MainConfig;

/**
 * The registry of restriction keywords and the parser of restriction lists. Each keyword maps
 * to a factory that may take arguments from the following words of the list (for restrictions
 * like {@code check_client_access type:table}); new restrictions register here with
 * {@link #register}.
 *
 * <p>Unknown keywords parse into an {@link UnknownRestriction}, which fails when reached, as
 * Postfix reports them only at use.
 */
final class Restrictions {

    /** Builds a restriction, taking its arguments (if any) from {@code args}. */
    @FunctionalInterface
    interface Factory {
        Restriction create(String name, Iterator<String> args);
    }

    private static final Map<String, Factory> FACTORIES = new ConcurrentHashMap<>();

    static {
        register("permit", (n, a) -> new StaticRestriction(StaticRestriction.Action.PERMIT));
        register("reject", (n, a) -> new StaticRestriction(StaticRestriction.Action.REJECT));
        register("defer", (n, a) -> new StaticRestriction(StaticRestriction.Action.DEFER));
        register("permit_mynetworks", (n, a) -> new PermitMynetworks());
        register("permit_sasl_authenticated", (n, a) -> new PermitSaslAuthenticated());
        register("reject_unauth_destination", (n, a) -> new UnauthDestination(UnauthDestination.Mode.REJECT));
        register("defer_unauth_destination", (n, a) -> new UnauthDestination(UnauthDestination.Mode.DEFER));
        register("permit_auth_destination", (n, a) -> new UnauthDestination(UnauthDestination.Mode.PERMIT));
        register("reject_sender_login_mismatch",
                (n, a) -> new SenderLoginMismatch(SenderLoginMismatch.Mode.ALL));
        register("reject_authenticated_sender_login_mismatch",
                (n, a) -> new SenderLoginMismatch(SenderLoginMismatch.Mode.AUTHENTICATED));
        register("reject_known_sender_login_mismatch",
                (n, a) -> new SenderLoginMismatch(SenderLoginMismatch.Mode.KNOWN));
        register("reject_unauthenticated_sender_login_mismatch",
                (n, a) -> new SenderLoginMismatch(SenderLoginMismatch.Mode.UNAUTHENTICATED));
        register("reject_unlisted_recipient", (n, a) -> new RejectUnlistedRecipient());
        register("check_recipient_maps", (n, a) -> new RejectUnlistedRecipient());
        register("check_client_access", (n, a) -> new AccessRestriction(AccessRestriction.Kind.CLIENT, n, arg(a)));
        register("check_helo_access", (n, a) -> new AccessRestriction(AccessRestriction.Kind.HELO, n, arg(a)));
        register("check_sender_access", (n, a) -> new AccessRestriction(AccessRestriction.Kind.SENDER, n, arg(a)));
        register("check_recipient_access",
                (n, a) -> new AccessRestriction(AccessRestriction.Kind.RECIPIENT, n, arg(a)));
        hostname("reject_invalid_helo_hostname", HostnameRestriction.Check.INVALID_HELO);
        hostname("reject_invalid_hostname", HostnameRestriction.Check.INVALID_HELO);
        hostname("reject_non_fqdn_helo_hostname", HostnameRestriction.Check.NON_FQDN_HELO);
        hostname("reject_non_fqdn_hostname", HostnameRestriction.Check.NON_FQDN_HELO);
        hostname("reject_unknown_helo_hostname", HostnameRestriction.Check.UNKNOWN_HELO);
        hostname("reject_unknown_hostname", HostnameRestriction.Check.UNKNOWN_HELO);
        hostname("reject_unknown_reverse_client_hostname", HostnameRestriction.Check.UNKNOWN_REVERSE_CLIENT);
        hostname("reject_unknown_client_hostname", HostnameRestriction.Check.UNKNOWN_CLIENT);
        hostname("reject_unknown_client", HostnameRestriction.Check.UNKNOWN_CLIENT);
        hostname("reject_non_fqdn_sender", HostnameRestriction.Check.NON_FQDN_SENDER);
        hostname("reject_non_fqdn_recipient", HostnameRestriction.Check.NON_FQDN_RECIPIENT);
        hostname("reject_unknown_sender_domain", HostnameRestriction.Check.UNKNOWN_SENDER_DOMAIN);
        hostname("reject_unknown_recipient_domain", HostnameRestriction.Check.UNKNOWN_RECIPIENT_DOMAIN);
        register("reject_unauth_pipelining", (n, a) -> new UnauthPipelining());
        register("reject_rbl_client", (n, a) -> new RblRestriction(RblRestriction.Subject.CLIENT_ADDRESS, n, arg(a)));
        register("reject_rhsbl_client", (n, a) -> new RblRestriction(RblRestriction.Subject.CLIENT_NAME, n, arg(a)));
        register("reject_rhsbl_sender",
                (n, a) -> new RblRestriction(RblRestriction.Subject.SENDER_DOMAIN, n, arg(a)));
    }

    private Restrictions() {
    }

    private static void hostname(String keyword, HostnameRestriction.Check check) {
        register(keyword, (n, a) -> new HostnameRestriction(check));
    }

    /** The next word of the list (a restriction's argument), or null at the end. */
    private static String arg(Iterator<String> args) {
        return args.hasNext() ? args.next() : null;
    }

    /** Adds (or replaces) a keyword. */
    static void register(String keyword, Factory factory) {
        FACTORIES.put(keyword.toLowerCase(Locale.ROOT), factory);
    }

    /** Parses a parameter value such as {@code "permit_mynetworks, reject_unauth_destination"}. */
    static RestrictionList parse(String parameter, String value) {
        List<String> words = MainConfig.splitList(value);
        List<String> names = new ArrayList<>();
        List<Restriction> out = new ArrayList<>();
        Iterator<String> it = words.iterator();
        while (it.hasNext()) {
            String word = it.next();
            String name = word.toLowerCase(Locale.ROOT);
            Factory f = FACTORIES.get(name);
            boolean warn = name.equals("warn_if_reject");
            if (warn && it.hasNext()) {
                word = it.next();
                name = word.toLowerCase(Locale.ROOT);
                f = FACTORIES.get(name);
            }
            names.add(name);
            Restriction r;
            try {
                r = f == null ? new UnknownRestriction(word) : f.create(name, it);
            } catch (Restriction.ConfigurationError e) {
                r = new BrokenRestriction(e.getMessage());
            }
            out.add(warn ? new WarnIfReject(r) : r);
        }
        return new RestrictionList(parameter, names, out);
    }
}
