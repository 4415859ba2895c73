package org.jmail.smtpd;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.jmail.auth.AuthResult;
import org.jmail.auth.SaslServer;

/**
 * AUTH mechanism [initial-response] (RFC 4954), as Postfix's smtpd_sasl_proto.c and
 * smtpd_sasl_glue.c answer it, with PLAIN and LOGIN checked by the passdb ({@link SaslGlue}).
 *
 * <p>Refusals, in Postfix's order: {@code 503 5.5.1 Error: send HELO/EHLO first}
 * (smtpd_helo_required), {@code 503 5.5.1 Error: authentication not enabled},
 * {@code 503 5.5.1 Error: MAIL transaction in progress}, {@code 504 5.5.4 Encryption required
 * for requested authentication mechanism} (smtpd_tls_auth_only outside TLS),
 * {@code 503 5.5.1 Error: already authenticated}, {@code 501 5.5.4 Syntax: AUTH mechanism},
 * {@code 504 5.5.4 Unsupported authentication mechanism}, and jmail's
 * {@code 538 5.7.11 Encryption required for requested authentication mechanism} (RFC 4954 6)
 * when the connection may not carry a plaintext password (see {@link SaslGlue}).
 *
 * <p>The exchange: challenges go out as {@code 334 base64}; each client line is a response
 * ({@code *} aborts: {@code 501 5.7.0 Authentication aborted}; undecodable base64:
 * {@code 501 5.5.2 Invalid base64 data in ... response}). Outcome: {@code 235 2.7.0
 * Authentication successful}; {@code 535 5.7.8 Error: authentication failed: authentication
 * failure} after Dovecot's auth_failure_delay, logged as Postfix does so that fail2ban's
 * postfix-sasl filter matches: {@code warning: unknown[192.0.2.1]: SASL LOGIN authentication
 * failed: authentication failure}; a passdb that cannot answer gives {@code 454 4.7.0 Temporary
 * authentication failure: Connection lost to authentication server} (Postfix's words for an
 * unreachable auth server, which fail2ban deliberately ignores).
 */
final class AuthCommand implements SmtpCommand {

    static final String FAILURE_REASON = "authentication failure";
    private static final String TEMP_REASON = "Connection lost to authentication server";

    /** One AUTH in progress: the mechanism as the client named it and its SASL state. */
    static final class Exchange {
        final String method;
        final SaslServer server;

        Exchange(String method, SaslServer server) {
            this.method = method;
            this.server = server;
        }
    }

    @Override
    public Result execute(SmtpSession s, String args) {
        if (s.settings.heloRequired && s.heloName == null) {
            s.reply("503 5.5.1 Error: send HELO/EHLO first");
            return Result.ERROR;
        }
        SaslGlue sasl = s.sasl;
        if (sasl == null || !sasl.enabled() || s.settings.discardEhloKeywords.contains("auth")) {
            s.reply("503 5.5.1 Error: authentication not enabled");
            return Result.ERROR;
        }
        if (s.tx != null) {
            s.reply("503 5.5.1 Error: MAIL transaction in progress");
            return Result.ERROR;
        }
        if (sasl.tlsRequired(s.tls())) {
            s.reply("504 5.5.4 Encryption required for requested authentication mechanism");
            return Result.ERROR;
        }
        if (s.saslUsername != null) {
            s.reply("503 5.5.1 Error: already authenticated");
            return Result.ERROR;
        }
        String limited = s.limits == null ? null : s.limits.auth(s.client);
        if (limited != null) {
            s.reply(limited);
            return Result.ERROR;
        }
        String[] words = args.isEmpty() ? new String[0] : args.split("[ \t]+");
        if (words.length < 1 || words.length > 2) {
            s.reply("501 5.5.4 Syntax: AUTH mechanism");
            return Result.ERROR;
        }
        String method = SmtpSession.printable(words[0]);
        if (!sasl.supports(method)) {
            s.reply("504 5.5.4 Unsupported authentication mechanism");
            return Result.ERROR;
        }
        if (!sasl.plaintextAllowed(s.client, s.localAddress, s.tls())) {
            s.reply("538 5.7.11 Encryption required for requested authentication mechanism");
            return Result.ERROR;
        }
        Exchange ex = new Exchange(method, SaslServer.create(method));
        if (words.length == 1) {
            s.reply("334 " + encode(ex.server.initialChallenge()));
            s.authExchange = ex;
            return Result.PENDING;
        }
        byte[] initial = words[1].equals("=") ? new byte[0] : decode(words[1]);
        if (initial == null) {
            s.reply("501 5.5.2 Invalid base64 data in initial response");
            return Result.ERROR;
        }
        step(s, ex, initial);
        return Result.PENDING; // step() records the outcome once the exchange ends
    }

    /** A client response line while an exchange is pending. */
    static void response(SmtpSession s, String line) {
        Exchange ex = s.authExchange;
        s.authExchange = null;
        String text = line.strip();
        if (text.equals("*")) {
            SmtpSession.LOG.warn(s.client.namaddr() + ": SASL " + ex.method + " authentication aborted");
            s.reply("501 5.7.0 Authentication aborted");
            s.record("AUTH", false);
            return;
        }
        byte[] data = decode(text);
        if (data == null) {
            s.reply("501 5.5.2 Invalid base64 data in continued response");
            s.record("AUTH", false);
            return;
        }
        step(s, ex, data);
    }

    /**
     * Feeds one response to the mechanism: sends the next challenge (true: the exchange goes
     * on) or ends it, replying and recording the AUTH outcome (false).
     */
    private static boolean step(SmtpSession s, Exchange ex, byte[] data) {
        SaslServer.Step st = ex.server.step(data);
        if (st.failed()) {
            fail(s, ex);
            return false;
        }
        if (!st.done()) {
            s.reply("334 " + encode(st.challenge()));
            s.authExchange = ex;
            return true;
        }
        AuthResult r = s.sasl.authenticate(s.client, s.localAddress, s.tls(), ex.method, st.authzid(), st.user(),
                st.password());
        if (r.success()) {
            s.saslUsername = SmtpSession.printable(r.user().name());
            s.saslMethod = ex.method;
            s.reply("235 2.7.0 Authentication successful");
            s.record("AUTH", true);
        } else if (r.temporary()) {
            SmtpSession.LOG.warn(s.client.namaddr() + ": SASL " + ex.method + " authentication failed: " + TEMP_REASON);
            s.reply("454 4.7.0 Temporary authentication failure: " + TEMP_REASON);
            s.record("AUTH", false);
        } else {
            fail(s, ex);
        }
        return false;
    }

    private static void fail(SmtpSession s, Exchange ex) {
        // Dovecot's auth_failure_delay slows password guessing; Postfix's error tarpit adds to it
        s.sleep(s.sasl.failureDelay());
        SmtpSession.LOG.warn(s.client.namaddr() + ": SASL " + ex.method + " authentication failed: " + FAILURE_REASON);
        s.reply("535 5.7.8 Error: authentication failed: " + FAILURE_REASON);
        s.record("AUTH", false);
    }

    private static String encode(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    /** Strict base64 (RFC 4954 4), or null. */
    private static byte[] decode(String s) {
        try {
            return Base64.getDecoder().decode(s.getBytes(StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
