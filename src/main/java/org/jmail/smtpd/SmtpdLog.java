package org.jmail.smtpd;

import org.jmail.log.MailLog;

/**
 * smtpd's log, honouring a service's {@code -o syslog_name=...} (Postfix's per-service log tag,
 * e.g. {@code postfix/submission/smtpd[pid]}, which fail2ban's postfix filter expects). The
 * network shell {@link #bind binds} the service's name to the connection's thread for the
 * session's life (thread per connection), so every line of that session carries the service
 * tag; unbound (tests, configuration-time warnings) lines go through {@code MailLog.of("smtpd")}
 * with the daemon's syslog_name. Thread-safe.
 */
final class SmtpdLog {

    static final SmtpdLog INSTANCE = new SmtpdLog();

    private static final MailLog DEFAULT = MailLog.of("smtpd");
    private static final ThreadLocal<String> TAG = new ThreadLocal<>();

    private SmtpdLog() {
    }

    /** Tags this thread's lines {@code syslogName/smtpd}; null or blank unbinds. */
    static void bind(String syslogName) {
        if (syslogName == null || syslogName.isBlank()) {
            TAG.remove();
        } else {
            TAG.set(syslogName.strip() + "/smtpd[" + MailLog.pid() + "]");
        }
    }

    static void unbind() {
        TAG.remove();
    }

    void info(String message) {
        String tag = TAG.get();
        if (tag == null) {
            DEFAULT.info(message);
        } else {
            MailLog.sink().write(6, tag, message);
        }
    }

    void warn(String message) {
        String tag = TAG.get();
        if (tag == null) {
            DEFAULT.warn(message);
        } else {
            MailLog.sink().write(4, tag, "warning: " + message);
        }
    }

    void error(String message) {
        String tag = TAG.get();
        if (tag == null) {
            DEFAULT.error(message);
        } else {
            MailLog.sink().write(3, tag, "error: " + message);
        }
    }
}
