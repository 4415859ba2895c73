package org.jmail.qmgr;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jmail.log.MailLog;

/**
 * One delivery request: the recipients of one message that go to the same transport and
 * destination, handed to one agent call. Reports are logged at once in Postfix's shape and
 * kept in the {@link ActiveMessage}; they become durable when the message is finalized.
 * Reports are thread-safe (an agent may report from its own threads).
 */
final class Delivery implements DeliveryRequest {

    final ActiveMessage am;
    final DeliveryAgent agent;
    final String transport;
    final String destinationKey;
    private final String nexthop;
    private final List<Recipient> recipients = new ArrayList<>();
    private final MailLog log;
    private final int delayDigits;
    private volatile Instant handoff;

    Delivery(ActiveMessage am, DeliveryAgent agent, String transport, String nexthop, String destinationKey,
             int delayDigits) {
        this.am = am;
        this.agent = agent;
        this.transport = transport;
        this.nexthop = nexthop == null ? "" : nexthop;
        this.destinationKey = destinationKey;
        this.log = MailLog.of(agent.transport());
        this.delayDigits = delayDigits;
    }

    void add(Recipient r) {
        recipients.add(r);
    }

    int size() {
        return recipients.size();
    }

    void handedOff() {
        handoff = Instant.now();
    }

    @Override
    public String queueId() {
        return am.message.id();
    }

    @Override
    public String sender() {
        return am.message.sender();
    }

    @Override
    public Instant arrivalTime() {
        return am.message.arrivalTime();
    }

    @Override
    public boolean recovered() {
        return am.message.recovered();
    }

    @Override
    public String nexthop() {
        return nexthop;
    }

    @Override
    public List<Recipient> recipients() {
        return Collections.unmodifiableList(recipients);
    }

    @Override
    public InputStream openContent() throws IOException {
        return am.message.openContent();
    }

    @Override
    public byte[] contentInMemory() {
        return am.message.contentInMemory();
    }

    @Override
    public long contentSize() {
        return am.message.contentSize();
    }

    @Override
    public void sent(Recipient recipient, String relay, String dsn, String text) {
        report(recipient, Outcome.Kind.SENT, relay, dsn, text, false, null, null);
    }

    @Override
    public void sentDsnPassedOn(Recipient recipient, String relay, String dsn, String text) {
        report(recipient, Outcome.Kind.SENT, relay, dsn, text, true, null, null);
    }

    @Override
    public String dsnRet() {
        return am.message.attributes().get("dsn_ret");
    }

    @Override
    public String attribute(String name) {
        return am.message.attributes().get(name);
    }

    @Override
    public String dsnEnvid() {
        return am.message.attributes().get("dsn_envid");
    }

    @Override
    public void deferred(Recipient recipient, String relay, String dsn, String text) {
        report(recipient, Outcome.Kind.DEFERRED, relay, dsn, text, false, null, null);
    }

    @Override
    public void bounced(Recipient recipient, String relay, String dsn, String text) {
        report(recipient, Outcome.Kind.BOUNCED, relay, dsn, text, false, null, null);
    }

    @Override
    public void expanded(Recipient recipient, String address, boolean settle, String status, String relay,
                         String dsn, String text, String diagnostic) {
        Outcome.Kind kind = switch (status) {
            case "sent" -> Outcome.Kind.SENT;
            case "deferred" -> Outcome.Kind.DEFERRED;
            default -> Outcome.Kind.BOUNCED;
        };
        if (settle) {
            report(recipient, kind, relay, dsn, text, false, address, diagnostic);
        } else if (recipients.contains(recipient)) {
            log(recipient, address, status, relay, dsn == null || dsn.isEmpty() ? defaultDsn(kind) : dsn,
                    text == null ? "" : text.replace('\n', ' '));
        }
    }

    /** Defers, as qmgr, every recipient the agent left without a report. */
    void completeUnreported(String text) {
        for (Recipient r : recipients) {
            if (!am.hasOutcome(r.index())) {
                report(r, Outcome.Kind.DEFERRED, "none", "4.3.0", text, false, null, null);
            }
        }
    }

    private void report(Recipient r, Outcome.Kind kind, String relay, String dsn, String text, boolean dsnPassedOn,
                        String address, String diagnostic) {
        if (!recipients.contains(r)) {
            MailLog.of("qmgr").warn(queueId() + ": " + agent.transport() + " reported on recipient <"
                    + r.address() + "> that is not in the request");
            return;
        }
        String d = dsn == null || dsn.isEmpty() ? defaultDsn(kind) : dsn;
        String t = text == null ? "" : text.replace('\n', ' ');
        String rl = relay == null || relay.isEmpty() ? "none" : relay;
        if (!am.record(r.index(), new Outcome(kind, rl, d, t, dsnPassedOn, address, diagnostic))) {
            MailLog.of("qmgr").warn(queueId() + ": duplicate report for recipient <" + r.address() + "> ignored");
            return;
        }
        String status = switch (kind) {
            case SENT -> "sent";
            case BOUNCED -> "bounced";
            case DEFERRED -> "deferred";
        };
        log(r, address, status, rl, d, t);
    }

    /** The delivery log line; an expanded address logs the recipient as orig_to, as local(8). */
    private void log(Recipient r, String address, String status, String relay, String dsn, String text) {
        String to = address != null ? address : r.address();
        String orig = address == null || r.original() != null ? r.original() : r.address();
        log.info(DeliveryLog.line(queueId(), to, orig, relay == null || relay.isEmpty() ? "none" : relay,
                am.message.arrivalTime(), am.activeAt, handoff, Instant.now(), dsn, status, text, delayDigits));
    }

    private static String defaultDsn(Outcome.Kind kind) {
        return switch (kind) {
            case SENT -> "2.0.0";
            case BOUNCED -> "5.0.0";
            case DEFERRED -> "4.0.0";
        };
    }
}
