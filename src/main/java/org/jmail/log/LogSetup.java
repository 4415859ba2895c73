package org.jmail.log;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jmail.config.MainConfig;

/**
 * Chooses where the daemon's log goes, as Postfix and Debian do: {@code maillog_file} when set
 * (Postfix's postlog), else syslog on /dev/log (rsyslog puts facility mail in
 * /var/log/mail.log), else, when nothing listens on /dev/log (containers, minimal systems),
 * jmail writes {@code maillog_fallback_file} (/var/log/mail.log) itself so that
 * {@code tail /var/log/mail.log} always works.
 */
public final class LogSetup {

    private LogSetup() {
    }

    /** Installs the sink; returns a description for the start-up line. */
    public static String configure(MainConfig config) {
        return configure(config, "/dev/log");
    }

    /** As {@link #configure(MainConfig)}, with the syslog socket's path given (tests). */
    static String configure(MainConfig config, String devLog) {
        String name = config.get("syslog_name");
        MailLog.setIdent(config.get("syslog_ident"));
        String host = config.get("myhostname");
        String file = config.get("maillog_file");
        try {
            if (!file.isEmpty()) {
                MailLog.setSink(new FileSink(Path.of(file), host), name);
                return "file " + file;
            }
            if (Files.exists(Path.of(devLog))) {
                try {
                    MailLog.setSink(new SyslogSink(devLog, config.get("syslog_facility")), name);
                    return "syslog";
                } catch (IOException e) {
                    // nothing listens: fall through to the file
                }
            }
            String fallback = config.get("maillog_fallback_file");
            MailLog.setSink(new FileSink(Path.of(fallback), host), name);
            return "file " + fallback;
        } catch (IOException e) {
            MailLog.setSink(new StderrSink(), name);
            MailLog.of("master").warn("cannot open log: " + e.getMessage() + "; logging to stderr");
            return "stderr";
        }
    }
}
