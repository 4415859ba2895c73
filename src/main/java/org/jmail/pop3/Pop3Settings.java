package org.jmail.pop3;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jmail.auth.SaslServer;
import org.jmail.config.MainConfig;
import org.jmail.log.MailLog;

/**
 * The POP3 service's settings, read once from main.cf (with the service's master.cf
 * {@code -o} overrides) under Dovecot's key names.
 *
 * @param loginGreeting        {@code login_greeting}: text after "+OK " in the greeting ("jmail ready.")
 * @param uidlFormat           {@code pop3_uidl_format} (default {@code %08Xu%08Xv})
 * @param lockSession          {@code pop3_lock_session}: one POP3 session per user at a time
 * @param noFlagUpdates        {@code pop3_no_flag_updates}: RETR does not set \Seen
 * @param deletedFlag          {@code pop3_deleted_flag}: keyword that hides a message from POP3 ("" = none)
 * @param deleteByFlag         {@code pop3_delete_type}: DELE+QUIT adds {@code deletedFlag} instead of expunging
 * @param disablePlaintextAuth {@code disable_plaintext_auth}: USER/PASS, PLAIN, LOGIN only when secured
 * @param authMechanisms       {@code auth_mechanisms} jmail supports, upper case (PLAIN, LOGIN)
 * @param authFailureDelay     {@code auth_failure_delay}: pause before answering a failed login
 * @param maxUserIpConnections {@code mail_max_userip_connections} (0 = no limit)
 * @param idleTimeout          Dovecot's fixed 10 minutes of client inactivity after login
 * @param loginTimeout         Dovecot's fixed 3 minutes to log in
 */
public record Pop3Settings(String loginGreeting, UidlFormat uidlFormat, boolean lockSession, boolean noFlagUpdates,
                           String deletedFlag, boolean deleteByFlag, boolean disablePlaintextAuth,
                           List<String> authMechanisms, Duration authFailureDelay, int maxUserIpConnections,
                           Duration idleTimeout, Duration loginTimeout) {

    public Pop3Settings {
        authMechanisms = List.copyOf(authMechanisms);
    }

    /** Dovecot's defaults with jmail's greeting; auth_failure_delay 2s. */
    public static Pop3Settings defaults() {
        return new Pop3Settings("jmail ready.", UidlFormat.compile(UidlFormat.DEFAULT), false, false, "", false, true,
                List.of("PLAIN"), Duration.ofSeconds(2), 10, Duration.ofMinutes(10), Duration.ofMinutes(3));
    }

    /** Reads the settings; a bad pop3_uidl_format is logged and replaced by the default. */
    public static Pop3Settings from(MainConfig config) {
        Pop3Settings d = defaults();
        UidlFormat uidl;
        String format = rawValue(config, "pop3_uidl_format", UidlFormat.DEFAULT);
        try {
            uidl = UidlFormat.compile(format);
        } catch (IllegalArgumentException e) {
            MailLog.of("pop3").warn(e.getMessage() + "; using " + UidlFormat.DEFAULT);
            uidl = d.uidlFormat();
        }
        // raw: Dovecot's customary keyword "$POP3Deleted" is not a main.cf $name reference
        String deletedFlag = rawValue(config, "pop3_deleted_flag", "");
        String deleteType = value(config, "pop3_delete_type", "default").toLowerCase(Locale.ROOT);
        boolean byFlag = deleteType.equals("flag") || (deleteType.equals("default") && !deletedFlag.isEmpty());
        if (byFlag && deletedFlag.isEmpty()) {
            MailLog.of("pop3").warn("pop3_delete_type=flag, but pop3_deleted_flag not set; expunging instead");
            byFlag = false;
        }
        List<String> mechs = new ArrayList<>();
        for (String m : MainConfig.splitList(value(config, "auth_mechanisms", "plain"))) {
            String upper = m.toUpperCase(Locale.ROOT);
            if (SaslServer.create(upper) != null && !mechs.contains(upper)) {
                mechs.add(upper);
            }
        }
        return new Pop3Settings(
                value(config, "login_greeting", d.loginGreeting()),
                uidl,
                bool(config, "pop3_lock_session", false),
                bool(config, "pop3_no_flag_updates", false),
                deletedFlag,
                byFlag,
                bool(config, "disable_plaintext_auth", true),
                mechs,
                time(config, "auth_failure_delay", d.authFailureDelay()),
                integer(config, "mail_max_userip_connections", d.maxUserIpConnections()),
                d.idleTimeout(),
                d.loginTimeout());
    }

    /** This configuration with another failure delay (tests use zero). */
    public Pop3Settings withAuthFailureDelay(Duration delay) {
        return new Pop3Settings(loginGreeting, uidlFormat, lockSession, noFlagUpdates, deletedFlag, deleteByFlag,
                disablePlaintextAuth, authMechanisms, delay, maxUserIpConnections, idleTimeout, loginTimeout);
    }

    /** This configuration with other mechanisms offered. */
    public Pop3Settings withAuthMechanisms(List<String> mechanisms) {
        return new Pop3Settings(loginGreeting, uidlFormat, lockSession, noFlagUpdates, deletedFlag, deleteByFlag,
                disablePlaintextAuth, mechanisms, authFailureDelay, maxUserIpConnections, idleTimeout, loginTimeout);
    }

    /** This configuration with other timeouts (tests). */
    public Pop3Settings withTimeouts(Duration idle, Duration login) {
        return new Pop3Settings(loginGreeting, uidlFormat, lockSession, noFlagUpdates, deletedFlag, deleteByFlag,
                disablePlaintextAuth, authMechanisms, authFailureDelay, maxUserIpConnections, idle, login);
    }

    private static String value(MainConfig config, String key, String fallback) {
        String v = config.get(key).strip();
        return v.isEmpty() && !config.isExplicit(key) ? fallback : v;
    }

    private static Duration time(MainConfig config, String key, Duration fallback) {
        try {
            return MainConfig.parseTime(value(config, key, fallback.toSeconds() + "s"), 's');
        } catch (IllegalArgumentException e) {
            MailLog.of("pop3").warn("bad " + key + " value \"" + config.get(key) + "\"; using " + fallback.toSeconds() + "s");
            return fallback;
        }
    }

    private static int integer(MainConfig config, String key, int fallback) {
        try {
            return Integer.parseInt(value(config, key, String.valueOf(fallback)));
        } catch (NumberFormatException e) {
            MailLog.of("pop3").warn("bad " + key + " value \"" + config.get(key) + "\"; using " + fallback);
            return fallback;
        }
    }

    private static String rawValue(MainConfig config, String key, String fallback) {
        String v = config.raw(key);
        return v == null || (v.isBlank() && !config.isExplicit(key)) ? fallback : v.strip();
    }

    private static boolean bool(MainConfig config, String key, boolean fallback) {
        String v = value(config, key, fallback ? "yes" : "no").toLowerCase(Locale.ROOT);
        return v.equals("yes") || v.equals("true") || v.equals("on") || v.equals("1");
    }
}
