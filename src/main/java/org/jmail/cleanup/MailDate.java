package org.jmail.cleanup;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.jmail.util.PerSecondText;

/**
 * RFC 5322 dates as Postfix's mail_date(3) writes them: local time, numeric UTC offset and
 * the zone abbreviation, e.g. {@code Mon, 09 Dec 1996 05:38:26 -0500 (EST)}. Used for the
 * {@code Date:} header cleanup adds, {@code Received:} headers and DSN {@code Arrival-Date}.
 * (Postfix 3.9 writes two-digit days, as here; older versions padded with a space.)
 */
public final class MailDate {

    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z (z)", Locale.US);

    private static final PerSecondText LOCAL = new PerSecondText(
            s -> FORMAT.format(Instant.ofEpochSecond(s).atZone(ZoneId.systemDefault())));

    private MailDate() {
    }

    /** In the system's zone; formatted once per second (every message needs one or two). */
    public static String format(Instant when) {
        return LOCAL.at(when.getEpochSecond());
    }

    public static String format(Instant when, ZoneId zone) {
        return FORMAT.format(when.atZone(zone));
    }
}
