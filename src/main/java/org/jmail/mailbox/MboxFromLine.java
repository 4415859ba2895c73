package org.jmail.mailbox;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * The mbox envelope line that starts every message: {@code From SENDER  DATE}, where DATE is
 * asctime(3) of the local time, e.g. {@code From alice@example.org  Thu Jan  1 00:00:00 1970}.
 * Postfix's local(8) writes two spaces between sender and date and {@code MAILER-DAEMON} for
 * the null sender, with the sender's local part quoted as RFC 822 requires; jmail does the same.
 *
 * <p>{@link #parse(String)} accepts the variants found in the wild (one or two spaces, a time
 * zone or "remote from" trailer after the date) and returns null for anything that is not a
 * From_ line.
 */
public final class MboxFromLine {

    /** Sender shown for the null sender {@code <>}. */
    public static final String MAILER_DAEMON = "MAILER-DAEMON";

    private static final DateTimeFormatter ASCTIME =
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ROOT);

    /** A parsed From_ line. */
    public record Parsed(String sender, LocalDateTime date) {
    }

    private MboxFromLine() {
    }

    /** The From_ line (without newline) for {@code sender} ("" = null sender) at {@code time}. */
    public static String format(String sender, Instant time, ZoneId zone) {
        String who = sender == null || sender.isEmpty() ? MAILER_DAEMON : MboxFormat.quoteLocalPart(sender);
        return "From " + who + "  " + asctime(time, zone);
    }

    /** The last asctime result: every delivery in the same second shares it. */
    private record Last(long second, ZoneId zone, String text) {
    }

    private static volatile Last last;

    /** asctime(3) without the newline: {@code Thu Jan  1 00:00:00 1970}. */
    public static String asctime(Instant time, ZoneId zone) {
        long second = time.getEpochSecond();
        Last l = last;
        if (l != null && l.second == second && l.zone.equals(zone)) {
            return l.text;
        }
        String text = ASCTIME.format(LocalDateTime.ofInstant(time, zone));
        last = new Last(second, zone, text);
        return text;
    }

    /** True when bytes[off..] start with "From " (the text that must be quoted in bodies). */
    public static boolean startsWithFrom(byte[] b, int off, int end) {
        return end - off >= 5 && b[off] == 'F' && b[off + 1] == 'r' && b[off + 2] == 'o' && b[off + 3] == 'm'
                && b[off + 4] == ' ';
    }

    /** Parses a From_ line (with or without trailing newline); null if it is not one. */
    public static Parsed parse(String line) {
        if (line == null || !line.startsWith("From ")) {
            return null;
        }
        String rest = line.strip().substring(5).stripLeading();
        int i = 0;
        boolean quoted = false;
        while (i < rest.length()) {
            char c = rest.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '\\' && quoted) {
                i++;
            } else if (c == ' ' && !quoted) {
                break;
            }
            i++;
        }
        if (i >= rest.length()) {
            return null;
        }
        String sender = rest.substring(0, i);
        String date = rest.substring(i).strip().replaceAll("\\s+", " ");
        // asctime is 24 characters once the double space before a one-digit day is collapsed
        String[] f = date.split(" ");
        if (f.length < 5) {
            return null;
        }
        String year = f[4];
        if (!year.matches("\\d{4}") && f.length >= 6 && f[5].matches("\\d{4}")) {
            year = f[5]; // "Thu Jan 1 00:00:00 UTC 1970"
        }
        String canon = f[0] + " " + f[1] + " " + (f[2].length() == 1 ? " " + f[2] : f[2]) + " " + f[3] + " " + year;
        try {
            return new Parsed(sender, LocalDateTime.parse(canon, ASCTIME));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** {@link #parse(String)} on raw bytes (ISO-8859-1, so any byte survives). */
    public static Parsed parse(byte[] b, int off, int len) {
        return parse(new String(b, off, len, StandardCharsets.ISO_8859_1));
    }
}
