package org.jmail.smtpd;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.jmail.config.MainConfig;
import org.jmail.log.MailLog;

/**
 * The main.cf values smtpd(8) uses, read and checked once per service (so a session never
 * parses configuration). A malformed number falls back to Postfix's default with a warning,
 * as a bad value must not take the SMTP service down.
 */
final class SmtpdSettings {

    private static final MailLog LOG = MailLog.of("smtpd");

    /** receive_override_options of this service (its -o value, else main.cf's), lower case. */
    final java.util.Set<String> receiveOverrides;
    final String myhostname;
    final String mailName;
    final String banner;
    final long messageSizeLimit;
    final int recipientLimit;
    final int recipientOvershootLimit;
    final Duration timeout;
    final int hardErrorLimit;
    final int softErrorLimit;
    final Duration errorSleepTime;
    final int junkCommandLimit;
    final boolean heloRequired;
    final boolean delayReject;
    final boolean disableVrfy;
    final boolean strictRfc821Envelopes;
    final boolean rejectUnlistedRecipient;
    final int unknownLocalRecipientRejectCode;
    final int relayDomainsRejectCode;
    final int rejectCode;
    final int deferCode;
    final int accessMapRejectCode;
    final int accessMapDeferCode;
    final int nonFqdnRejectCode;
    final int invalidHostnameRejectCode;
    final int unknownHostnameRejectCode;
    final int unknownClientRejectCode;
    final int unknownAddressRejectCode;
    final int mapsRblRejectCode;
    final String nullAccessLookupKey;
    /** parent_domain_matches_subdomains names smtpd_access_maps: parents are looked up as "b.c", else ".b.c". */
    final boolean accessParentMatchesSubdomains;
    /** recipient_delimiter: access tables also see the address without its extension. */
    final String recipientDelimiter;
    final int lineLengthLimit;
    final boolean smtputf8Enable;
    final boolean forbidBareNewline;
    final boolean saslAuthEnable;
    /** smtpd_tls_security_level, with Postfix's legacy smtpd_use_tls/smtpd_enforce_tls folded in. */
    final TlsLevel tlsLevel;
    /** smtpd_tls_wrappermode: TLS from the first byte (submissions, port 465). */
    final boolean tlsWrapperMode;
    /** smtpd_tls_auth_only: AUTH only inside TLS. */
    final boolean tlsAuthOnly;
    /** smtpd_tls_received_header: the TLS note in smtpd's Received: header. */
    final boolean tlsReceivedHeader;
    /** smtpd_sasl_security_options / smtpd_sasl_tls_security_options, lower case. */
    final Set<String> saslSecurityOptions;
    final Set<String> saslTlsSecurityOptions;
    /** broken_sasl_auth_clients: also announce "AUTH=mechanisms" for Outlook Express 4 era clients. */
    final boolean brokenSaslAuthClients;
    /** smtpd_sasl_authenticated_header: "(Authenticated sender: login)" in the Received: header. */
    final boolean saslAuthenticatedHeader;
    /** smtpd_sender_login_maps, as written (empty: none). */
    final String senderLoginMaps;
    final boolean softBounce;
    final String doubleBounceSender;
    /** EHLO keywords to leave out, lower case (smtpd_discard_ehlo_keywords). */
    final Set<String> discardEhloKeywords;

