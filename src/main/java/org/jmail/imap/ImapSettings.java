package org.jmail.imap;

import java.time.Duration;
import java.util.List;
import org.jmail.config.MainConfig;

/**
 * The IMAP server's settings, read from main.cf under Dovecot's key names (see
 * {@link #from}). Immutable; a reload builds a new instance for new connections.
 *
 * @param maxLineLength imap_max_line_length: longest command line, literals of non-APPEND
 *        commands included (Dovecot 64k)
 * @param appendLimit message_size_limit: largest APPEND literal (0 = no limit)
 * @param idleNotifyInterval imap_idle_notify_interval: "* OK Still here" during IDLE
 * @param idleCheckInterval mailbox_idle_check_interval: how often IDLE stats the mailbox
 * @param greeting login_greeting
 * @param disablePlaintextAuth disable_plaintext_auth: LOGIN/PLAIN only over TLS or loopback
 * @param authFailureDelay auth_failure_delay: sleep before answering a failed login
 * @param authMechanisms auth_mechanisms: the SASL mechanisms offered (plain, login)
 * @param capability imap_capability: replaces the post-login CAPABILITY list; "+X Y" adds to it
 * @param maxUserIpConnections mail_max_userip_connections: sessions per user and client IP
 * @param loginTimeout how long an unauthenticated client may stay silent (Dovecot's 3 min)
 * @param autologout how long a logged-in client may stay silent (RFC 3501's 30 min minimum)
 */
public record ImapSettings(int maxLineLength, long appendLimit, Duration idleNotifyInterval,
                           Duration idleCheckInterval, String greeting, boolean disablePlaintextAuth,
                           Duration authFailureDelay, List<String> authMechanisms, String capability,
                           int maxUserIpConnections, Duration loginTimeout, Duration autologout) {

    /** Dovecot's defaults, with jmail's greeting and a 1 s IDLE check (a stat is cheap). */
    public static ImapSettings defaults() {
        return new ImapSettings(65536, 10240000, Duration.ofMinutes(2), Duration.ofSeconds(1), "jmail ready.",
                true, Duration.ofSeconds(2), List.of("PLAIN"), "", 10, Duration.ofMinutes(3),
                Duration.ofMinutes(30));
    }

    public static ImapSettings from(MainConfig c) {
        ImapSettings d = defaults();
        int maxLine = (int) size(c.get("imap_max_line_length"), d.maxLineLength);
        long append = size(c.get("message_size_limit"), d.appendLimit);
        if (append <= 0) {
            append = Integer.MAX_VALUE - 64;
        }
        List<String> mechs = c.list("auth_mechanisms").stream().map(s -> s.toUpperCase(java.util.Locale.ROOT))
                .filter(s -> s.equals("PLAIN") || s.equals("LOGIN")).distinct().toList();
        return new ImapSettings(maxLine, append,
                time(c.get("imap_idle_notify_interval"), d.idleNotifyInterval),
                time(c.get("mailbox_idle_check_interval"), d.idleCheckInterval),
                orElse(c.get("login_greeting"), d.greeting),
                c.get("disable_plaintext_auth").isBlank() ? d.disablePlaintextAuth : c.getBoolean("disable_plaintext_auth"),
                time(c.get("auth_failure_delay"), d.authFailureDelay),
                mechs.isEmpty() ? d.authMechanisms : mechs,
                c.get("imap_capability").strip(),
                (int) size(c.get("mail_max_userip_connections"), d.maxUserIpConnections),
                d.loginTimeout, d.autologout);
    }

    public ImapSettings withDisablePlaintextAuth(boolean v) {
        return new ImapSettings(maxLineLength, appendLimit, idleNotifyInterval, idleCheckInterval, greeting, v,
                authFailureDelay, authMechanisms, capability, maxUserIpConnections, loginTimeout, autologout);
    }

    public ImapSettings withAuthFailureDelay(Duration v) {
        return new ImapSettings(maxLineLength, appendLimit, idleNotifyInterval, idleCheckInterval, greeting,
                disablePlaintextAuth, v, authMechanisms, capability, maxUserIpConnections, loginTimeout, autologout);
    }

    public ImapSettings withLimits(int maxLine, long append) {
        return new ImapSettings(maxLine, append, idleNotifyInterval, idleCheckInterval, greeting,
                disablePlaintextAuth, authFailureDelay, authMechanisms, capability, maxUserIpConnections,
                loginTimeout, autologout);
    }

    public ImapSettings withAuthMechanisms(List<String> v) {
        return new ImapSettings(maxLineLength, appendLimit, idleNotifyInterval, idleCheckInterval, greeting,
                disablePlaintextAuth, authFailureDelay, v, capability, maxUserIpConnections, loginTimeout, autologout);
    }

    private static String orElse(String v, String d) {
        return v == null || v.isBlank() ? d : v;
    }

    /** Dovecot sizes: a number with an optional k/m/g suffix (64k). */
    static long size(String v, long d) {
        if (v == null || v.isBlank()) {
            return d;
        }
        String s = v.strip().toLowerCase(java.util.Locale.ROOT).replace(" ", "");
        long mult = 1;
        if (s.endsWith("b")) {
            s = s.substring(0, s.length() - 1);
        }
        if (s.endsWith("k")) {
            mult = 1024;
        } else if (s.endsWith("m")) {
            mult = 1024 * 1024;
        } else if (s.endsWith("g")) {
            mult = 1024L * 1024 * 1024;
        }
        if (mult > 1) {
            s = s.substring(0, s.length() - 1);
        }
        try {
            return Long.parseLong(s) * mult;
        } catch (NumberFormatException e) {
            return d;
        }
    }

    /** Dovecot times ("2 mins", "30 secs") and Postfix ones ("2m", "30s"). */
    static Duration time(String v, Duration d) {
        if (v == null || v.isBlank()) {
            return d;
        }
        String s = v.strip().toLowerCase(java.util.Locale.ROOT);
        int i = 0;
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
            i++;
        }
        if (i == 0) {
            return d;
        }
        long n = Long.parseLong(s.substring(0, i));
        String unit = s.substring(i).strip();
        if (unit.isEmpty() || unit.startsWith("s")) {
            return Duration.ofSeconds(n);
        }
        if (unit.startsWith("ms") || unit.startsWith("milli")) {
            return Duration.ofMillis(n);
        }
        if (unit.startsWith("m")) {
            return Duration.ofMinutes(n);
        }
        if (unit.startsWith("h")) {
            return Duration.ofHours(n);
        }
        if (unit.startsWith("d")) {
            return Duration.ofDays(n);
        }
        if (unit.startsWith("w")) {
            return Duration.ofDays(7 * n);
        }
        return d;
    }
}
