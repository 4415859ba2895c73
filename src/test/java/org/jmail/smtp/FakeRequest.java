package org.jmail.smtp;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jmail.qmgr.DeliveryRequest;

/** A delivery request for tests: content from a String, reports recorded as "kind rcpt relay dsn text". */
final class FakeRequest implements DeliveryRequest {

    final List<String> reports = Collections.synchronizedList(new ArrayList<>());
    private final String sender;
    private final String nexthop;
    private final byte[] content;
    private final List<Recipient> recipients = new ArrayList<>();
    String dsnRet;
    String dsnEnvid;

    FakeRequest(String sender, String nexthop, String content, String... rcpts) {
        this.sender = sender;
        this.nexthop = nexthop;
        this.content = content.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < rcpts.length; i++) {
            recipients.add(new Recipient(rcpts[i], null, i));
        }
    }

    @Override
    public String queueId() {
        return "ABC123";
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
        return false;
    }

    @Override
    public String nexthop() {
        return nexthop;
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
    public String dsnRet() {
        return dsnRet;
    }

    @Override
    public String dsnEnvid() {
        return dsnEnvid;
    }

    /** Replaces the recipients with DSN-carrying ones. */
    FakeRequest withDsn(String ret, String envid, Recipient... rcpts) {
        dsnRet = ret;
        dsnEnvid = envid;
        recipients.clear();
        recipients.addAll(List.of(rcpts));
        return this;
    }

    @Override
    public void sentDsnPassedOn(Recipient r, String relay, String dsn, String text) {
        reports.add("sent(dsn passed on) " + r.address() + " " + relay + " " + dsn + " " + text);
    }

    @Override
    public void sent(Recipient r, String relay, String dsn, String text) {
        reports.add("sent " + r.address() + " " + relay + " " + dsn + " " + text);
    }

    @Override
    public void deferred(Recipient r, String relay, String dsn, String text) {
        reports.add("deferred " + r.address() + " " + relay + " " + dsn + " " + text);
    }

    @Override
    public void bounced(Recipient r, String relay, String dsn, String text) {
        reports.add("bounced " + r.address() + " " + relay + " " + dsn + " " + text);
    }
}
