package org.jmail.queue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.jmail.log.LogSink;
import org.jmail.log.MailLog;
import org.jmail.log.StderrSink;

/** Collects MailLog lines for assertions ("postfix/qmgr: ID: removed"); install/close per test. */
public final class CapturedLog implements LogSink {

    private final List<String> lines = new ArrayList<>();

    public static CapturedLog install() {
        CapturedLog c = new CapturedLog();
        MailLog.setSink(c, "postfix");
        return c;
    }

    @Override
    public synchronized void write(int severity, String tag, String message) {
        int bracket = tag.indexOf('[');
        lines.add((bracket > 0 ? tag.substring(0, bracket) : tag) + ": " + message);
    }

    public synchronized List<String> lines() {
        return new ArrayList<>(lines);
    }

    /** Lines containing {@code text}. */
    public synchronized List<String> matching(String text) {
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            if (l.contains(text)) {
                out.add(l);
            }
        }
        return out;
    }

    /** Waits up to {@code millis} for a line that satisfies {@code p}; returns it or null. */
    public String await(Predicate<String> p, long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < end) {
            synchronized (this) {
                for (String l : lines) {
                    if (p.test(l)) {
                        return l;
                    }
                }
            }
            Thread.sleep(5);
        }
        return null;
    }

    public String await(String contains, long millis) throws InterruptedException {
        return await(l -> l.contains(contains), millis);
    }

    public void uninstall() {
        MailLog.setSink(new StderrSink(), "postfix");
    }
}
