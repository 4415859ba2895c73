package org.jmail.smtpd;

/**
 * A command Postfix knows but this service does not offer (STARTTLS without TLS):
 * {@code 502 5.5.1 Error: command not implemented}.
 */
final class NotImplementedCommand implements SmtpCommand {

    @Override
    public Result execute(SmtpSession s, String args) {
        s.reply("502 5.5.1 Error: command not implemented");
        return Result.ERROR;
    }
}
