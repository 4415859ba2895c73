package org.jmail.imap;

import java.net.InetSocketAddress;
import org.jmail.log.MailLog;

/**
 * Dovecot 2.3's login and session log lines, word for word, so fail2ban's dovecot filter and
 * log readers see the same thing:
 * <pre>
 * imap-login: Login: user=&lt;u&gt;, method=PLAIN, rip=1.2.3.4, lip=5.6.7.8, mpid=N, TLS, session=&lt;…&gt;
 * imap-login: Disconnected (auth failed, 2 attempts in 4 secs): user=&lt;u&gt;, method=PLAIN, rip=…, lip=…, TLS, session=&lt;…&gt;
 * imap(u)&lt;pid&gt;&lt;session&gt;: Logged out in=… out=… deleted=… expunged=… trashed=… hdr_count=… …
 * </pre>
 * Empty elements are left out as Dovecot's login_log_format_elements does.
 */
final class LoginLog {

    private static final MailLog LOGIN = MailLog.of("imap-login");
    private static final MailLog IMAP = MailLog.of("imap");

    private LoginLog() {
    }

    static String ip(InetSocketAddress a) {
        if (a == null || a.getAddress() == null) {
            return "";
        }
        String s = a.getAddress().getHostAddress();
        int pct = s.indexOf('%');
        return pct > 0 ? s.substring(0, pct) : s;
    }

    static String elements(String user, String method, InetSocketAddress remote, InetSocketAddress local,
                           String mpid, boolean tls, boolean secured, String session) {
        StringBuilder b = new StringBuilder();
        b.append("user=<").append(user == null ? "" : sanitize(user)).append('>');
        if (method != null) {
            b.append(", method=").append(method);
        }
        b.append(", rip=").append(ip(remote)).append(", lip=").append(ip(local));
        if (mpid != null) {
            b.append(", mpid=").append(mpid);
        }
        if (tls) {
            b.append(", TLS");
        } else if (secured) {
            b.append(", secured");
        }
        b.append(", session=<").append(session).append('>');
        return b.toString();
    }

    /** No control characters from the client reach the log. */
    static String sanitize(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length() && i < 256; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return b.toString();
    }

    static void login(String elements) {
        LOGIN.info("Login: " + elements);
    }

    static void loginDisconnected(String reason, String elements) {
        LOGIN.info("Disconnected" + (reason.startsWith(":") ? "" : " ") + reason + ": " + elements);
    }

    static void session(String user, String session, String text) {
        IMAP.info("imap(" + sanitize(user) + ")<" + MailLog.pid() + "><" + session + ">: " + text);
    }

    static void warn(String text) {
        IMAP.warn(text);
    }
}
