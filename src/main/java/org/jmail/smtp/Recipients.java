package org.jmail.smtp;

import java.util.ArrayList;
import java.util.List;
import org.jmail.log.MailLog;
import org.jmail.qmgr.DeliveryRequest;
import org.jmail.qmgr.DeliveryRequest.Recipient;

/**
 * The recipients of one delivery request that still wait for an outcome, and the rule of
 * Postfix's smtp_trouble.c for reporting them: a temporary failure at a server that is not
 * the last one to try keeps the recipient for the next server (logged as {@code ID: reason});
 * otherwise a failure is reported at once, deferred when temporary, bounced when permanent
 * (deferred under {@code soft_bounce}). Each recipient is reported exactly once.
 */
final class Recipients {

    private final DeliveryRequest request;
    private final MailLog log;
    private final boolean softBounce;
    private final List<Recipient> pending;
    private SmtpFailure lastFailure;
    private String lastRelay = "none";

    Recipients(DeliveryRequest request, MailLog log, boolean softBounce) {
        this.request = request;
        this.log = log;
        this.softBounce = softBounce;
        this.pending = new ArrayList<>(request.recipients());
    }

    List<Recipient> pending() {
        return List.copyOf(pending);
    }

    boolean done() {
        return pending.isEmpty();
    }

    String queueId() {
        return request.queueId();
    }

    /** @param dsnPassedOn the server took the recipient's DSN request (it offered DSN) */
    void sent(Recipient r, String relay, String dsn, String text, boolean dsnPassedOn) {
        if (pending.remove(r)) {
            if (dsnPassedOn) {
                request.sentDsnPassedOn(r, relay, dsn, text);
            } else {
                request.sent(r, relay, dsn, text);
            }
        }
    }

    /** Reports (or keeps, see the class comment) one recipient. */
    void fail(Recipient r, SmtpFailure f, String relay, boolean finalServer) {
        if (!pending.contains(r)) {
            return;
        }
        if (f.soft() && !finalServer) {
            note(f, relay);
            return;
        }
        pending.remove(r);
        if (f.soft() || softBounce) {
            request.deferred(r, relay, f.soft() ? f.dsn() : "4" + f.dsn().substring(1), f.text());
        } else {
            request.bounced(r, relay, f.dsn(), f.text());
        }
    }

    /** The same failure for every pending recipient in {@code batch}; logged once when kept. */
    void failAll(List<Recipient> batch, SmtpFailure f, String relay, boolean finalServer) {
        if (f.soft() && !finalServer) {
            note(f, relay);
            return;
        }
        for (Recipient r : batch) {
            fail(r, f, relay, true);
        }
    }

    void failAll(SmtpFailure f, String relay, boolean finalServer) {
        failAll(pending(), f, relay, finalServer);
    }

    /** A temporary failure that sends us to the next server: Postfix logs it as "ID: reason". */
    void note(SmtpFailure f, String relay) {
        if (lastFailure == null || !f.equals(lastFailure)) {
            log.info(request.queueId() + ": " + f.text());
        }
        lastFailure = f;
        lastRelay = relay;
    }

    /** Defers what is left with the last reason seen (no server was final). */
    void deferRest(SmtpFailure fallback) {
        SmtpFailure f = lastFailure != null ? lastFailure : fallback;
        String relay = lastFailure != null ? lastRelay : "none";
        for (Recipient r : pending()) {
            pending.remove(r);
            request.deferred(r, relay, f.soft() ? f.dsn() : "4" + f.dsn().substring(1), f.text());
        }
    }
}
