package org.jmail.qmgr;

/** What happened to one recipient in one delivery attempt. */
record Outcome(Kind kind, String relay, String dsn, String text) {

    enum Kind { SENT, BOUNCED, DEFERRED }
}
