package org.jmail.pop3;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jmail.log.LogSink;
import org.jmail.log.MailLog;
import org.jmail.log.StderrSink;

/** Captures MailLog lines ("tag: text") for assertions; install in @BeforeEach, uninstall in @AfterEach. */
final class LogCapture implements LogSink {

    final List<String> lines = Collections.synchronizedList(new ArrayList<>());

    static LogCapture install() {
        LogCapture c = new LogCapture();
        MailLog.setSink(c, "postfix");
        return c;
    }

    @Override
    public void write(int severity, String tag, String message) {
        lines.add(tag.replaceAll("\\[\\d+\\]$", "") + ": " + message);
    }

    void uninstall() {
        MailLog.setSink(new StderrSink(), "postfix");
    }

    List<String> snapshot() {
        synchronized (lines) {
            return new ArrayList<>(lines);
        }
    }

    String find(String prefix) {
        for (String l : snapshot()) {
            if (l.startsWith(prefix)) {
                return l;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return String.join("\n", snapshot());
    }
}
