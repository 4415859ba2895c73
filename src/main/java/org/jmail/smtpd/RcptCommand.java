package org.jmail.smtpd;

import java.io.IOException;
import java.util.Locale;
import org.jmail.queue.QueuedRecipient;
import org.jmail.util.Xtext;

/**
 * RCPT TO:&lt;recipient&gt; [NOTIFY=...] [ORCPT=type;xtext]. Runs the access checks
 * ({@link SmtpdChecks#checkRecipient}), opens the queue file at the first accepted recipient
 * (so cleanup logs {@code ID: client=...}) and adds the recipient. Replies as Postfix:
 * {@code 250 2.1.5 Ok}; {@code 503 5.5.1 Error: need MAIL command}, {@code 501 5.5.4 Syntax:
 * RCPT TO:<address>}, {@code 501 5.1.3 Bad recipient address syntax}, {@code 452 4.5.3 Error:
 * too many recipients} (smtpd_recipient_limit; not counted as an error until
 * smtpd_recipient_overshoot_limit), the restriction's reject, {@code 451 4.3.0 Error: queue
 * file write error} when cleanup fails.
 */
final class RcptCommand implements SmtpCommand {

    private static final String QUEUE_ERROR = "451 4.3.0 Error: queue file write error";

    @Override
    public Result execute(SmtpSession s, String args) {
        Transaction tx = s.tx;
        if (tx == null) {
            s.reply("503 5.5.1 Error: need MAIL command");
            return Result.ERROR;
        }
        if (s.bdat.active()) {
            s.reply("503 5.5.1 Error: RCPT after BDAT");
            return Result.ERROR;
        }
        String limited = s.limits == null ? null : s.limits.rcpt(s.client);
        if (limited != null) {
            s.reply(limited);
            return Result.ERROR;
        }
        SmtpPath.Args a = SmtpPath.split(args, "TO:");
        if (a == null) {
            s.reply("501 5.5.4 Syntax: RCPT TO:<address>");
            return Result.ERROR;
        }
        String rcpt = a.broken() ? null
                : SmtpPath.extract(a.path(), false, s.settings.strictRfc821Envelopes, tx.smtputf8);
        if (rcpt == null) {
            SmtpSession.LOG.warn("Illegal address syntax from " + s.client.namaddr() + " in RCPT command: "
                    + SmtpSession.printable(a.path()));
            s.reply("501 5.1.3 Bad recipient address syntax");
            return Result.ERROR;
        }
        String notify = null;
        String orcpt = null;
        boolean dsnOff = s.settings.discardEhloKeywords.contains("dsn");
        for (String p : a.params()) {
            String u = p.toUpperCase(Locale.ROOT);
            if (u.startsWith("NOTIFY=")) {
                if (dsnOff) {
                    s.reply("501 5.7.1 DSN support is disabled");
                    return Result.ERROR;
                }
                if (notify != null || !validNotify(u.substring(7))) {
                    s.reply("501 5.5.4 Error: Bad NOTIFY parameter syntax");
                    return Result.ERROR;
                }
                notify = u.substring(7);
            } else if (u.startsWith("ORCPT=")) {
                if (dsnOff) {
                    s.reply("501 5.7.1 DSN support is disabled");
                    return Result.ERROR;
                }
                String v = p.substring(6);
                int semi = v.indexOf(';');
                String decoded = semi > 0 ? Xtext.decode(v.substring(semi + 1)) : null;
                if (orcpt != null || decoded == null || !Xtext.printable(decoded)) { // as Postfix: allprint
                    s.reply("501 5.5.4 Error: Bad ORCPT parameter syntax");
                    return Result.ERROR;
                }
                orcpt = v.substring(0, semi) + ";" + decoded;
            } else {
                s.reply("555 5.5.4 Unsupported option: " + p);
                return Result.ERROR;
            }
        }
        if (s.settings.recipientLimit > 0 && tx.recipientCount >= s.settings.recipientLimit) {
            s.reply("452 4.5.3 Error: too many recipients");
            return tx.overshoot++ < s.settings.recipientOvershootLimit ? Result.OK : Result.ERROR;
        }
        String err = s.checks.checkRecipient(s, tx.sender, rcpt);
        if (err != null) {
            s.reply(err);
            return Result.ERROR;
        }
        if (tx.cleanup == null) {
            try {
                tx.cleanup = s.cleanup.open(s.origin(), tx.sender, s.settings.receiveOverrides);
                tx.cleanup.dsn(tx.dsnRet, tx.dsnEnvid);
            } catch (IOException | RuntimeException e) {
                SmtpSession.LOG.warn("cannot open a queue file for " + s.client.namaddr() + ": " + e);
                s.reply(QUEUE_ERROR);
                return Result.ERROR;
            }
        }
        try {
            tx.cleanup.addRecipient(rcpt, null, QueuedRecipient.parseNotify(notify), orcpt);
        } catch (IOException | RuntimeException e) {
            SmtpSession.LOG.warn(tx.queueId() + ": cannot add recipient: " + e);
            tx.writeError = true;
            s.reply(QUEUE_ERROR);
            return Result.ERROR;
        }
        tx.recipientCount++;
        if (tx.firstRecipient == null) {
            tx.firstRecipient = rcpt;
        }
        s.reply("250 2.1.5 Ok");
        return Result.OK;
    }

    /** NEVER alone, or a comma list of SUCCESS, FAILURE, DELAY (RFC 3461 4.1). */
    private static boolean validNotify(String v) {
        if (v.equals("NEVER")) {
            return true;
        }
        if (v.isEmpty()) {
            return false;
        }
        for (String part : v.split(",", -1)) {
            if (!(part.equals("SUCCESS") || part.equals("FAILURE") || part.equals("DELAY"))) {
                return false;
            }
        }
        return true;
    }
}
