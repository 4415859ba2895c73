package org.jmail.imap;

/**
 * A command that fails with a tagged NO or BAD reply; {@code text} is what follows the status
 * word ("[NONEXISTENT] Mailbox doesn't exist: x"). BAD replies count toward the invalid-command
 * limit as Dovecot's do.
 */
final class ImapException extends Exception {

    private final boolean bad;

    private ImapException(boolean bad, String text) {
        super(text, null, false, false);
        this.bad = bad;
    }

    static ImapException no(String text) {
        return new ImapException(false, text);
    }

    /** A syntax error: the reply becomes "BAD Error in IMAP command NAME: text". */
    static ImapException bad(String text) {
        return new ImapException(true, text);
    }

    boolean isBad() {
        return bad;
    }
}
