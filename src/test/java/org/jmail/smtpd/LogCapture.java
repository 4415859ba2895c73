package org.jmail.smtpd;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jmail.log.LogSink;
import org.jmail.log.MailLog;
import org.jmail.log.StderrSink;

/** Captures MailLog lines for assertions; install in @BeforeEach, close in @AfterEach. */
final class LogCapture implements LogSink {

    final List<String> lines = Collections.synchronizedList(new ArrayList<>());

    static LogCapture install() {
        LogCapture c = new LogCapture();
        MailLog.setSink(c, "postfix");
        return c;
    }

    @Override
    public void write(int severity, String tag, String message) {
        lines.add(message);
    }

    void uninstall() {
        MailLog.setSink(new StderrSink(), "postfix");
    }

    boolean has(String text) {
        synchronized (lines) {
            return lines.stream().anyMatch(l -> l.equals(text));
        }
    }

    boolean hasContaining(String text) {
        synchronized (lines) {
            return lines.stream().anyMatch(l -> l.contains(text));
        }
    }

    @Override
    public String toString() {
        synchronized (lines) {
            return String.join("\n", lines);
        }
    }
}
