package org.jmail.smtpd;

import java.util.Locale;

/**
 * ETRN domain (RFC 1985). jmail has no fast-flush service; Postfix without one (its default,
 * {@code fast_flush_domains = $relay_domains} being empty) answers {@code 459 <domain>: service
 * unavailable}, and so does jmail, after the same syntax checks: {@code 503 Error: send
 * HELO/EHLO first}, {@code 503 Error: MAIL transaction in progress}, {@code 500 Syntax: ETRN
 * domain}, {@code 501 Error: invalid parameter syntax}.
 */
final class EtrnCommand implements SmtpCommand {

    @Override
    public Result execute(SmtpSession s, String args) {
        if (s.settings.heloRequired && s.heloName == null) {
            s.reply("503 Error: send HELO/EHLO first");
            return Result.ERROR;
        }
        if (s.tx != null) {
            s.reply("503 Error: MAIL transaction in progress");
            return Result.ERROR;
        }
        if (args.isEmpty() || args.indexOf(' ') >= 0 || args.indexOf('\t') >= 0) {
            s.reply("500 Syntax: ETRN domain");
            return Result.ERROR;
        }
        String site = args.charAt(0) == '@' || args.charAt(0) == '#' ? args.substring(1) : args;
        if (!SmtpPath.validDomain(site, false) || (site.startsWith("[") && site.length() < 3)) {
            s.reply("501 Error: invalid parameter syntax");
            return Result.ERROR;
        }
        SmtpSession.LOG.warn("reject: ETRN " + SmtpSession.printable(site.length() > 100 ? site.substring(0, 100) : site)
                + "... from " + s.client.namaddr());
        s.reply("459 <" + site.toLowerCase(Locale.ROOT) + ">: service unavailable");
        return Result.ERROR;
    }
}
