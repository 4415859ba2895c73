package org.jmail.smtpd;

/**
 * VRFY, as Postfix's vrfy_cmd: the address goes through the same checks as RCPT TO (relay
 * restrictions, recipient restrictions, reject_unlisted_recipient), so an unknown local user
 * gets {@code 550 5.1.1 <x>: Recipient address rejected: User unknown in local recipient
 * table}; an address that passes gets {@code 252 2.0.0 <address as given>} (RFC 5321 3.5.3:
 * "cannot verify, but will accept"). With {@code disable_vrfy_command = yes}: {@code 502 5.5.1
 * VRFY command is disabled} (the way to hide which users exist). Errors: {@code 501 5.5.4
 * Syntax: VRFY address [SMTPUTF8]}, {@code 501 5.1.3 Bad recipient address syntax}, the
 * recipient rate limit's 450.
 */
final class VrfyCommand implements SmtpCommand {

    @Override
    public Result execute(SmtpSession s, String args) {
        if (s.settings.disableVrfy) {
            s.reply("502 5.5.1 VRFY command is disabled");
            return Result.ERROR;
        }
        String arg = args;
        boolean utf8 = false;
        if (s.settings.smtputf8Enable) {
            int sp = Math.max(arg.lastIndexOf(' '), arg.lastIndexOf('\t'));
            if (sp > 0 && arg.substring(sp + 1).equalsIgnoreCase("SMTPUTF8")) {
                arg = arg.substring(0, sp).strip();
                utf8 = true;
            }
        }
        if (arg.isEmpty()) {
            s.reply("501 5.5.4 Syntax: VRFY address" + (s.settings.smtputf8Enable ? " [SMTPUTF8]" : ""));
            return Result.ERROR;
        }
        String rcpt = SmtpPath.extract(arg, false, false, utf8);
        if (rcpt == null) {
            s.reply("501 5.1.3 Bad recipient address syntax");
            return Result.ERROR;
        }
        String err = s.limits == null ? null : s.limits.rcpt(s.client);
        if (err == null) {
            err = s.checks.checkRecipient(s, s.sender(), rcpt);
        }
        if (err != null) {
            s.reply(err);
            return Result.ERROR;
        }
        s.reply("252 2.0.0 " + arg);
        return Result.OK;
    }
}
