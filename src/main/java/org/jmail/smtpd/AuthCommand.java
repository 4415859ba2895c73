package org.jmail.smtpd;

/**
 * AUTH before jmail's smtpd speaks SASL: Postfix with {@code smtpd_sasl_auth_enable = no}
 * answers {@code 503 5.5.1 Error: authentication not enabled}. (The SASL work replaces this.)
 */
final class AuthCommand implements SmtpCommand {

    @Override
    public Result execute(SmtpSession s, String args) {
        s.reply("503 5.5.1 Error: authentication not enabled");
        return Result.ERROR;
    }
}
