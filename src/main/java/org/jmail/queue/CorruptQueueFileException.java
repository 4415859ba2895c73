package org.jmail.queue;

/** A queue file that cannot be parsed: bad magic, truncated, failed checksum, impossible records. */
public class CorruptQueueFileException extends Exception {
    private static final long serialVersionUID = 1L;

    public CorruptQueueFileException(String message) {
        super(message);
    }
}
