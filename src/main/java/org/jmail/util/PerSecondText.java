package org.jmail.util;

import java.util.function.LongFunction;

/**
 * A time stamp formatted once per second: log lines and Date/Received headers are written
 * many times a second and show whole seconds, and java.time formatting is costly next to the
 * rest of a log line. Thread-safe without locks (the last entry is replaced as a whole).
 */
public final class PerSecondText {

    private record Entry(long second, String text) {
    }

    private final LongFunction<String> format;
    private volatile Entry last = new Entry(Long.MIN_VALUE, "");

    /** @param format the text for an epoch second */
    public PerSecondText(LongFunction<String> format) {
        this.format = format;
    }

    /** The text for {@code epochSecond}. */
    public String at(long epochSecond) {
        Entry e = last;
        if (e.second != epochSecond) {
            e = new Entry(epochSecond, format.apply(epochSecond));
            last = e;
        }
        return e.text;
    }
}
