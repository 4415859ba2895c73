package org.jmail.smtpd;

import java.time.Instant;
import org.jmail.cleanup.CleanupSession;

/**
 * One mail transaction, from an accepted MAIL FROM to the end of DATA (or RSET, EHLO, QUIT,
 * disconnect): the envelope as accepted so far and the cleanup session, which is opened at
 * the first accepted recipient (as Postfix's smtpd_delay_open_until_valid_rcpt). Owned by one
 * {@link SmtpSession}; not thread-safe.
 */
final class Transaction {

    final String sender;
    final long declaredSize;
    /** BODY= value as given ("8BITMIME", "7BIT") or null. */
    final String body;
    final boolean smtputf8;
    /** DSN RET= (FULL/HDRS) and ENVID= (decoded), or null. */
    final String dsnRet;
    final String dsnEnvid;
    final Instant arrival;

    CleanupSession cleanup;
    int recipientCount;
    String firstRecipient;
    int overshoot;
    /** A cleanup write failed: the message will be refused with 451 at its end. */
    boolean writeError;

    Transaction(String sender, long declaredSize, String body, boolean smtputf8, String dsnRet, String dsnEnvid,
                Instant arrival) {
        this.sender = sender;
        this.declaredSize = declaredSize;
        this.body = body;
        this.smtputf8 = smtputf8;
        this.dsnRet = dsnRet;
        this.dsnEnvid = dsnEnvid;
        this.arrival = arrival;
    }

    String queueId() {
        return cleanup == null ? null : cleanup.queueId();
    }

    /** Discards the queue file, if any. Safe to call more than once. */
    void abort() {
        if (cleanup != null) {
            cleanup.abort();
            cleanup = null;
        }
    }
}
