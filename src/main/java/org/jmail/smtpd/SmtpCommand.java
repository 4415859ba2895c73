package org.jmail.smtpd;

/**
 * One SMTP verb (James's "command handler"): checks its arguments against the session state,
 * changes the state and queues its reply through {@link SmtpSession#reply}. Implementations are
 * stateless and shared by all sessions.
 */
interface SmtpCommand {

    /** How a command went, for the error count and the disconnect statistics. */
    enum Result {
        OK, ERROR,
        /** DATA/BDAT: content follows; the session records the outcome when it is complete. */
        PENDING
    }

    /**
     * @param args the text after the command word, leading and trailing blanks removed
     */
    Result execute(SmtpSession session, String args);
}
