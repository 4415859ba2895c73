package org.jmail.smtpd;

/** RSET: ends any transaction; {@code 250 2.0.0 Ok}, or {@code 501 5.5.4 Syntax: RSET} with arguments. */
final class RsetCommand implements SmtpCommand {

    @Override
    public Result execute(SmtpSession s, String args) {
        if (!args.isEmpty()) {
            s.reply("501 5.5.4 Syntax: RSET");
            return Result.ERROR;
        }
        s.resetTransaction();
        s.reply("250 2.0.0 Ok");
        return Result.OK;
    }
}
