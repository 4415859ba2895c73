package org.jmail.smtpd;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * HELO and EHLO. Both reset the session as RSET does (RFC 5321 4.1.4), remember the client's
 * host name (non-printable characters and {@code <>()\";@} and spaces replaced by '?', as
 * Postfix neuters it for headers and logs) and set the protocol to SMTP or ESMTP. EHLO lists the
 * extensions in Postfix's order, minus {@code smtpd_discard_ehlo_keywords}:
 * {@code PIPELINING, SIZE n, VRFY, ETRN, STARTTLS, AUTH mechanisms, ENHANCEDSTATUSCODES,
 * 8BITMIME, DSN, SMTPUTF8, CHUNKING} (STARTTLS only before TLS when a certificate is loaded
 * and smtpd_tls_security_level is not none; AUTH only as {@link SaslGlue#offered} allows). Errors: {@code 501 Syntax: EHLO hostname} (no enhanced code: RFC 2034 exempts
 * HELO/EHLO replies).
 */
final class HeloCommand implements SmtpCommand {

    private static final String NEUTER = " <>()\\\";@";

    private final boolean extended;

    HeloCommand(boolean extended) {
        this.extended = extended;
    }

    @Override
    public Result execute(SmtpSession s, String args) {
        String verb = extended ? "EHLO" : "HELO";
        if (args.isEmpty()) {
            s.reply("501 Syntax: " + verb + " hostname");
            return Result.ERROR;
        }
        String name = neuter(args);
        if (!s.settings.delayReject) {
            String previous = s.heloName;
            s.heloName = name;
            String err = s.checks.checkHelo(s);
            if (err != null) {
                s.heloName = previous;
                s.reply(err);
                return Result.ERROR;
            }
        }
        s.resetTransaction();
        s.heloName = name;
        s.protocol = extended ? "ESMTP" : "SMTP";
        if (!extended) {
            s.reply("250 " + s.settings.myhostname);
            return Result.OK;
        }
        Set<String> discard = s.settings.discardEhloKeywords;
        List<String> words = new ArrayList<>(10);
        words.add(s.settings.myhostname);
        if (!discard.contains("pipelining")) {
            words.add("PIPELINING");
        }
        if (!discard.contains("size")) {
            words.add(s.settings.messageSizeLimit > 0 ? "SIZE " + s.settings.messageSizeLimit : "SIZE");
        }
        if (!discard.contains("vrfy") && !s.settings.disableVrfy) {
            words.add("VRFY");
        }
        if (!discard.contains("etrn")) {
            words.add("ETRN");
        }
        if (!discard.contains("starttls") && s.settings.tlsLevel != TlsLevel.NONE && !s.tls() && s.tlsAvailable) {
            words.add("STARTTLS");
        }
        if (!discard.contains("auth") && s.sasl != null) {
            java.util.List<String> mechs = s.sasl.offered(s.client, s.localAddress, s.tls());
            if (!mechs.isEmpty()) {
                words.add("AUTH " + String.join(" ", mechs));
                if (s.settings.brokenSaslAuthClients) {
                    words.add("AUTH=" + String.join(" ", mechs));
                }
            }
        }
        if (!discard.contains("enhancedstatuscodes")) {
            words.add("ENHANCEDSTATUSCODES");
        }
        if (!discard.contains("8bitmime")) {
            words.add("8BITMIME");
        }
        if (!discard.contains("dsn")) {
            words.add("DSN");
        }
        if (!discard.contains("smtputf8") && s.settings.smtputf8Enable) {
            words.add("SMTPUTF8");
        }
        if (!discard.contains("chunking")) {
            words.add("CHUNKING");
        }
        if (!discard.isEmpty() && !discard.contains("silent-discard")) {
            List<String> names = new ArrayList<>();
            for (String k : discard) {
                names.add(k.toUpperCase(java.util.Locale.ROOT));
            }
            SmtpSession.LOG.info("discarding EHLO keywords: " + String.join(" ", names));
        }
        List<String> lines = new ArrayList<>(words.size());
        for (int i = 0; i < words.size(); i++) {
            lines.add("250" + (i + 1 < words.size() ? '-' : ' ') + words.get(i));
        }
        s.replyLines(lines);
        return Result.OK;
    }

    /** Postfix's printable() + neuter(): safe for Received: headers and log lines. */
    static String neuter(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append(c < ' ' || c == 0x7f || NEUTER.indexOf(c) >= 0 ? '?' : c);
        }
        return sb.toString();
    }
}
