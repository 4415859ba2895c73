package org.jmail.table;

import java.util.function.Consumer;
import org.jmail.log.MailLog;

/**
 * Where table warnings go: by default {@code MailLog.of("dict").warn(...)} (the daemon's log);
 * the command-line tools redirect them to stderr as {@code postmap: warning: ...}, which is
 * where Postfix's postmap(1) prints them.
 *
 * <p>Messages are passed without the {@code warning: } prefix; the sink adds it.
 */
public final class TableLog {

    private static final Consumer<String> DEFAULT = message -> MailLog.of("dict").warn(message);
    private static volatile Consumer<String> sink = DEFAULT;

    private TableLog() {
    }

    /** Installs a warning sink (null: the default); returns the previous one so callers can restore it. */
    public static Consumer<String> setSink(Consumer<String> newSink) {
        Consumer<String> old = sink;
        sink = newSink == null ? DEFAULT : newSink;
        return old;
    }

    /** Logs one warning in Postfix's words, e.g. "database X is older than source file Y". */
    public static void warn(String message) {
        sink.accept(message);
    }
}
