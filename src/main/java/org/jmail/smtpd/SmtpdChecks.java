package org.jmail.smtpd;

import java.util.Set;
import org.jmail.config.MainConfig;
import org.jmail.dns.DnsResolver;
import org.jmail.log.MailLog;
import org.jmail.resolve.AddressResolver;
import org.jmail.resolve.LocalRecipientCheck;
import org.jmail.resolve.Resolver;
import org.jmail.resolve.TableOpener;

/**
 * smtpd's access policy, as Postfix's smtpd_check.c: the restriction lists of one service and
 * the order in which they apply.
 *
 * <p>With {@code smtpd_delay_reject = yes} (the default) the client, HELO and sender lists are
 * evaluated at RCPT TO together with the recipient's; otherwise at connect, HELO and MAIL.
 * At RCPT, {@code smtpd_relay_restrictions} runs before {@code smtpd_recipient_restrictions}
 * (Postfix 3.6 compatibility), then, with {@code smtpd_reject_unlisted_recipient = yes}, the
 * unknown-recipient check. A bare {@code postmaster} recipient is always accepted (RFC 5321
 * 4.5.1). Each check returns null (go on) or the reject reply, which has been logged.
 *
 * <p>As a guard against an open relay, when neither the relay nor the recipient list holds a
 * restriction that can refuse relaying, every RCPT gets {@code 451 4.3.5 Server configuration
 * error} (Postfix refuses to start instead). Immutable; shared by all sessions of a service.
 */
final class SmtpdChecks {

    static final MailLog LOG = MailLog.of("smtpd");

    /** Restrictions that can stop relaying ("working instances" in Postfix's words). */
    private static final Set<String> RELAY_GUARDS = Set.of("reject_unauth_destination", "defer_unauth_destination",
            "reject", "defer", "defer_if_permit", "check_relay_domains");

    private final SmtpdSettings settings;
    private final Resolver resolver;
    private final LocalRecipientCheck localRecipients;
    private final Mynetworks mynetworks;
    private final RestrictionList client;
    private final RestrictionList helo;
    private final RestrictionList sender;
    private final RestrictionList relay;
    private final RestrictionList recipient;
    private final RestrictionList data;
    private final RestrictionList endOfData;
    private final RestrictionList unlisted;
    private final boolean relayGuardMissing;
    private final java.util.List<org.jmail.resolve.DomainList.LazyTable> senderLoginMaps;
    private final TableOpener opener;
    private final DnsResolver dns;
    private final java.util.concurrent.ConcurrentHashMap<String, org.jmail.resolve.DomainList.LazyTable> accessTables =
            new java.util.concurrent.ConcurrentHashMap<>();

    SmtpdChecks(MainConfig config, SmtpdSettings settings, Resolver resolver, LocalRecipientCheck localRecipients,
                TableOpener opener) {
        this(config, settings, resolver, localRecipients, opener, null);
    }

    /**
     * @param dns the shared resolver for the DNS-based restrictions (reject_rbl_client,
     *            reject_unknown_*); null: those restrictions answer 451 4.3.5 Server configuration
     *            error when reached
     */
    SmtpdChecks(MainConfig config, SmtpdSettings settings, Resolver resolver, LocalRecipientCheck localRecipients,
                TableOpener opener, DnsResolver dns) {
        this.opener = opener;
        this.dns = dns;
        this.settings = settings;
        this.resolver = resolver;
        this.localRecipients = localRecipients;
        this.mynetworks = Mynetworks.parse("mynetworks", config.get("mynetworks"),
                AddressResolver.parentDomainMatchesSubdomains(config), opener);
        this.client = Restrictions.parse("smtpd_client_restrictions", config.get("smtpd_client_restrictions"));
        this.helo = Restrictions.parse("smtpd_helo_restrictions", config.get("smtpd_helo_restrictions"));
        this.sender = Restrictions.parse("smtpd_sender_restrictions", config.get("smtpd_sender_restrictions"));
        this.relay = Restrictions.parse("smtpd_relay_restrictions", config.get("smtpd_relay_restrictions"));
        this.recipient = Restrictions.parse("smtpd_recipient_restrictions", config.get("smtpd_recipient_restrictions"));
        this.data = Restrictions.parse("smtpd_data_restrictions", config.get("smtpd_data_restrictions"));
        this.endOfData = Restrictions.parse("smtpd_end_of_data_restrictions",
                config.get("smtpd_end_of_data_restrictions"));
        this.unlisted = Restrictions.parse("smtpd_reject_unlisted_recipient", "reject_unlisted_recipient");
        java.util.List<org.jmail.resolve.DomainList.LazyTable> logins = new java.util.ArrayList<>();
        for (String spec : MainConfig.splitList(settings.senderLoginMaps)) {
            logins.add(new org.jmail.resolve.DomainList.LazyTable(spec, opener));
        }
        this.senderLoginMaps = java.util.List.copyOf(logins);
        this.relayGuardMissing = !relay.containsAny(RELAY_GUARDS) && !recipient.containsAny(RELAY_GUARDS);
        if (relayGuardMissing) {
            LOG.error("in parameter smtpd_relay_restrictions or smtpd_recipient_restrictions, specify at least one"
                    + " working instance of: reject_unauth_destination, defer_unauth_destination, reject, defer,"
                    + " defer_if_permit or check_relay_domains");
        }
    }

    SmtpdSettings settings() {
        return settings;
    }

    Resolver resolver() {
        return resolver;
    }

