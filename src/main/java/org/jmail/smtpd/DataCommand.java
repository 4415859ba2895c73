package org.jmail.smtpd;

import java.io.IOException;

/**
 * DATA: after the checks, prepends smtpd's Received: header to the queue file and answers
 * {@code 354 End data with <CR><LF>.<CR><LF>}; the content then flows through
 * {@link SmtpSession#dataLine} to the final dot. Errors: {@code 503 5.5.1 Error: need RCPT
 * command} (no transaction), {@code 554 5.5.1 Error: no valid recipients} (all RCPTs refused,
 * e.g. pipelined), {@code 501 5.5.4 Syntax: DATA}, {@code 503 5.5.1 Error: DATA after BDAT},
 * the smtpd_data_restrictions reject.
 */
final class DataCommand implements SmtpCommand {

    @Override
    public Result execute(SmtpSession s, String args) {
        if (s.bdat.active()) {
            s.reply("503 5.5.1 Error: DATA after BDAT");
            return Result.ERROR;
        }
        String err = noRecipients(s);
        if (err != null) {
            s.reply(err);
            return Result.ERROR;
        }
        if (!args.isEmpty()) {
            s.reply("501 5.5.4 Syntax: DATA");
            return Result.ERROR;
        }
        err = dataReject(s);
        if (err != null) {
            s.reply(err);
            return Result.ERROR;
        }
        ContentWriter w = startContent(s);
        s.reply("354 End data with <CR><LF>.<CR><LF>");
        s.beginData(w);
        return Result.PENDING;
    }

    /**
     * Postfix's "rcpt_count == 0" check shared by DATA and BDAT: the reply when there is no
     * recipient yet, else null. (BDAT sends it only after reading the chunk.)
     */
    static String noRecipients(SmtpSession s) {
        if (s.tx == null || s.tx.recipientCount == 0) {
            return s.tx == null ? "503 5.5.1 Error: need RCPT command" : "554 5.5.1 Error: no valid recipients";
        }
        return null;
    }

    /** The smtpd_data_restrictions reject, or null. */
    static String dataReject(SmtpSession s) {
        Transaction tx = s.tx;
        return s.checks.checkData(s, tx.sender, tx.recipientCount == 1 ? tx.firstRecipient : null);
    }

    /** Prepends the Received: header; the writer for the content. */
    static ContentWriter startContent(SmtpSession s) {
        Transaction tx = s.tx;
        try {
            tx.cleanup.prependHeader(ReceivedHeader.build(s.heloName, s.client,
                    s.settings.tlsReceivedHeader ? s.tlsInfo : null,
                    s.settings.saslAuthenticatedHeader ? s.saslUsername : null, s.settings.myhostname,
                    s.settings.mailName, s.receivedProtocol(), tx.queueId(), tx.recipientCount, tx.firstRecipient,
                    tx.arrival));
        } catch (IOException | RuntimeException e) {
            SmtpSession.LOG.warn(tx.queueId() + ": cleanup write error: " + e);
            tx.writeError = true;
        }
        return new ContentWriter(tx.cleanup, s.settings.messageSizeLimit);
    }
}
