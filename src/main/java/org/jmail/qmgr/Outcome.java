package org.jmail.qmgr;

/**
 * What happened to one recipient in one delivery attempt. {@code dsnPassedOn}: delivered to
 * an MTA that took the DSN request (NOTIFY=) itself, so no success notice is ours to send.
 */
record Outcome(Kind kind, String relay, String dsn, String text, boolean dsnPassedOn) {

    Outcome(Kind kind, String relay, String dsn, String text) {
        this(kind, relay, dsn, text, false);
    }

    enum Kind { SENT, BOUNCED, DEFERRED }
}
