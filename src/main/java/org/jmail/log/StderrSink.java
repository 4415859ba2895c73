package org.jmail.log;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Syslog-shaped lines on stderr: the default for tools and tests until a daemon configures logging. */
public final class StderrSink implements LogSink {
    static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("MMM d HH:mm:ss", Locale.ROOT);

    @Override
    public void write(int severity, String tag, String message) {
        System.err.println(tag + ": " + message);
    }
}
