package org.jmail.local;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jmail.qmgr.DeliveryRequest;

/**
 * One top-level recipient of a delivery request and everything its expansion produced: the
 * destinations still to be written, the outcomes so far, and Postfix's per-recipient duplicate
 * filter (been_here). Reports exactly once, combining its outcomes as Postfix's local(8) does:
 * any deferral defers the recipient (it is retried as a whole), otherwise any bounce bounces
 * it, otherwise it was delivered.
 */
final class RecipientJob {

    final DeliveryRequest.Recipient recipient;
    final List<Destination> destinations = new ArrayList<>();
    private final List<Status> outcomes = new ArrayList<>();
    private final Set<String> seen = new HashSet<>();
    private boolean reported;

    RecipientJob(DeliveryRequest.Recipient recipient) {
        this.recipient = recipient;
    }

    /** been_here(): false the first time a key is seen for this recipient. Keys fold case. */
    boolean beenHere(String key) {
        return !seen.add(key.toLowerCase(Locale.ROOT));
    }

    boolean beenHereCheck(String key) {
        return seen.contains(key.toLowerCase(Locale.ROOT));
    }

    synchronized void add(Status s) {
        outcomes.add(s);
    }

    void add(Destination d) {
        destinations.add(d);
    }

    synchronized boolean isReported() {
        return reported;
    }

    /** The outcome to report. */
    synchronized Status combined() {
        Status deferred = null;
        Status bounced = null;
        Status sent = null;
        for (Status s : outcomes) {
            switch (s.kind()) {
                case DEFERRED -> deferred = deferred == null ? s : deferred;
                case BOUNCED -> bounced = bounced == null ? s : bounced;
                case SENT -> sent = sent == null ? s : sent;
            }
        }
        if (deferred != null) {
            return deferred;
        }
        if (bounced != null) {
            return bounced;
        }
        return sent != null ? sent : Status.sent("delivered to mailbox");
    }

    /** Reports the combined outcome to qmgr, once. */
    synchronized void report(DeliveryRequest request) {
        if (reported) {
            return;
        }
        reported = true;
        Status s = combined();
        switch (s.kind()) {
            case SENT -> request.sent(recipient, "local", s.dsn(), s.text());
            case DEFERRED -> request.deferred(recipient, "local", s.dsn(), s.text());
            case BOUNCED -> request.bounced(recipient, "local", s.dsn(), s.text());
        }
    }
}
