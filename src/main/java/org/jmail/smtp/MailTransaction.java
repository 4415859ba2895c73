package org.jmail.smtp;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jmail.qmgr.DeliveryRequest;
import org.jmail.qmgr.DeliveryRequest.Recipient;
import org.jmail.queue.QueuedRecipient;
import org.jmail.util.Xtext;

/**
 * One message over an established connection, Postfix's smtp_xfer(): MAIL FROM with SIZE,
 * BODY=8BITMIME and SMTPUTF8 as the server offers them, RCPT TO per recipient, DATA, the
 * content, and the server's verdicts reported through {@link Recipients}.
 *
 * <p>With PIPELINING, MAIL, every RCPT and DATA go out in one write and the replies are read in
 * order. Before sending: a message larger than the server's SIZE is bounced (5.3.4 {@code
 * message size N exceeds size limit L of server h[ip]}); one that needs SMTPUTF8 (a non-ASCII
 * envelope address) to a server without it is bounced (5.6.7). An 8-bit body to a server
 * without 8BITMIME is converted to quoted-printable ({@link MimeDowngrade}) unless
 * {@code disable_mime_output_conversion = yes}, as Postfix does.
 *
 * <p>Replies: 5xx to MAIL or DATA or at the end of DATA fails every recipient of the
 * transaction; 5xx to RCPT that recipient; 4xx is temporary (kept for the next server unless
 * this one is final). Texts: {@code host h[ip] said: 550 5.1.1 ... (in reply to RCPT TO
 * command)}. After a failed transaction RSET puts the connection back in step for reuse.
 */
final class MailTransaction {

