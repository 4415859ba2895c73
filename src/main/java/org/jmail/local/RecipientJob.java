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

    /**
     * Reports to qmgr, once: every outcome is logged in order, for the address it is about (as
     * Postfix's local(8) logs each alias or .forward member, with the recipient as orig_to);
     * the combined one settles the recipient.
     */
    synchronized void report(DeliveryRequest request) {
        if (reported) {
            return;
        }
        reported = true;
        Status combined = combined();
        if (outcomes.isEmpty()) {
            outcomes.add(combined);
        }
        for (Status s : outcomes) {
            String address = s.address() == null || s.address().equals(recipient.address()) ? null : s.address();
            String status = switch (s.kind()) {
                case SENT -> "sent";
                case DEFERRED -> "deferred";
                case BOUNCED -> "bounced";
            };
            request.expanded(recipient, address, s == combined, status, "local", s.dsn(), s.text(), s.diagnostic());
        }
    }
}
