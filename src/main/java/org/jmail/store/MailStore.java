package org.jmail.store;

import java.io.Closeable;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * One logged-in user's mailboxes, laid out by Dovecot's {@code mail_location} (default
 * {@code mbox:~/mail:INBOX=/var/mail/%u}). Names use {@link #SEPARATOR} for hierarchy; "INBOX"
 * (any case) is the inbox. Names with {@code ..} components, absolute paths, empty components
 * or control characters are refused ({@link StoreException.Kind#CANNOT}); no operation ever
 * touches a file outside the user's tree or follows a symlink out of it. Thread-safe
 * enough for one session; several sessions of one user each have their own instance.
 */
public interface MailStore extends Closeable {

    char SEPARATOR = '/';

    /** Every mailbox and directory, INBOX first. */
    List<MailboxInfo> list() throws StoreException;

    /** Creates a mailbox; a name ending in {@link #SEPARATOR} creates a directory only. */
    void create(String name) throws StoreException;

    void delete(String name) throws StoreException;

    /** Renames; renaming INBOX moves its messages to the new mailbox and leaves INBOX empty (RFC 3501). */
    void rename(String from, String to) throws StoreException;

    /** Names in {@code ~/mail/.subscriptions} (Dovecot's file), in file order. */
    List<String> subscriptions() throws StoreException;

    void subscribe(String name) throws StoreException;

    void unsubscribe(String name) throws StoreException;

    MailboxStatus status(String name) throws StoreException;

    /**
     * Appends a message (CRLF or LF line ends accepted; stored with LF in mbox) with flags
     * and internal date (null = now).
     */
    AppendResult append(String mailbox, byte[] message, Set<String> flags, Instant internalDate)
            throws StoreException;

    Mailbox open(String name, boolean readOnly) throws StoreException;

    /** Storage used and limit in bytes for QUOTA, or null when no limit applies. */
    Quota quota();

    record Quota(long usedBytes, long limitBytes) {
    }

    @Override
    void close();
}
