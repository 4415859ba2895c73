package org.jmail.util;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.Locale;

/**
 * Dates in the shape Postfix's mail_date(3) writes into Received: and Date: headers:
 * {@code Sat,  2 Nov 2026 04:41:24 +0000 (UTC)} — RFC 5322 date-time with the day of month
 * space-padded ({@code strftime %e}), a numeric zone offset and the zone abbreviation in a
 * comment. Thread-safe: the last result is kept (dates only change once a second, and every
 * message needs one or two), so most calls do no formatting at all.
 */
public final class MailDate {

    private static final DateTimeFormatter MAIN =
            DateTimeFormatter.ofPattern("EEE, ppd MMM yyyy HH:mm:ss xx", Locale.US);

    /** The last date formatted: second, zone and text. */
    private record Last(long second, ZoneId zone, String text) {
    }

    private static volatile Last last;

    private MailDate() {
    }

    /** The date of {@code instant} in {@code zone}. */
    public static String format(Instant instant, ZoneId zone) {
        long second = instant.getEpochSecond();
        Last l = last;
        if (l != null && l.second == second && l.zone.equals(zone)) {
            return l.text;
        }
        String text = compute(instant, zone);
        last = new Last(second, zone, text);
        return text;
    }

    private static String compute(Instant instant, ZoneId zone) {
        ZonedDateTime t = instant.atZone(zone);
        boolean dst = zone.getRules().isDaylightSavings(instant);
        String abbrev = java.util.TimeZone.getTimeZone(zone).getDisplayName(dst, java.util.TimeZone.SHORT, Locale.US);
        if (abbrev.startsWith("GMT") && abbrev.length() > 3) {
            // Java has no abbreviation for this zone; strftime would print the offset name
            abbrev = zone.getDisplayName(TextStyle.SHORT, Locale.US);
        }
        return MAIN.format(t) + " (" + abbrev + ")";
    }

    /** The date of {@code instant} in the system time zone. */
    public static String format(Instant instant) {
        return format(instant, ZoneId.systemDefault());
    }
}
