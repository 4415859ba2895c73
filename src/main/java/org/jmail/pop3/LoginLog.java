package org.jmail.pop3;

import org.jmail.log.MailLog;

/**
 * pop3-login's log lines in Dovecot 2.3's words and element order
 * ({@code login_log_format_elements = user=<%u> method=%m rip=%r lip=%l mpid=%e %c
 * session=<%{session}>}), so that fail2ban's dovecot filter and log readers see the same
 * lines:
 * <pre>
 * Login: user=&lt;u&gt;, method=PLAIN, rip=192.0.2.1, lip=192.0.2.2, mpid=123, TLS, session=&lt;…&gt;
 * Disconnected (auth failed, 1 attempts in 2 secs): user=&lt;u&gt;, method=PLAIN, rip=…, lip=…, TLS, session=&lt;…&gt;
 * Aborted login (no auth attempts in 0 secs): user=&lt;&gt;, rip=…, lip=…, session=&lt;…&gt;
 * </pre>
 */
final class LoginLog {

    static final MailLog LOG = MailLog.of("pop3-login");

    private LoginLog() {
    }

    /** "Login: user=<…>, method=…, rip=…, lip=…, mpid=…, TLS|secured, session=<…>" */
    static String login(ClientFacts c, String user) {
        return "Login: " + elements(c, user, "mpid=" + MailLog.pid());
    }

    /**
     * A login-process disconnect: {@code reason} ("Disconnected", "Aborted login",
     * "Disconnected: Too many bad commands", …) with Dovecot's extra reason in parentheses.
     */
    static String disconnect(ClientFacts c, String reason, long nowNanos) {
        return reason + " " + extraReason(c, nowNanos) + ": " + elements(c, c.user, null);
    }

    /** Dovecot's client_get_extra_disconnect_reason() for the cases jmail has. */
    static String extraReason(ClientFacts c, long nowNanos) {
        if (c.authAttempts == 0) {
            return "(no auth attempts in " + secs(nowNanos - c.createdNanos) + " secs)";
        }
        if (c.authAborted && c.authAttempts == 1) {
            return "(aborted authentication)";
        }
        if (c.triedDisallowedPlaintext) {
            return "(tried to use disallowed plaintext auth)";
        }
        if (c.tempFailed) {
            return "(auth service reported temporary failure)";
        }
        return "(auth failed, " + c.authAttempts + " attempts in " + secs(nowNanos - c.firstAuthNanos) + " secs)";
    }

    private static String elements(ClientFacts c, String user, String mpid) {
        StringBuilder b = new StringBuilder(128);
        b.append("user=<").append(user == null ? "" : user).append('>');
        if (c.mechanism != null) {
            b.append(", method=").append(c.mechanism);
        }
        b.append(", rip=").append(c.remoteIp).append(", lip=").append(c.localIp);
        if (mpid != null) {
            b.append(", ").append(mpid);
        }
        if (c.tls) {
            b.append(", TLS");
        } else if (c.secured()) {
            b.append(", secured");
        }
        b.append(", session=<").append(c.sessionId).append('>');
        return b.toString();
    }

    private static long secs(long nanos) {
        return Math.max(0, nanos / 1_000_000_000L);
    }
}
