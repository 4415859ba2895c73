package org.jmail.store;

/**
 * A mail store operation that failed. {@link Kind} tells the protocol which response code to
 * give (IMAP RFC 5530 codes in brackets); the message is safe to show to the client (no
 * paths of other users, no stack traces).
 */
public class StoreException extends Exception {

    public enum Kind {
        /** [NONEXISTENT] no such mailbox / message */
        NONEXISTENT,
        /** [ALREADYEXISTS] */
        ALREADYEXISTS,
        /** [CANNOT] invalid name (.., absolute, control characters), not allowed on INBOX, … */
        CANNOT,
        /** [INUSE] / [UNAVAILABLE] lock timeout, passdb or disk temporarily unusable: try again */
        TEMPORARY,
        /** [OVERQUOTA] mailbox_size_limit / EDQUOT / ENOSPC */
        OVERQUOTA,
        /** [NOPERM] the file exists but the user may not access it (symlink escape, permissions) */
        NOPERM,
        /** [SERVERBUG] anything else; logged with detail by the store */
        SERVERBUG
    }

    private final Kind kind;

    public StoreException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public StoreException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
