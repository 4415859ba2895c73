package org.jmail.smtp;

import java.io.IOException;
import java.net.SocketTimeoutException;
import org.jmail.log.MailLog;

/**
 * The start of a conversation, Postfix's smtp_helo(): the greeting, EHLO (HELO when EHLO is
 * refused or never to be sent), STARTTLS per {@code smtp_tls_security_level}, and AUTH per
 * {@code smtp_sasl_auth_enable}. Failures are {@link SetupException}s with Postfix's texts:
 * {@code host h[ip] refused to talk to me: 554 ...}, {@code TLS is required, but was not
 * offered by host h[ip]} (4.7.4), {@code Cannot start TLS: handshake failure} (4.7.5),
 * {@code lost connection with h[ip] while receiving the initial server greeting} (4.4.2).
 */
final class SessionSetup {

    private final SmtpSettings settings;
    private final ClientTls tls;
    private final SaslPasswords passwords;
    private final MailLog log;

    /** Why the conversation could not start; {@code retryPlain}: reconnect without TLS (level may). */
    static final class SetupException extends Exception {
        final SmtpFailure failure;
        final boolean retryPlain;

        SetupException(SmtpFailure failure, boolean retryPlain) {
            super(failure.text(), null, false, false);
            this.failure = failure;
            this.retryPlain = retryPlain;
        }
    }

    SessionSetup(SmtpSettings settings, ClientTls tls, SaslPasswords passwords, MailLog log) {
        this.settings = settings;
        this.tls = tls;
        this.passwords = passwords;
        this.log = log;
    }

    /** Postfix's smtp_stream_except texts for an I/O problem in {@code stage}. */
    static SmtpFailure ioFailure(SmtpServer server, String stage, IOException e) {
        if (e instanceof SocketTimeoutException) {
            return new SmtpFailure("4.4.2", "conversation with " + server.namaddr() + " timed out while " + stage);
        }
        return new SmtpFailure("4.4.2", "lost connection with " + server.namaddr() + " while " + stage);
    }

    /**
     * @param nexthop   the next hop as written, for the SASL password lookup
     * @param plainOnly don't try STARTTLS (the retry after a failed handshake at level may)
     * @param bestMx    the server is among the most preferred for the next hop (a loop is then permanent)
     */
    void establish(SmtpConnection c, String nexthop, boolean plainOnly, boolean bestMx) throws SetupException {
        SmtpServer s = c.server;
        String stage = "receiving the initial server greeting";
        try {
            SmtpReply greeting = c.read(settings.heloTimeout);
            if (!greeting.positive()) {
                SmtpFailure f = new SmtpFailure(greeting.dsn(), "host " + s.namaddr() + " refused to talk to me: "
                        + greeting.text());
                throw new SetupException(settings.skip5xxGreeting ? f.softened() : f, false);
            }
            boolean esmtp = !settings.neverSendEhlo
                    && (settings.alwaysSendEhlo || greeting.text().toUpperCase().contains("ESMTP"));
            stage = esmtp ? "performing the EHLO handshake" : "performing the HELO handshake";
            hello(c, esmtp);
            if (c.esmtp && c.heloName.equalsIgnoreCase(settings.myhostname) && !settings.myhostname.isEmpty()) {
                // Postfix: a server that answers EHLO with our own name is ourselves: a mail loop
                log.warn("host " + s.namaddrport() + " replied to HELO/EHLO with my own hostname " + settings.myhostname);
                throw new SetupException(new SmtpFailure(bestMx ? "5.4.6" : "4.4.6", "mail for " + nexthop
                        + " loops back to myself"), false);
            }
            if (!plainOnly && settings.tlsLevel != SmtpSettings.TlsLevel.NONE && c.starttls) {
                stage = "receiving the STARTTLS response";
                c.send("STARTTLS");
                SmtpReply r = c.read(settings.starttlsTimeout);
                if (r.positive()) {
                    try {
                        c.startTls(tls, settings.starttlsTimeout);
                    } catch (IOException e) {
                        log.info(s.namaddrport() + ": Cannot start TLS: handshake failure: " + e.getMessage());
                        throw new SetupException(new SmtpFailure("4.7.5", "Cannot start TLS: handshake failure"),
                                settings.tlsLevel == SmtpSettings.TlsLevel.MAY);
                    }
                    if (settings.tlsLogLevel >= 1) {
                        log.info("Untrusted TLS connection established to " + s.namaddrport() + ": " + c.tlsSummary);
                    }
                    stage = "performing the EHLO handshake";
                    hello(c, true);
                } else if (settings.tlsLevel == SmtpSettings.TlsLevel.ENCRYPT) {
                    throw new SetupException(new SmtpFailure(r.dsn(), "TLS is required, but host " + s.namaddr()
                            + " refused to start TLS: " + r.text()), false);
                }
            }
            if (settings.tlsLevel == SmtpSettings.TlsLevel.ENCRYPT && !c.isTls()) {
                throw new SetupException(new SmtpFailure("4.7.4", "TLS is required, but was not offered by host "
                        + s.namaddr()), false);
            }
            if (settings.saslEnable && !c.authMechanisms.isEmpty()) {
                stage = "performing the SASL authentication";
                authenticate(c, nexthop);
            }
        } catch (IOException e) {
            throw new SetupException(ioFailure(s, stage, e), false);
        }
    }

    private void hello(SmtpConnection c, boolean esmtp) throws IOException, SetupException {
        if (esmtp) {
            c.send("EHLO " + settings.heloName);
            SmtpReply r = c.read(settings.heloTimeout);
            if (r.positive()) {
                c.features(r);
                return;
            }
            if (r.code() == 421) {
                throw refused(c, r);
            }
        }
        c.esmtp = false;
        c.send("HELO " + settings.heloName);
        SmtpReply r = c.read(settings.heloTimeout);
        if (!r.positive()) {
            throw refused(c, r);
        }
    }

    private static SetupException refused(SmtpConnection c, SmtpReply r) {
        return new SetupException(new SmtpFailure(r.dsn(), "host " + c.server.namaddr() + " refused to talk to me: "
                + r.text()), false);
    }

    private void authenticate(SmtpConnection c, String nexthop) throws IOException, SetupException {
        SaslPasswords.Credentials cred;
        try {
            cred = passwords.find(nexthop, c.server.host());
        } catch (IOException e) {
            throw new SetupException(new SmtpFailure("4.3.0", "smtp_sasl_password_maps lookup error: "
                    + e.getMessage()), false);
        }
        if (cred == null) {
            return; // no password for this server: send mail without AUTH, as Postfix
        }
        boolean plaintextOk = !(c.isTls() ? settings.saslTlsNoPlaintext : settings.saslNoPlaintext);
        String mech = SaslAuth.choose(c.authMechanisms, plaintextOk);
        if (mech == null) {
            throw new SetupException(new SmtpFailure("4.7.0", "SASL authentication failed: server "
                    + c.server.namaddr() + " offered no compatible authentication mechanisms for this type of "
                    + "connection security"), false);
        }
        SmtpFailure f = SaslAuth.authenticate(c, mech, cred.user(), cred.password(), settings.heloTimeout);
        if (f != null) {
            throw new SetupException(settings.saslSoftBounce ? f.softened() : f, false);
        }
    }
}