    /** What the connection is good for afterwards. */
    enum Outcome {
        /** In step; may serve the next message. */
        REUSABLE,
        /** Broken or out of step; close it. */
        BROKEN,
        /** A cached connection that died before its first reply: nothing was reported, try a fresh one. */
        STALE
    }

    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "smtp-data-watchdog");
        t.setDaemon(true);
        return t;
    });

    private final SmtpSettings settings;

    MailTransaction(SmtpSettings settings) {
        this.settings = settings;
    }

    Outcome run(SmtpConnection c, DeliveryRequest request, Recipients rs, ContentFacts facts, boolean smtputf8Needed,
                boolean finalServer) {
        String relay = c.server.namaddrport();
        String namaddr = c.server.namaddr();
        List<Recipient> batch = rs.pending();
        long size = request.contentSize();
        if (c.sizeOffered && c.sizeLimit > 0 && size > c.sizeLimit) {
            rs.failAll(batch, new SmtpFailure("5.3.4", "message size " + size + " exceeds size limit "
                    + c.sizeLimit + " of server " + namaddr), relay, true);
            return Outcome.REUSABLE;
        }
        if (smtputf8Needed && !c.smtputf8) {
            rs.failAll(batch, new SmtpFailure("5.6.7", "SMTPUTF8 is required, but was not offered by host "
                    + namaddr), relay, true);
            return Outcome.REUSABLE;
        }
        boolean downgrade = facts.eightBitBody() && !c.eightBitMime && settings.mimeOutputConversion;
        StringBuilder mail = new StringBuilder("MAIL FROM:<").append(Addresses.quote(request.sender())).append('>');
        if (c.esmtp) {
            if (c.sizeOffered) {
                mail.append(" SIZE=").append(size);
            }
            if (c.eightBitMime && facts.eightBit()) {
                mail.append(" BODY=8BITMIME");
            }
            if (c.smtputf8 && (smtputf8Needed || facts.eightBitHeader())) {
                mail.append(" SMTPUTF8");
            }
            if (c.dsn) { // pass the client's DSN request on, as Postfix's smtp does
                if (request.dsnRet() != null) {
                    mail.append(" RET=").append(request.dsnRet());
                }
                if (request.dsnEnvid() != null) {
                    mail.append(" ENVID=").append(Xtext.encode(request.dsnEnvid()));
                }
            }
        }
        boolean reused = c.transactions > 0;
        boolean anyReply = false;
        String stage = "sending MAIL FROM";
        List<Recipient> accepted = new ArrayList<>();
        List<Recipient> unresolved = new ArrayList<>(batch);
        try {
            c.send(mail.toString());
            boolean pipe = c.pipelining;
            SmtpReply mailReply;
            if (pipe) {
                for (Recipient r : batch) {
                    c.send(rcptCommand(c, r));
                }
                c.send("DATA");
            }
            mailReply = c.read(settings.mailTimeout);
            anyReply = true;
            boolean mailOk = mailReply.positive();
            if (!mailOk) {
                SmtpFailure f = new SmtpFailure(mailReply.dsn(), "host " + namaddr + " said: " + mailReply.text()
                        + " (in reply to MAIL FROM command)");
                rs.failAll(batch, f, relay, finalServer);
                unresolved.clear();
            }
            stage = "sending RCPT TO";
            for (Recipient r : batch) {
                if (!pipe && !mailOk) {
                    break;
                }
                if (!pipe) {
                    c.send(rcptCommand(c, r));
                }
                SmtpReply rr = c.read(settings.rcptTimeout);
                if (!mailOk) {
                    continue;
                }
                unresolved.remove(r);
                if (rr.positive()) {
                    accepted.add(r);
                } else {
                    rs.fail(r, new SmtpFailure(rr.dsn(), "host " + namaddr + " said: " + rr.text()
                            + " (in reply to RCPT TO command)"), relay, finalServer);
                }
            }
            stage = "sending DATA command";
            SmtpReply dataReply = null;
            if (pipe) {
                dataReply = c.read(settings.dataInitTimeout);
            } else if (!accepted.isEmpty()) {
                c.send("DATA");
                dataReply = c.read(settings.dataInitTimeout);
            }
            if (accepted.isEmpty()) {
                if (dataReply != null && dataReply.intermediate()) {
                    c.send("."); // a server that said 354 without recipients: end the empty message
                    c.read(settings.dataDoneTimeout);
                }
                return rset(c);
            }
            if (!dataReply.intermediate()) {
                rs.failAll(accepted, new SmtpFailure(dataReply.dsn(), "host " + namaddr + " said: "
                        + dataReply.text() + " (in reply to DATA command)"), relay, finalServer);
                return rset(c);
            }
            unresolved.addAll(accepted);
            stage = "sending message body";
            long deadline = settings.dataXferTimeout.toMillis() + size * 1000 / 500; // smtp_min_data_rate 500
            ScheduledFuture<?> dog = WATCHDOG.schedule(c::close, deadline, TimeUnit.MILLISECONDS);
            try (InputStream in = downgrade ? MimeDowngrade.wrap(request.openContent()) : request.openContent()) {
                c.timeout(settings.dataXferTimeout);
                BodyWriter.write(in, c.output(), settings.lineLengthLimit);
            } finally {
                dog.cancel(false);
            }
            stage = "sending end of data -- message may be sent more than once";
            SmtpReply done = c.read(settings.dataDoneTimeout);
            unresolved.clear();
            if (done.positive()) {
                for (Recipient r : accepted) {
                    rs.sent(r, relay, done.dsn(), done.text(), c.dsn);
                }
                c.transactions++;
                return Outcome.REUSABLE;
            }
            rs.failAll(accepted, new SmtpFailure(done.dsn(), "host " + namaddr + " said: " + done.text()
                    + " (in reply to end of DATA command)"), relay, finalServer);
            c.transactions++;
            return Outcome.REUSABLE;
        } catch (IOException e) {
            if (reused && !anyReply) {
                return Outcome.STALE;
            }
            if (!unresolved.isEmpty()) {
                rs.failAll(unresolved, SessionSetup.ioFailure(c.server, stage, e), relay, finalServer);
            }
            return Outcome.BROKEN;
        }
    }

    /** RSET after an aborted transaction ("sending final RSET"); a failure means close. */
    private Outcome rset(SmtpConnection c) {
        try {
            c.send("RSET");
            return c.read(settings.rsetTimeout).positive() ? Outcome.REUSABLE : Outcome.BROKEN;
        } catch (IOException e) {
            return Outcome.BROKEN;
        }
    }

    /**
     * RCPT TO, with NOTIFY= and ORCPT= when the server offers DSN: the client's ORCPT, else
     * "rfc822;" and the original recipient, as Postfix's smtp_proto.c sends them.
     */
    private static String rcptCommand(SmtpConnection c, Recipient r) {
        StringBuilder b = new StringBuilder("RCPT TO:<").append(Addresses.quote(r.address())).append('>');
        if (c.dsn) {
            String notify = QueuedRecipient.notifyText(r.dsnNotify());
            if (notify != null) {
                b.append(" NOTIFY=").append(notify);
            }
            String orcpt = r.orcpt() != null ? r.orcpt()
                    : r.original() != null ? "rfc822;" + Addresses.quote(r.original()) : null;
            int semi = orcpt == null ? -1 : orcpt.indexOf(';');
            if (semi > 0) {
                b.append(" ORCPT=").append(orcpt, 0, semi + 1).append(Xtext.encode(orcpt.substring(semi + 1)));
            }
        }
        return b.toString();
    }
}
