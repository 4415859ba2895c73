package org.jmail.smtpd;

/**
 * What restriction checks may read about a session; implemented by {@link SmtpSession}.
 * Values are those at the time of the check (helo, sender may be null).
 */
interface SessionFacts {

    ClientInfo client();

    /** The sanitized HELO/EHLO argument, or null. */
    String helo();

    /** The envelope sender of the transaction in progress ("" for <>), or null. */
    String sender();

    /** "SMTP" or "ESMTP". */
    String protocol();

    /** The command being processed, for log lines: "RCPT", "MAIL", "CONNECT"... */
    String where();

    /** The queue id once the queue file is open, else null (logged as NOQUEUE). */
    String queueId();

    /** The SASL login name after a successful AUTH, or null. */
    String saslUser();

    /**
     * The client sent commands ahead of replies where that is not allowed (Postfix's
     * SMTPD_FLAG_ILL_PIPELINING: sticky once seen, as the "improper command pipelining" log).
     */
    default boolean illegalPipelining() {
        return false;
    }
}
