package org.jmail.local;

/**
 * The fate of one destination of a recipient, in the terms qmgr reports: sent, deferred or
 * bounced, with an RFC 3463 code and Postfix's text, e.g. {@code 2.0.0 delivered to mailbox}.
 * {@code address} is the address the recipient expanded to (an alias or .forward member),
 * which Postfix logs as {@code to=} and bounces as Final-Recipient; null for the recipient itself.
 * {@code diagnostic}: the DSN Diagnostic-Code when it is not {@code X-Postfix; TEXT}, or null.
 */
record Status(Kind kind, String dsn, String text, String address, String diagnostic) {

    enum Kind { SENT, DEFERRED, BOUNCED }

    static Status sent(String text) {
        return new Status(Kind.SENT, "2.0.0", text, null, null);
    }

    static Status deferred(String dsn, String text) {
        return new Status(Kind.DEFERRED, dsn.charAt(0) == '4' ? dsn : "4" + dsn.substring(1), text, null, null);
    }

    static Status bounced(String dsn, String text) {
        return new Status(Kind.BOUNCED, dsn, text, null, null);
    }

    /** A deferral or a bounce by the class of the DSN code (4.x.x or 5.x.x). */
    static Status failed(String dsn, String text) {
        return dsn.charAt(0) == '4' ? deferred(dsn, text) : bounced(dsn, text);
    }

    /** This status, for the expanded address {@code a}. */
    Status at(String a) {
        return new Status(kind, dsn, text, a, diagnostic);
    }

    /** This status with a Diagnostic-Code such as {@code x-unix; user unknown}. */
    Status diagnosed(String d) {
        return new Status(kind, dsn, text, address, d);
    }
}
