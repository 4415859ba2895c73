package org.jmail.smtpd;

/**
 * STARTTLS (RFC 3207), as Postfix's starttls_cmd: {@code 501 5.5.4 Syntax: STARTTLS} with
 * arguments, {@code 554 5.5.1 Error: TLS already active}, {@code 502 5.5.1 Error: command not
 * implemented} when {@code smtpd_tls_security_level = none} (or the keyword is discarded),
 * {@code 454 4.3.0 TLS not available due to local problem} when no certificate could be
 * loaded; else {@code 220 2.0.0 Ready to start TLS}.
 *
 * <p>After the 220 the session forgets everything the client said before (HELO name, the
 * transaction, an AUTH login: RFC 3207 4.2) and asks the shell for the handshake
 * ({@link SmtpSession#takeStartTls}). The shell also throws away any input the client sent
 * after STARTTLS in the clear: such input was never protected and must not be read as
 * commands of the TLS session (the command-injection flaw CVE-2011-0411).
 */
final class StartTlsCommand implements SmtpCommand {

    @Override
    public Result execute(SmtpSession s, String args) {
        if (!args.isEmpty()) {
            s.reply("501 5.5.4 Syntax: STARTTLS");
            return Result.ERROR;
        }
        if (s.tls()) {
            s.reply("554 5.5.1 Error: TLS already active");
            return Result.ERROR;
        }
        if (s.settings.tlsLevel == TlsLevel.NONE || s.settings.discardEhloKeywords.contains("starttls")) {
            s.reply("502 5.5.1 Error: command not implemented");
            return Result.ERROR;
        }
        if (!s.tlsAvailable) {
            s.reply("454 4.3.0 TLS not available due to local problem");
            return Result.ERROR;
        }
        s.reply("220 2.0.0 Ready to start TLS");
        s.resetTransaction();
        s.heloName = null;
        s.protocol = "SMTP";
        s.saslUsername = null;
        s.saslMethod = null;
        s.startTlsPending = true;
        return Result.OK;
    }
}
