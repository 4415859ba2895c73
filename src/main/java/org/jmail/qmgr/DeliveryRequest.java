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

    /**
     * One envelope recipient. {@code original} is the original recipient (orig_to), or null;
     * {@code dsnNotify} and {@code orcpt} the client's DSN NOTIFY= flags
     * ({@code QueuedRecipient.NOTIFY_*}, 0 for none) and ORCPT= ("rfc822;addr", or null).
     */
    record Recipient(String address, String original, int index, int dsnNotify, String orcpt) {

        public Recipient(String address, String original, int index) {
            this(address, original, index, 0, null);
        }
    }

    /** The client's DSN RET= (FULL or HDRS), or null. */
    default String dsnRet() {
        return null;
    }

    /** The client's DSN ENVID= (decoded), or null. */
    default String dsnEnvid() {
        return null;
    }

    String queueId();

    /** A queue file attribute (client_name, client_address, helo_name, protocol, ...), or null. */
    default String attribute(String name) {
        return null;
    }

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

    /**
     * The content when the queue holds it in memory (valid bytes {@code [0, contentSize())};
     * read-only), else null: an agent that wants it whole takes it without a copy.
     */
    default byte[] contentInMemory() {
        return null;
    }

    /** The recipient was delivered; {@code relay} e.g. "local", {@code text} e.g. "delivered to mailbox". */
    void sent(Recipient recipient, String relay, String dsn, String text);

    /**
     * Delivered to an MTA that accepted the recipient's DSN request (NOTIFY=) itself: any
     * success notice is now that MTA's to send, not ours.
     */
    default void sentDsnPassedOn(Recipient recipient, String relay, String dsn, String text) {
        sent(recipient, relay, dsn, text);
    }

    /** Temporary failure: qmgr retries later. */
    void deferred(Recipient recipient, String relay, String dsn, String text);

    /** Permanent failure: qmgr returns the message to the sender (DSN) and drops the recipient. */
    void bounced(Recipient recipient, String relay, String dsn, String text);

    /**
     * As {@link #sent}, {@link #deferred} or {@link #bounced} by {@code status} ("sent",
     * "deferred", "bounced"), for the address {@code address} the recipient expanded to (a
     * local(8) alias or .forward member): logged as {@code to=<address>, orig_to=<original>}
     * and, for a bounce, reported as the Final-Recipient. {@code settle} false: only logged,
     * as Postfix's local(8) logs each member while the recipient gets one outcome.
     * {@code diagnostic}: a bounce's Diagnostic-Code (e.g. {@code x-unix; user unknown}), or
     * null for {@code X-Postfix; TEXT}.
     */
    default void expanded(Recipient recipient, String address, boolean settle, String status, String relay,
                          String dsn, String text, String diagnostic) {
        if (!settle) {
            return;
        }
        switch (status) {
            case "sent" -> sent(recipient, relay, dsn, text);
            case "deferred" -> deferred(recipient, relay, dsn, text);
            default -> bounced(recipient, relay, dsn, text);
        }
    }
}
