package org.jmail.auth;

import java.time.Duration;
import java.util.Locale;

/**
 * Dovecot's value syntax for the Dovecot keys jmail reads from main.cf: times ("1 hour",
 * "2 secs", "30s", "500 msecs"; a bare number is seconds), sizes ("10M", "10 M", "512k";
 * 1024-based as in Dovecot; a bare number is bytes) and booleans (yes/no). Postfix-style
 * values ("2s", "1h") are a subset, so either spelling works.
 *
 * <p>Malformed values throw {@link IllegalArgumentException} naming the value; empty values
 * give the caller's fallback (the key is unset).
 */
public final class DovecotValues {

    private DovecotValues() {
    }

    public static Duration parseTime(String value, Duration fallback) {
        String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        if (v.isEmpty()) {
            return fallback;
        }
        int i = 0;
        while (i < v.length() && Character.isDigit(v.charAt(i))) {
            i++;
        }
        if (i == 0) {
            throw new IllegalArgumentException("invalid time value \"" + value + "\"");
        }
        long n = Long.parseLong(v.substring(0, i));
        String unit = v.substring(i).strip();
        return switch (unit) {
            case "", "s", "sec", "secs", "second", "seconds" -> Duration.ofSeconds(n);
            case "ms", "msec", "msecs", "millisecond", "milliseconds" -> Duration.ofMillis(n);
            case "m", "min", "mins", "minute", "minutes" -> Duration.ofMinutes(n);
            case "h", "hour", "hours" -> Duration.ofHours(n);
            case "d", "day", "days" -> Duration.ofDays(n);
            case "w", "week", "weeks" -> Duration.ofDays(7 * n);
            default -> throw new IllegalArgumentException("invalid time unit in \"" + value + "\"");
        };
    }

    public static long parseSize(String value, long fallback) {
        String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        if (v.isEmpty()) {
            return fallback;
        }
        int i = 0;
        while (i < v.length() && Character.isDigit(v.charAt(i))) {
            i++;
        }
        if (i == 0) {
            throw new IllegalArgumentException("invalid size value \"" + value + "\"");
        }
        long n = Long.parseLong(v.substring(0, i));
        String unit = v.substring(i).strip();
        if (unit.endsWith("b") && unit.length() > 1) {
            unit = unit.substring(0, unit.length() - 1); // "MB" = "M"
        }
        return switch (unit) {
            case "", "b" -> n;
            case "k" -> n << 10;
            case "m" -> n << 20;
            case "g" -> n << 30;
            case "t" -> n << 40;
            default -> throw new IllegalArgumentException("invalid size unit in \"" + value + "\"");
        };
    }

    public static boolean parseBool(String value, boolean fallback) {
        String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "" -> fallback;
            case "yes", "true", "on", "1" -> true;
            case "no", "false", "off", "0" -> false;
            default -> throw new IllegalArgumentException("invalid boolean value \"" + value + "\"");
        };
    }

    public static int parseInt(String value, int fallback) {
        String v = value == null ? "" : value.strip();
        if (v.isEmpty()) {
            return fallback;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid number \"" + value + "\"");
        }
    }
}
