package org.jmail.smtpd;

/**
 * VRFY: jmail never tells whether a user exists, so a well-formed address gets
 * {@code 252 2.0.0 <address as given>} (RFC 5321 3.5.3: "cannot verify"); with
 * {@code disable_vrfy_command = yes}: {@code 502 5.5.1 VRFY command is disabled}. Errors:
 * {@code 501 5.5.4 Syntax: VRFY address [SMTPUTF8]}, {@code 501 5.1.3 Bad recipient address
 * syntax}.
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
        if (SmtpPath.extract(arg, false, false, utf8) == null) {
            s.reply("501 5.1.3 Bad recipient address syntax");
            return Result.ERROR;
        }
        s.reply("252 2.0.0 " + arg);
        return Result.OK;
    }
}
