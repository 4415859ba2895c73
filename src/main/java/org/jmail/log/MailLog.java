package org.jmail.log;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Postfix-shaped logging: one logger per service ("smtpd", "cleanup", "qmgr", "local"),
 * each line tagged {@code syslog_name/service[pid]} as Postfix's msg(3) does, so that
 * pflogsumm and fail2ban read jmail's lines like Postfix's. Warnings get the
 * {@code warning: } prefix, errors {@code error: }, fatal conditions {@code fatal: }.
 *
 * <p>The mail-access side (Dovecot's processes: {@code imap}, {@code imap-login}, {@code pop3},
 * {@code pop3-login}, {@code auth}) logs as Dovecot does through syslog: tag
 * {@code syslog_ident[pid]} (Dovecot's key, default "dovecot") and the process name leading the
 * text ({@code dovecot[123]: imap-login: Login: user=<u>, …}), so fail2ban's dovecot filter and
 * other Dovecot log readers work unchanged.
 *
 * <p>Messages are plain strings: callers build them in Postfix's exact words, e.g.
 * {@code log.info(id + ": to=<" + rcpt + ">, relay=local, ...")}.
 */
public final class MailLog {

    private static final ConcurrentHashMap<String, MailLog> LOGGERS = new ConcurrentHashMap<>();
    private static volatile LogSink sink = new StderrSink();
    private static volatile String syslogName = "postfix";
    private static volatile String syslogIdent = "dovecot";
    private static final java.util.Set<String> DOVECOT_PROCESSES =
            java.util.Set.of("imap", "imap-login", "pop3", "pop3-login", "auth");
    private static final long PID = ProcessHandle.current().pid();

    private final String service;
    private final boolean dovecot;

    private MailLog(String service) {
        this.service = service;
        this.dovecot = DOVECOT_PROCESSES.contains(service);
    }

    public static MailLog of(String service) {
        return LOGGERS.computeIfAbsent(service, MailLog::new);
    }

    /** Installs the sink lines go to from now on; closes the previous one. */
    public static void setSink(LogSink newSink, String name) {
        LogSink old = sink;
        sink = newSink;
        syslogName = name;
        if (old != newSink) {
            old.close();
        }
    }

    /** Dovecot's syslog_ident: the tag of the mail-access side's lines. */
    public static void setIdent(String ident) {
        syslogIdent = ident == null || ident.isBlank() ? "dovecot" : ident.strip();
    }

    public static LogSink sink() {
        return sink;
    }

    public static long pid() {
        return PID;
    }

    public String tag() {
        return dovecot ? syslogIdent : syslogName + "/" + service;
    }

    public void info(String message) {
        write(6, "", message);
    }

    public void warn(String message) {
        write(4, dovecot ? "Warning: " : "warning: ", message);
    }

    public void error(String message) {
        write(3, dovecot ? "Error: " : "error: ", message);
    }

    public void fatal(String message) {
        write(2, dovecot ? "Fatal: " : "fatal: ", message);
    }

    private void write(int severity, String level, String message) {
        String text = level + message;
        if (dovecot && !message.startsWith(service + "(")) {
            // Dovecot: "imap-login: Login: …"; per-user lines already start with "imap(user)…"
            text = service + ": " + text;
        } else if (dovecot) {
            int colon = message.indexOf(": ");
            text = colon < 0 ? text : message.substring(0, colon + 2) + level + message.substring(colon + 2);
        }
        sink.write(severity, tag() + "[" + PID + "]", text);
    }
}