    LocalRecipientCheck localRecipients() {
        // receive_override_options = no_unknown_recipient_checks: no 550 5.1.1 here
        return settings.receiveOverrides.contains("no_unknown_recipient_checks") ? null : localRecipients;
    }

    Mynetworks mynetworks() {
        return mynetworks;
    }

    /** The shared DNS resolver; a configuration error when none was given. */
    DnsResolver dns() {
        if (dns == null) {
            throw new Restriction.ConfigurationError("DNS-based restriction used but no DNS resolver is configured");
        }
        return dns;
    }

    /** The access table {@code spec}, opened once on first use and shared. */
    org.jmail.table.LookupTable accessTable(String spec) throws java.io.IOException {
        return accessTables.computeIfAbsent(spec, s -> new org.jmail.resolve.DomainList.LazyTable(s, opener)).get();
    }

    /** smtpd_sender_login_maps is set. */
    boolean hasSenderLoginMaps() {
        return !senderLoginMaps.isEmpty();
    }

    /**
     * The SASL logins that own {@code sender} per smtpd_sender_login_maps (a comma/space list as
     * the table holds it), or null when no table lists it. Keys tried in Postfix's order for an
     * address: {@code user@domain}, then {@code @domain}; each table in turn.
     *
     * @throws IOException a table could not be read (the caller answers 451 4.3.0)
     */
    String senderLoginOwners(String sender) throws java.io.IOException {
        String key = sender.toLowerCase(java.util.Locale.ROOT);
        int at = key.lastIndexOf('@');
        for (org.jmail.resolve.DomainList.LazyTable t : senderLoginMaps) {
            String v = t.get().find(key);
            if (v == null && at > 0) {
                v = t.get().find(key.substring(at));
            }
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    /** smtpd_client_restrictions at connect time (only without smtpd_delay_reject). */
    String checkClient(SessionFacts facts) {
        CheckContext ctx = new CheckContext(facts, this, null, null);
        return replyOf(ctx.finish(run(ctx, CheckContext.Stage.CLIENT, client)));
    }

    /** smtpd_helo_restrictions at HELO/EHLO time (only without smtpd_delay_reject). */
    String checkHelo(SessionFacts facts) {
        CheckContext ctx = new CheckContext(facts, this, null, null);
        return replyOf(ctx.finish(run(ctx, CheckContext.Stage.HELO, helo)));
    }

    /** smtpd_sender_restrictions at MAIL time (only without smtpd_delay_reject). */
    String checkSender(SessionFacts facts, String senderAddress) {
        CheckContext ctx = new CheckContext(facts, this, senderAddress, null);
        return replyOf(ctx.finish(run(ctx, CheckContext.Stage.SENDER, sender)));
    }

    /** The SIZE= declared at MAIL against message_size_limit. */
    String checkSize(SessionFacts facts, long size) {
        if (settings.messageSizeLimit > 0 && size > settings.messageSizeLimit) {
            CheckContext ctx = new CheckContext(facts, this, null, null);
            return ctx.reject(552, "5.3.4", "Message size exceeds fixed limit").reply();
        }
        return null;
    }

    /** Everything that applies to one RCPT TO. */
    String checkRecipient(SessionFacts facts, String senderAddress, String rcpt) {
        if (rcpt.equalsIgnoreCase("postmaster")) {
            return null;
        }
        CheckContext ctx = new CheckContext(facts, this, senderAddress, rcpt);
        if (settings.delayReject) {
            Verdict v = run(ctx, CheckContext.Stage.CLIENT, client);
            if (!v.isReject() && facts.helo() != null) {
                v = run(ctx, CheckContext.Stage.HELO, helo);
            }
            if (!v.isReject() && senderAddress != null) {
                v = run(ctx, CheckContext.Stage.SENDER, sender);
            }
            if (v.isReject()) {
                return v.reply();
            }
        }
        ctx.stage(CheckContext.Stage.RECIPIENT);
        if (relayGuardMissing) {
            return ctx.serverConfigurationError().reply();
        }
        Verdict v = relay.evaluate(ctx);
        if (!v.isReject()) {
            v = recipient.evaluate(ctx);
        }
        if (!v.isReject() && settings.rejectUnlistedRecipient) {
            v = unlisted.evaluate(ctx);
        }
        return replyOf(ctx.finish(v));
    }

    /** smtpd_data_restrictions at DATA; the recipient is named only when there is just one. */
    String checkData(SessionFacts facts, String senderAddress, String onlyRecipient) {
        if (data.isEmpty()) {
            return null;
        }
        CheckContext ctx = new CheckContext(facts, this, senderAddress, onlyRecipient);
        return replyOf(ctx.finish(run(ctx, CheckContext.Stage.DATA, data)));
    }

    /** smtpd_end_of_data_restrictions after the final dot, before the message is committed. */
    String checkEndOfData(SessionFacts facts, String senderAddress, String onlyRecipient) {
        if (endOfData.isEmpty()) {
            return null;
        }
        CheckContext ctx = new CheckContext(facts, this, senderAddress, onlyRecipient);
        return replyOf(ctx.finish(run(ctx, CheckContext.Stage.END_OF_DATA, endOfData)));
    }

    private static Verdict run(CheckContext ctx, CheckContext.Stage stage, RestrictionList list) {
        if (list.isEmpty()) {
            return Verdict.DUNNO;
        }
        ctx.stage(stage);
        return list.evaluate(ctx);
    }

    private static String replyOf(Verdict v) {
        return v.isReject() ? v.reply() : null;
    }
}
