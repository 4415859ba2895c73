package org.jmail.smtpd;

/** QUIT: {@code 221 2.0.0 Bye}; the session ends after this reply is sent. */
final class QuitCommand implements SmtpCommand {

    @Override
    public Result execute(SmtpSession s, String args) {
        s.reply("221 2.0.0 Bye");
        s.replies.markUrgent();
        return Result.OK;
    }
}
