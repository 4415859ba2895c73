package org.jmail.qmgr;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;

/**
 * What qmgr hands a delivery agent: one queued message, the recipients of one transport and
 * next hop, and the place to report each recipient's fate.
 */
public interface DeliveryRequest {

    /** One envelope recipient. {@code original} is the original recipient (orig_to), or null. */
    record Recipient(String address, String original, int index) {
    }

    String queueId();

    /** Envelope sender; "" for the null sender. */
    String sender();

    Instant arrivalTime();

    /**
     * True when this message was being delivered when the daemon last died (it was in the
     * active queue at start-up): the agent must check its own recovery state so that no
     * recipient is delivered twice.
     */
    boolean recovered();

    /** The next hop from the resolution (domain, [host]:port, or the error text for error:). */
    String nexthop();

    List<Recipient> recipients();

    /** The message content as queued (headers and body, lines ending in LF). */
    InputStream openContent() throws IOException;

    /** Content size in bytes (as counted by the queue; LF line ends). */
    long contentSize();

    /** The recipient was delivered; {@code relay} e.g. "local", {@code text} e.g. "delivered to mailbox". */
    void sent(Recipient recipient, String relay, String dsn, String text);

    /** Temporary failure: qmgr retries later. */
    void deferred(Recipient recipient, String relay, String dsn, String text);

    /** Permanent failure: qmgr returns the message to the sender (DSN) and drops the recipient. */
    void bounced(Recipient recipient, String relay, String dsn, String text);
}
