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
    public long contentSize() {
        return am.message.contentSize();
    }

    @Override
    public void sent(Recipient recipient, String relay, String dsn, String text) {
        report(recipient, Outcome.Kind.SENT, relay, dsn, text, false);
    }

    @Override
    public void sentDsnPassedOn(Recipient recipient, String relay, String dsn, String text) {
        report(recipient, Outcome.Kind.SENT, relay, dsn, text, true);
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
        report(recipient, Outcome.Kind.DEFERRED, relay, dsn, text, false);
    }

    @Override
    public void bounced(Recipient recipient, String relay, String dsn, String text) {
        report(recipient, Outcome.Kind.BOUNCED, relay, dsn, text, false);
    }

    /** Defers, as qmgr, every recipient the agent left without a report. */
    void completeUnreported(String text) {
        for (Recipient r : recipients) {
            if (!am.hasOutcome(r.index())) {
                report(r, Outcome.Kind.DEFERRED, "none", "4.3.0", text, false);
            }
        }
    }

    private void report(Recipient r, Outcome.Kind kind, String relay, String dsn, String text, boolean dsnPassedOn) {
        if (!recipients.contains(r)) {
            MailLog.of("qmgr").warn(queueId() + ": " + agent.transport() + " reported on recipient <"
                    + r.address() + "> that is not in the request");
            return;
        }
        String d = dsn == null || dsn.isEmpty() ? defaultDsn(kind) : dsn;
        String t = text == null ? "" : text.replace('\n', ' ');
        String rl = relay == null || relay.isEmpty() ? "none" : relay;
        if (!am.record(r.index(), new Outcome(kind, rl, d, t, dsnPassedOn))) {
            MailLog.of("qmgr").warn(queueId() + ": duplicate report for recipient <" + r.address() + "> ignored");
            return;
        }
        String status = switch (kind) {
            case SENT -> "sent";
            case BOUNCED -> "bounced";
            case DEFERRED -> "deferred";
        };
        log.info(DeliveryLog.line(queueId(), r.address(), r.original(), rl, am.message.arrivalTime(), am.activeAt,
                handoff, Instant.now(), d, status, t, delayDigits));
    }

    private static String defaultDsn(Outcome.Kind kind) {
        return switch (kind) {
            case SENT -> "2.0.0";
            case BOUNCED -> "5.0.0";
            case DEFERRED -> "4.0.0";
        };
    }
}
