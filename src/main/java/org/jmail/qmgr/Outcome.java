package org.jmail.qmgr;

/**
 * What happened to one recipient in one delivery attempt. {@code dsnPassedOn}: delivered to
 * an MTA that took the DSN request (NOTIFY=) itself, so no success notice is ours to send.
 * {@code address}: the address the recipient expanded to that this outcome is about (local(8)
 * aliases and .forward: the Final-Recipient of a bounce), or null for the recipient itself.
 * {@code diagnostic}: the DSN Diagnostic-Code when not {@code X-Postfix; TEXT}, or null.
 */
record Outcome(Kind kind, String relay, String dsn, String text, boolean dsnPassedOn, String address,
               String diagnostic) {

    Outcome(Kind kind, String relay, String dsn, String text) {
        this(kind, relay, dsn, text, false, null, null);
    }

    enum Kind { SENT, BOUNCED, DEFERRED }
}
