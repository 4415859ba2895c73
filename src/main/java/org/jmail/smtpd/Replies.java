package org.jmail.smtpd;

import java.nio.charset.StandardCharsets;

/**
 * The reply lines a session has produced and the network shell has not yet sent. Replies are
 * queued, not written, so that pipelined commands get their replies in one write when the
 * client's input is drained (RFC 2920); {@link #urgent()} asks the shell to send now (after an
 * error-sleep, as Postfix flushes after a delay). Not thread-safe.
 */
final class Replies {

    private final StringBuilder pending = new StringBuilder(256);
    private boolean urgent;

    void add(String line) {
        pending.append(line).append("\r\n");
    }

    void markUrgent() {
        urgent = true;
    }

    boolean urgent() {
        return urgent;
    }

    boolean isEmpty() {
        return pending.length() == 0;
    }

    /** The queued replies as text, emptying the queue. */
    String take() {
        String s = pending.toString();
        pending.setLength(0);
        urgent = false;
        return s;
    }

    /** The queued replies as UTF-8 bytes, emptying the queue. */
    byte[] takeBytes() {
        return take().getBytes(StandardCharsets.UTF_8);
    }
}
