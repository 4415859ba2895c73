package org.jmail.smtp;

/**
 * Why recipients were not delivered: an RFC 3463 status ("4.4.1", "5.1.0") and Postfix's text.
 * A status starting with 4 is temporary (defer), 5 permanent (bounce).
 */
public record SmtpFailure(String dsn, String text) {

    public boolean soft() {
        return dsn.charAt(0) != '5';
    }

    /** The same failure made temporary (smtp_skip_5xx_greeting, smtp_sasl_auth_soft_bounce). */
    SmtpFailure softened() {
        return soft() ? this : new SmtpFailure("4" + dsn.substring(1), text);
    }
}