    SmtpdSettings(MainConfig c) {
        receiveOverrides = org.jmail.cleanup.Cleanup.overrides(c.get("receive_override_options"));
        myhostname = c.get("myhostname").strip();
        mailName = c.get("mail_name").strip();
        banner = c.get("smtpd_banner").strip();
        messageSizeLimit = number(c, "message_size_limit", 10240000L);
        recipientLimit = (int) number(c, "smtpd_recipient_limit", 1000);
        recipientOvershootLimit = (int) number(c, "smtpd_recipient_overshoot_limit", 1000);
        timeout = time(c, "smtpd_timeout", Duration.ofSeconds(300));
        hardErrorLimit = (int) number(c, "smtpd_hard_error_limit", 20);
        softErrorLimit = (int) number(c, "smtpd_soft_error_limit", 10);
        errorSleepTime = time(c, "smtpd_error_sleep_time", Duration.ofSeconds(1));
        junkCommandLimit = (int) number(c, "smtpd_junk_command_limit", 100);
        heloRequired = bool(c, "smtpd_helo_required", false);
        delayReject = bool(c, "smtpd_delay_reject", true);
        disableVrfy = bool(c, "disable_vrfy_command", false);
        strictRfc821Envelopes = bool(c, "strict_rfc821_envelopes", false);
        rejectUnlistedRecipient = bool(c, "smtpd_reject_unlisted_recipient", true);
        unknownLocalRecipientRejectCode = (int) number(c, "unknown_local_recipient_reject_code", 550);
        relayDomainsRejectCode = (int) number(c, "relay_domains_reject_code", 554);
        rejectCode = (int) number(c, "reject_code", 554);
        deferCode = (int) number(c, "defer_code", 450);
        accessMapRejectCode = (int) number(c, "access_map_reject_code", 554);
        accessMapDeferCode = (int) number(c, "access_map_defer_code", 450);
        nonFqdnRejectCode = (int) number(c, "non_fqdn_reject_code", 504);
        invalidHostnameRejectCode = (int) number(c, "invalid_hostname_reject_code", 501);
        unknownHostnameRejectCode = (int) number(c, "unknown_hostname_reject_code", 450);
        unknownClientRejectCode = (int) number(c, "unknown_client_reject_code", 450);
        unknownAddressRejectCode = (int) number(c, "unknown_address_reject_code", 450);
        mapsRblRejectCode = (int) number(c, "maps_rbl_reject_code", 554);
        String nullKey = c.get("smtpd_null_access_lookup_key").strip();
        nullAccessLookupKey = nullKey.isEmpty() ? "<>" : nullKey;
        accessParentMatchesSubdomains = MainConfig.splitList(
                org.jmail.resolve.AddressResolver.parentDomainMatchesSubdomains(c)).contains("smtpd_access_maps");
        recipientDelimiter = c.get("recipient_delimiter");
        lineLengthLimit = (int) Math.max(512, number(c, "line_length_limit", 2048));
        smtputf8Enable = bool(c, "smtputf8_enable", true);
        forbidBareNewline = bool(c, "smtpd_forbid_bare_newline", false);
        saslAuthEnable = bool(c, "smtpd_sasl_auth_enable", false);
        softBounce = bool(c, "soft_bounce", false);
        tlsWrapperMode = bool(c, "smtpd_tls_wrappermode", false);
        tlsLevel = TlsLevel.of(c.get("smtpd_tls_security_level"), bool(c, "smtpd_use_tls", false),
                bool(c, "smtpd_enforce_tls", false));
        tlsAuthOnly = bool(c, "smtpd_tls_auth_only", false);
        tlsReceivedHeader = bool(c, "smtpd_tls_received_header", false);
        saslSecurityOptions = words(c.get("smtpd_sasl_security_options"), "noanonymous");
        String tlsOpts = c.get("smtpd_sasl_tls_security_options");
        saslTlsSecurityOptions = tlsOpts.isBlank() ? saslSecurityOptions : words(tlsOpts, "noanonymous");
        senderLoginMaps = c.get("smtpd_sender_login_maps").strip();
        brokenSaslAuthClients = bool(c, "broken_sasl_auth_clients", false);
        saslAuthenticatedHeader = bool(c, "smtpd_sasl_authenticated_header", false);
        String db = c.get("double_bounce_sender").strip();
        doubleBounceSender = db.isEmpty() ? "double-bounce" : db;
        Set<String> discard = new TreeSet<>();
        for (String k : MainConfig.splitList(c.get("smtpd_discard_ehlo_keywords"))) {
            discard.add(k.toLowerCase(Locale.ROOT));
        }
        discardEhloKeywords = Set.copyOf(discard);
    }

    /** A list of option words, lower case; "" means {@code def}. */
    private static Set<String> words(String value, String def) {
        List<String> w = MainConfig.splitList(value);
        if (w.isEmpty()) {
            w = MainConfig.splitList(def);
        }
        Set<String> out = new TreeSet<>();
        for (String x : w) {
            out.add(x.toLowerCase(Locale.ROOT));
        }
        return Set.copyOf(out);
    }

    /** An integer parameter; "" means the default (a key jmail's Defaults may not list yet). */
    private static long number(MainConfig c, String key, long def) {
        String v = c.get(key).strip();
        if (v.isEmpty()) {
            return def;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            LOG.warn("bad numerical configuration: " + key + " = " + v + "; using " + def);
            return def;
        }
    }

    private static Duration time(MainConfig c, String key, Duration def) {
        String v = c.get(key).strip();
        if (v.isEmpty()) {
            return def;
        }
        try {
            return MainConfig.parseTime(v, 's');
        } catch (RuntimeException e) {
            LOG.warn("bad time configuration: " + key + " = " + v + "; using " + def.toSeconds() + "s");
            return def;
        }
    }

    private static boolean bool(MainConfig c, String key, boolean def) {
        String v = c.get(key).strip().toLowerCase(Locale.ROOT);
        if (v.isEmpty()) {
            return def;
        }
        return v.equals("yes") || v.equals("true") || v.equals("on") || v.equals("1");
    }
}
