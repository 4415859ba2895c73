package org.jmail.fuzz;

import java.util.ArrayList;
import java.util.List;
import org.jmail.log.LogSink;
import org.jmail.log.MailLog;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Replaces the log sink during a fuzz run: thousands of sessions must not flood the test
 * output, and a line that reports an internal error (a caught RuntimeException: a bug the
 * session survived) must fail the input that caused it. Lines are collected per thread, so
 * the worker that ran an input sees only its own. A fuzz test class installs it for all its
 * tests with {@code @ExtendWith(LogWatch.Installed.class)}.
 */
final class LogWatch implements LogSink {

    private static final ThreadLocal<List<String>> SUSPICIOUS = ThreadLocal.withInitial(ArrayList::new);
    private LogSink previous;

    /** Installs the watch; {@link #close()} puts the previous sink back. */
    static LogWatch install() {
        LogWatch w = new LogWatch();
        w.previous = MailLog.sink();
        MailLog.setSink(w, "jmail");
        return w;
    }

    @Override
    public void write(int severity, String tag, String message) {
        String m = message.toLowerCase(java.util.Locale.ROOT);
        if (m.contains("internal error") || m.contains("java.lang.") || m.contains("failed: java.")) {
            List<String> l = SUSPICIOUS.get();
            if (l.size() < 5) {
                l.add(tag + ": " + message);
            }
        }
    }

    /** Clears this thread's record (call before an input). */
    static void reset() {
        SUSPICIOUS.get().clear();
    }

    /** Throws when this thread logged an internal error since {@link #reset()}. */
    static void assertClean() {
        List<String> l = SUSPICIOUS.get();
        if (!l.isEmpty()) {
            throw new AssertionError("internal error logged: " + l);
        }
    }

    @Override
    public void close() {
        if (previous != null) {
            LogSink p = previous;
            previous = null;
            MailLog.setSink(p, "jmail");
        }
    }

    /** Installs the watch before a test class's tests and restores the sink after them. */
    static final class Installed implements BeforeAllCallback, AfterAllCallback {
        private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(LogWatch.class);

        @Override
        public void beforeAll(ExtensionContext context) {
            context.getStore(NS).put("watch", install());
        }

        @Override
        public void afterAll(ExtensionContext context) {
            LogWatch w = context.getStore(NS).remove("watch", LogWatch.class);
            if (w != null) {
                w.close();
            }
        }
    }
}
