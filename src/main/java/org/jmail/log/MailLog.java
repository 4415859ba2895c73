package org.jmail.log;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Postfix-shaped logging: one logger per service ("smtpd", "cleanup", "qmgr", "local"),
 * each line tagged {@code syslog_name/service[pid]} as Postfix's msg(3) does, so that
 * pflogsumm and fail2ban read jmail's lines like Postfix's. Warnings get the
 * {@code warning: } prefix, errors {@code error: }, fatal conditions {@code fatal: }.
 *
 * <p>Messages are plain strings: callers build them in Postfix's exact words, e.g.
 * {@code log.info(id + ": to=<" + rcpt + ">, relay=local, ...")}.
 */
public final class MailLog {

    private static final ConcurrentHashMap<String, MailLog> LOGGERS = new ConcurrentHashMap<>();
    private static volatile LogSink sink = new StderrSink();
    private static volatile String syslogName = "jmail";
    private static final long PID = ProcessHandle.current().pid();

    private final String service;

    private MailLog(String service) {
        this.service = service;
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

    public static LogSink sink() {
        return sink;
    }

    public static long pid() {
        return PID;
    }

    public String tag() {
        return syslogName + "/" + service;
    }

    public void info(String message) {
        sink.write(6, tag() + "[" + PID + "]", message);
    }

    public void warn(String message) {
        sink.write(4, tag() + "[" + PID + "]", "warning: " + message);
    }

    public void error(String message) {
        sink.write(3, tag() + "[" + PID + "]", "error: " + message);
    }

    public void fatal(String message) {
        sink.write(2, tag() + "[" + PID + "]", "fatal: " + message);
    }
}
