package org.jmail.log;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.jmail.util.PerSecondText;

/** Syslog-shaped lines on stderr: the default for tools and tests until a daemon configures logging. */
public final class StderrSink implements LogSink {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("MMM d HH:mm:ss", Locale.ROOT);
    private static final PerSecondText STAMPS = new PerSecondText(
            s -> STAMP.format(Instant.ofEpochSecond(s).atZone(ZoneId.systemDefault())));

    /** The syslog time stamp ("Nov 29 10:04:58", local time) of a log record's time. */
    static String stamp(long millis) {
        return STAMPS.at(Math.floorDiv(millis, 1000));
    }

    @Override
    public void write(int severity, String tag, String message) {
        System.err.println(tag + ": " + message);
    }
}
