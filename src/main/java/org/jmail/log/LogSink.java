package org.jmail.log;

/** Where finished log lines go: syslog on /dev/log, a file (maillog_file), or stderr. */
public interface LogSink extends AutoCloseable {

    /**
     * Writes one record.
     *
     * @param severity syslog severity (3 error, 4 warning, 6 info)
     * @param tag      "postfix/smtpd" — syslog_name/service
     * @param message  the text after "tag[pid]: "
     */
    void write(int severity, String tag, String message);

    @Override
    default void close() {
    }
}
