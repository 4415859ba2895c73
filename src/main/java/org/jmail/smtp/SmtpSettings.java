package org.jmail.smtp;

import java.time.Duration;
import java.util.Locale;
import org.jmail.config.MainConfig;

/**
 * The main.cf keys of the SMTP client, with Postfix 3.7's defaults where main.cf (and jmail's
 * Defaults) say nothing. Read once per configuration; immutable.
 */
public final class SmtpSettings {

    final String heloName;
    final String myhostname;
    final int defaultPort;
    final boolean ipv4;
    final boolean ipv6;
    final boolean dnsLookup;
    final boolean nativeLookup;
    final int mxAddressLimit;
    final int mxSessionLimit;
    final boolean randomizeAddresses;
    final Duration connectTimeout;
    final Duration heloTimeout;
    final Duration mailTimeout;
    final Duration rcptTimeout;
    final Duration dataInitTimeout;
    final Duration dataXferTimeout;
    final Duration dataDoneTimeout;
    final Duration rsetTimeout;
    final Duration quitTimeout;
    final Duration starttlsTimeout;
    final Duration cacheTimeLimit;
    final Duration reuseTimeLimit;
    final boolean alwaysSendEhlo;
    final boolean neverSendEhlo;
    final boolean skip5xxGreeting;
    final int lineLengthLimit;
    final TlsLevel tlsLevel;
    final int tlsLogLevel;
    final boolean saslEnable;
    final String saslPasswordMaps;
    final boolean saslNoPlaintext;
    final boolean saslTlsNoPlaintext;
    final boolean saslSoftBounce;
    final boolean mimeOutputConversion;
    final boolean softBounce;

    /** Why this configuration cannot deliver (Postfix's smtp would exit fatally), or null. */
    final String configError;

    /** smtp_tls_security_level values jmail implements. */
    enum TlsLevel { NONE, MAY, ENCRYPT }

    public SmtpSettings(MainConfig c) {
        heloName = str(c, "smtp_helo_name", c.get("myhostname"));
        myhostname = c.get("myhostname").strip();
        defaultPort = port(str(c, "smtp_tcp_port", "smtp"));
        String protocols = str(c, "inet_protocols", "all").toLowerCase(Locale.ROOT);
        boolean all = protocols.contains("all");
        ipv4 = all || protocols.contains("ipv4");
        ipv6 = all || protocols.contains("ipv6");
        String lookup = str(c, "smtp_host_lookup", "dns").toLowerCase(Locale.ROOT);
        dnsLookup = lookup.contains("dns");
        nativeLookup = lookup.contains("native");
        mxAddressLimit = num(c, "smtp_mx_address_limit", 5);
        mxSessionLimit = num(c, "smtp_mx_session_limit", 2);
        randomizeAddresses = bool(c, "smtp_randomize_addresses", true);
        connectTimeout = time(c, "smtp_connect_timeout", "30s");
        heloTimeout = time(c, "smtp_helo_timeout", "300s");
        mailTimeout = time(c, "smtp_mail_timeout", "300s");
        rcptTimeout = time(c, "smtp_rcpt_timeout", "300s");
        dataInitTimeout = time(c, "smtp_data_init_timeout", "120s");
        dataXferTimeout = time(c, "smtp_data_xfer_timeout", "180s");
        dataDoneTimeout = time(c, "smtp_data_done_timeout", "600s");
        rsetTimeout = time(c, "smtp_rset_timeout", "20s");
        quitTimeout = time(c, "smtp_quit_timeout", "300s");
        starttlsTimeout = time(c, "smtp_starttls_timeout", "300s");
        cacheTimeLimit = time(c, "smtp_connection_cache_time_limit", "2s");
        reuseTimeLimit = time(c, "smtp_connection_reuse_time_limit", "300s");
        alwaysSendEhlo = bool(c, "smtp_always_send_ehlo", true);
        neverSendEhlo = bool(c, "smtp_never_send_ehlo", false);
        skip5xxGreeting = bool(c, "smtp_skip_5xx_greeting", true);
        lineLengthLimit = num(c, "smtp_line_length_limit", 998);
        TlsLevel level;
        String error = null;
        try {
            level = tlsLevel(c);
        } catch (IllegalArgumentException e) {
            level = TlsLevel.ENCRYPT;
            error = e.getMessage();
        }
        tlsLevel = level;
        tlsLogLevel = num(c, "smtp_tls_loglevel", 0);
        saslEnable = bool(c, "smtp_sasl_auth_enable", false);
        saslPasswordMaps = c.get("smtp_sasl_password_maps").strip();
        String opts = str(c, "smtp_sasl_security_options", "noplaintext, noanonymous");
        saslNoPlaintext = MainConfig.splitList(opts.toLowerCase(Locale.ROOT)).contains("noplaintext");
        String tlsOpts = c.raw("smtp_sasl_tls_security_options") == null ? opts
                : c.get("smtp_sasl_tls_security_options");
        saslTlsNoPlaintext = MainConfig.splitList(tlsOpts.toLowerCase(Locale.ROOT)).contains("noplaintext");
        saslSoftBounce = bool(c, "smtp_sasl_auth_soft_bounce", true);
        mimeOutputConversion = !bool(c, "disable_mime_output_conversion", false);
        softBounce = bool(c, "soft_bounce", false);
        configError = error;
    }

    /**
     * smtp_tls_security_level; empty means the legacy smtp_enforce_tls (encrypt) /
     * smtp_use_tls (may) switches, else none — Postfix's rule.
     */
    private static TlsLevel tlsLevel(MainConfig c) {
        String v = c.get("smtp_tls_security_level").strip().toLowerCase(Locale.ROOT);
        if (v.isEmpty()) {
            if (bool(c, "smtp_enforce_tls", false)) {
                return TlsLevel.ENCRYPT;
            }
            return bool(c, "smtp_use_tls", false) ? TlsLevel.MAY : TlsLevel.NONE;
        }
        return switch (v) {
            case "none" -> TlsLevel.NONE;
            case "may" -> TlsLevel.MAY;
            // jmail verifies no certificates: the verifying levels are enforced as "encrypt"
            case "encrypt", "dane", "dane-only", "fingerprint", "verify", "secure" -> TlsLevel.ENCRYPT;
            default -> throw new IllegalArgumentException("invalid tls security level: \"" + v + "\"");
        };
    }

    static int port(String service) {
        String s = service.strip();
        if (s.equalsIgnoreCase("smtp")) {
            return 25;
        }
        if (s.equalsIgnoreCase("submission")) {
            return 587;
        }
        if (s.equalsIgnoreCase("smtps") || s.equalsIgnoreCase("submissions")) {
            return 465;
        }
        int p = Integer.parseInt(s);
        if (p <= 0 || p > 65535) {
            throw new NumberFormatException("bad port " + s);
        }
        return p;
    }

    private static String str(MainConfig c, String key, String def) {
        String v = c.get(key).strip();
        return v.isEmpty() ? def : v;
    }

    private static int num(MainConfig c, String key, int def) {
        try {
            return Integer.parseInt(str(c, key, Integer.toString(def)));
        } catch (NumberFormatException e) {
            return def;
        }
    }

    private static boolean bool(MainConfig c, String key, boolean def) {
        String v = str(c, key, def ? "yes" : "no").toLowerCase(Locale.ROOT);
        return v.equals("yes") || v.equals("true") || v.equals("on") || v.equals("1");
    }

    private static Duration time(MainConfig c, String key, String def) {
        try {
            return MainConfig.parseTime(str(c, key, def), 's');
        } catch (RuntimeException e) {
            return MainConfig.parseTime(def, 's');
        }
    }
}
