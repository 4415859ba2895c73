package org.jmail.local;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jmail.qmgr.DeliveryRequest;

/** A delivery request built in a test, recording what the agent reports. */
final class FakeRequest implements DeliveryRequest {

    record Report(String address, String kind, String relay, String dsn, String text) {
        @Override
        public String toString() {
            return address + " " + kind + " " + dsn + " (" + text + ")";
        }
    }

    final String queueId;
    final String sender;
    final byte[] content;
    final List<Recipient> recipients = new ArrayList<>();
    final List<Report> reports = new ArrayList<>();
    final Map<String, String> attributes = new HashMap<>();
    /** Every outcome as logged: "to=<A> orig_to=<O> STATUS (TEXT)" (orig_to only for an expanded address). */
    final List<String> logged = new ArrayList<>();
    final List<String> diagnostics = new ArrayList<>();
    boolean recovered;

    FakeRequest(String queueId, String sender, String content, String... rcpts) {
        this.queueId = queueId;
        this.sender = sender;
        this.content = content.getBytes(StandardCharsets.UTF_8);
        for (String r : rcpts) {
            recipients.add(new Recipient(r, r, recipients.size()));
        }
    }

    FakeRequest recovered(boolean r) {
        this.recovered = r;
        return this;
    }

    Report only() {
        if (reports.size() != 1) {
            throw new AssertionError("expected one report, got " + reports);
        }
        return reports.get(0);
    }

    Report of(String address) {
        return reports.stream().filter(r -> r.address.equals(address)).findFirst()
                .orElseThrow(() -> new AssertionError("no report for " + address + " in " + reports));
    }

    @Override
    public void expanded(Recipient recipient, String address, boolean settle, String status, String relay,
                         String dsn, String text, String diagnostic) {
        logged.add(address == null ? "to=<" + recipient.address() + "> " + status + " (" + text + ")"
                : "to=<" + address + "> orig_to=<" + recipient.original() + "> " + status + " (" + text + ")");
        if (diagnostic != null) {
            diagnostics.add(diagnostic);
        }
        DeliveryRequest.super.expanded(recipient, address, settle, status, relay, dsn, text, diagnostic);
    }

    @Override
    public String attribute(String name) {
        return attributes.get(name);
    }

    @Override
    public String queueId() {
        return queueId;
    }

    @Override
    public String sender() {
        return sender;
    }

    @Override
    public Instant arrivalTime() {
        return Instant.now();
    }

    @Override
    public boolean recovered() {
        return recovered;
    }

    @Override
    public String nexthop() {
        return "host.example";
    }

    @Override
    public List<Recipient> recipients() {
        return recipients;
    }

    @Override
    public InputStream openContent() {
        return new ByteArrayInputStream(content);
    }

    @Override
    public long contentSize() {
        return content.length;
    }

    @Override
    public synchronized void sent(Recipient r, String relay, String dsn, String text) {
        reports.add(new Report(r.address(), "sent", relay, dsn, text));
    }

    @Override
    public synchronized void deferred(Recipient r, String relay, String dsn, String text) {
        reports.add(new Report(r.address(), "deferred", relay, dsn, text));
    }

    @Override
    public synchronized void bounced(Recipient r, String relay, String dsn, String text) {
        reports.add(new Report(r.address(), "bounced", relay, dsn, text));
    }
}
