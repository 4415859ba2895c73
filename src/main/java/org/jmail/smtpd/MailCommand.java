package org.jmail.smtpd;

import java.util.Locale;
import org.jmail.util.Xtext;

/**
 * MAIL FROM:&lt;sender&gt; [SIZE=n] [BODY=7BIT|8BITMIME] [SMTPUTF8] [RET=FULL|HDRS] [ENVID=x]
 * [AUTH=x]. Starts a transaction. Replies as Postfix: {@code 250 2.1.0 Ok};
 * {@code 503 5.5.1 Error: send HELO/EHLO first} (smtpd_helo_required), {@code 503 5.5.1 Error:
 * nested MAIL command}, {@code 501 5.5.4 Syntax: MAIL FROM:<address>}, {@code 501 5.1.7 Bad
 * sender address syntax}, {@code 501 5.5.4 Bad message size syntax}, {@code 552 5.3.4 Message
 * size exceeds fixed limit}, {@code 555 5.5.4 Unsupported option: X}.
 */
final class MailCommand implements SmtpCommand {

    @Override
    public Result execute(SmtpSession s, String args) {
        if (s.settings.heloRequired && s.heloName == null) {
            s.reply("503 5.5.1 Error: send HELO/EHLO first");
            return Result.ERROR;
        }
        if (s.tx != null) {
            s.reply(s.bdat.active() ? "503 5.5.1 Error: MAIL after BDAT" : "503 5.5.1 Error: nested MAIL command");
            return Result.ERROR;
        }
        String limited = s.limits == null ? null : s.limits.mail(s.client);
        if (limited != null) {
            s.reply(limited); // anvil: counted whether or not the message would be accepted
            return Result.ERROR;
        }
        SmtpPath.Args a = SmtpPath.split(args, "FROM:");
        if (a == null) {
            s.reply("501 5.5.4 Syntax: MAIL FROM:<address>");
            return Result.ERROR;
        }
        long size = 0;
        String body = null;
        boolean smtputf8 = false;
        String ret = null;
        String envid = null;
        for (String p : a.params()) {
            String u = p.toUpperCase(Locale.ROOT);
            if (u.equals("BODY=8BITMIME") || u.equals("BODY=7BIT")) {
                body = u.substring(5);
            } else if (u.startsWith("SIZE=")) {
                String n = p.substring(5);
                if (n.isEmpty() || !n.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    s.reply("501 5.5.4 Bad message size syntax");
                    return Result.ERROR;
                }
                try {
                    size = Long.parseLong(n);
                } catch (NumberFormatException e) {
                    s.reply("552 5.3.4 Message size exceeds file system imposed limit");
                    return Result.ERROR;
                }
            } else if (u.equals("SMTPUTF8") && s.settings.smtputf8Enable
                    && !s.settings.discardEhloKeywords.contains("smtputf8")) {
                smtputf8 = true;
            } else if (u.startsWith("AUTH=")) {
                // RFC 4954 5: without AUTH the parameter is meaningless; accepted and ignored
                continue;
            } else if (u.startsWith("RET=")) {
                if (s.settings.discardEhloKeywords.contains("dsn")) {
                    s.reply("501 5.7.1 DSN support is disabled");
                    return Result.ERROR;
                }
                if (ret != null || !(u.equals("RET=FULL") || u.equals("RET=HDRS"))) {
                    s.reply("501 5.5.4 Bad RET parameter syntax");
                    return Result.ERROR;
                }
                ret = u.substring(4);
            } else if (u.startsWith("ENVID=")) {
                if (s.settings.discardEhloKeywords.contains("dsn")) {
                    s.reply("501 5.7.1 DSN support is disabled");
                    return Result.ERROR;
                }
                String decoded = Xtext.decode(p.substring(6));
                if (envid != null || decoded == null || decoded.isEmpty() || !Xtext.printable(decoded)) {
                    s.reply("501 5.5.4 Bad ENVID parameter syntax");
                    return Result.ERROR;
                }
                envid = decoded;
            } else {
                s.reply("555 5.5.4 Unsupported option: " + p);
                return Result.ERROR;
            }
        }
        String sender = a.broken() ? null
                : SmtpPath.extract(a.path(), true, s.settings.strictRfc821Envelopes, smtputf8);
        if (sender == null) {
            SmtpSession.LOG.warn("Illegal address syntax from " + s.client.namaddr() + " in MAIL command: "
                    + SmtpSession.printable(a.path()));
            s.reply("501 5.1.7 Bad sender address syntax");
            return Result.ERROR;
        }
        String err = s.checks.checkSize(s, size);
        if (err == null && !s.settings.delayReject) {
            err = s.checks.checkSender(s, sender);
        }
        if (err != null) {
            s.reply(err);
            return Result.ERROR;
        }
        s.tx = new Transaction(sender, size, body, smtputf8, ret, envid, s.clock.instant());
        s.reply("250 2.1.0 Ok");
        return Result.OK;
    }
}
