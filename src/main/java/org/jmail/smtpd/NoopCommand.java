package org.jmail.smtpd;

/** NOOP: {@code 250 2.0.0 Ok}; arguments are ignored (RFC 5321 4.1.1.9). */
final class NoopCommand implements SmtpCommand {

    @Override
    public Result execute(SmtpSession s, String args) {
        s.reply("250 2.0.0 Ok");
        return Result.OK;
    }
}
