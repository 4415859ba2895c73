package org.jmail.imap;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * IMAP's date forms (RFC 3501): date-time {@code "17-Jul-1996 02:44:25 -0700"} for
 * INTERNALDATE and APPEND, and date {@code 1-Feb-1994} for SEARCH. Parsing returns null on
 * anything malformed; formatting uses the server's zone as Dovecot does.
 */
final class ImapDate {

    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
        "Nov", "Dec"};

    private ImapDate() {
    }

    static String format(Instant t, ZoneId zone) {
        ZonedDateTime z = t.atZone(zone);
        int off = z.getOffset().getTotalSeconds() / 60;
        char sign = off < 0 ? '-' : '+';
        off = Math.abs(off);
        StringBuilder b = new StringBuilder(28).append('"');
        two(b, z.getDayOfMonth()).append('-').append(MONTHS[z.getMonthValue() - 1]).append('-').append(z.getYear())
                .append(' ');
        two(b, z.getHour()).append(':');
        two(b, z.getMinute()).append(':');
        two(b, z.getSecond()).append(' ').append(sign);
        two(b, off / 60);
        two(b, off % 60);
        return b.append('"').toString();
    }

    private static StringBuilder two(StringBuilder b, int v) {
        if (v < 10) {
            b.append('0');
        }
        return b.append(v);
    }

    static int month(String m) {
        for (int i = 0; i < 12; i++) {
            if (MONTHS[i].equalsIgnoreCase(m)) {
                return i + 1;
            }
        }
        return -1;
    }

    /** "1-Feb-1994" or "01-Feb-1994"; null when malformed. */
    static LocalDate parseDate(String s) {
        String[] p = s.strip().split("-");
        if (p.length != 3) {
            return null;
        }
        try {
            int d = Integer.parseInt(p[0].strip());
            int m = month(p[1]);
            int y = Integer.parseInt(p[2]);
            if (m < 0 || p[2].length() != 4) {
                return null;
            }
            return LocalDate.of(y, m, d);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** "17-Jul-1996 02:44:25 -0700" (day may be space padded); null when malformed. */
    static Instant parseDateTime(String s) {
        try {
            String t = s.strip();
            int sp = t.indexOf(' ');
            LocalDate date = parseDate(t.substring(0, sp));
            String[] rest = t.substring(sp + 1).strip().split(" ");
            if (date == null || rest.length != 2 || rest[0].length() != 8 || rest[1].length() != 5) {
                return null;
            }
            String[] hms = rest[0].split(":");
            int zone = Integer.parseInt(rest[1].substring(1));
            int offMin = (zone / 100) * 60 + zone % 100;
            if (rest[1].charAt(0) == '-') {
                offMin = -offMin;
            } else if (rest[1].charAt(0) != '+') {
                return null;
            }
            return date.atTime(Integer.parseInt(hms[0]), Integer.parseInt(hms[1]), Integer.parseInt(hms[2]))
                    .toInstant(ZoneOffset.ofTotalSeconds(offMin * 60));
        } catch (RuntimeException e) {
            return null;
        }
    }
}
