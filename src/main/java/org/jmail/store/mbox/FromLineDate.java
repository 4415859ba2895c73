package org.jmail.store.mbox;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneRules;

/**
 * The date of an mbox From_ line without regular expressions or string copies (the parser
 * calls it for every message): finds the asctime part {@code Www Mmm dd hh:mm[:ss] [zone]
 * yyyy} after the sender, as Dovecot's mbox_from_parse() does, and returns seconds since the
 * epoch; a numeric zone ({@code +0100}) is honoured, otherwise the date is local time.
 * Returns {@link #INVALID} when the line is not a From_ line: such a line in a body is text.
 */
final class FromLineDate {
    static final long INVALID = Long.MIN_VALUE;
    private static final String WEEKDAYS = "SunMonTueWedThuFriSat";
    private static final String MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec";
    private static final ZoneRules LOCAL = ZoneId.systemDefault().getRules();

    private FromLineDate() {
    }

    /** b[off, off+len) is one line (no LF) starting with "From ". */
    static long parse(byte[] b, int off, int len) {
        int end = off + len;
        while (end > off && (b[end - 1] == '\r' || b[end - 1] == ' ')) {
            end--;
        }
        for (int i = off + 5; i + 15 <= end; i++) {
            if (b[i - 1] != ' ' || indexOf3(WEEKDAYS, b, i) < 0 || b[i + 3] != ' ') {
                continue;
            }
            int m = indexOf3(MONTHS, b, i + 4);
            if (m < 0 || b[i + 7] != ' ') {
                continue;
            }
            long r = parseRest(b, i + 8, end, m / 3 + 1);
            if (r != INVALID) {
                return r;
            }
        }
        return INVALID;
    }

    private static long parseRest(byte[] b, int p, int end, int month) {
        while (p < end && b[p] == ' ') {
            p++;
        }
        int day = 0;
        int digits = 0;
        while (p < end && isDigit(b[p]) && digits < 2) {
            day = day * 10 + (b[p++] - '0');
            digits++;
        }
        if (digits == 0 || p >= end || b[p] != ' ') {
            return INVALID;
        }
        p++;
        int[] hms = new int[3];
        int n = 0;
        while (n < 3) {
            if (p + 2 > end || !isDigit(b[p]) || !isDigit(b[p + 1])) {
                return INVALID;
            }
            hms[n++] = (b[p] - '0') * 10 + (b[p + 1] - '0');
            p += 2;
            if (p < end && b[p] == ':') {
                p++;
            } else {
                break;
            }
        }
        if (n < 2) {
            return INVALID;
        }
        int offsetSeconds = Integer.MIN_VALUE;
        int year = -1;
        while (p < end && year < 0) {
            while (p < end && b[p] == ' ') {
                p++;
            }
            int start = p;
            while (p < end && b[p] != ' ') {
                p++;
            }
            int tl = p - start;
            if (tl == 0) {
                break;
            }
            if (tl == 4 && allDigits(b, start, p)) {
                year = num(b, start, p);
            } else if (tl == 5 && (b[start] == '+' || b[start] == '-') && allDigits(b, start + 1, p)) {
                int v = num(b, start + 1, p);
                offsetSeconds = (v / 100 * 3600 + v % 100 * 60) * (b[start] == '-' ? -1 : 1);
            } else if (tl == 2 && allDigits(b, start, p) && offsetSeconds == Integer.MIN_VALUE) {
                year = 1900 + num(b, start, p);
                year = year < 1970 ? year + 100 : year;
            } else if (!isAlpha(b, start, p)) {
                return INVALID; // not a zone name: this is not asctime
            }
        }
        if (year < 0 || day < 1 || day > 31 || hms[0] > 23 || hms[1] > 59 || hms[2] > 60) {
            return INVALID;
        }
        try {
            LocalDateTime t = LocalDateTime.of(year, month, day, hms[0], hms[1], Math.min(hms[2], 59));
            ZoneOffset off = offsetSeconds != Integer.MIN_VALUE ? ZoneOffset.ofTotalSeconds(offsetSeconds)
                    : LOCAL.getOffset(t);
            return t.toEpochSecond(off);
        } catch (java.time.DateTimeException e) {
            return INVALID;
        }
    }

    private static int indexOf3(String table, byte[] b, int i) {
        for (int k = 0; k < table.length(); k += 3) {
            if (b[i] == table.charAt(k) && b[i + 1] == table.charAt(k + 1) && b[i + 2] == table.charAt(k + 2)) {
                return k;
            }
        }
        return -1;
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    private static boolean allDigits(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!isDigit(b[i])) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAlpha(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            byte c = b[i];
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
                return false;
            }
        }
        return true;
    }

    private static int num(byte[] b, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            v = v * 10 + (b[i] - '0');
        }
        return v;
    }
}
