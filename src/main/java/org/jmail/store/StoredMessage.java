package org.jmail.store;

import java.time.Instant;
import java.util.Set;

/**
 * One message of a mailbox as a client sees it. {@code flags} holds system flags spelled as
 * in IMAP ({@code \Seen \Answered \Flagged \Deleted \Draft}) and keywords (atoms); never
 * {@code \Recent}, which is {@link #recent}. {@code size} is the RFC822.SIZE: octets of the
 * message with CRLF line ends and without the store's metadata headers (X-UID, Status, …),
 * exactly the length {@link Mailbox#read} returns. {@code internalDate} is the mbox From_
 * line date. {@code modseq} is 0 when the store does not keep modification sequences.
 * Immutable: a flag change yields a new instance.
 */
public record StoredMessage(long uid, Set<String> flags, long size, Instant internalDate, boolean recent,
                            long modseq) {

    public static final String SEEN = "\\Seen";
    public static final String ANSWERED = "\\Answered";
    public static final String FLAGGED = "\\Flagged";
    public static final String DELETED = "\\Deleted";
    public static final String DRAFT = "\\Draft";

    public boolean has(String flag) {
        return flags.contains(flag);
    }
}
