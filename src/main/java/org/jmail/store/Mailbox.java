package org.jmail.store;

import java.io.Closeable;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * A selected mailbox: one session's view of one folder. The view changes only through this
 * instance's own operations and {@link #sync}, so the protocol layer can keep sequence
 * numbers consistent (IMAP must not see messages vanish between its own commands).
 * Not thread-safe: one instance per session. All file access happens with the owner's
 * identity; locking interoperates with local delivery, Dovecot, mutt and mail(1).
 */
public interface Mailbox extends Closeable {

    enum FlagMode { ADD, REMOVE, REPLACE }

    String name();

    boolean readOnly();

    long uidValidity();

    long uidNext();

    /** Highest modseq, or 0 when the store keeps none (then CONDSTORE is not offered). */
    long highestModseq();

    /** The messages of the current view in mailbox order (sequence number = index + 1). Immutable. */
    List<StoredMessage> messages();

    /** Keywords in use or defined in this mailbox (IMAP FLAGS / PERMANENTFLAGS). */
    Set<String> keywords();

    /**
     * Brings the view up to date with the file (mail the MTA appended, changes by other
     * sessions or by mutt) and reports the difference. Cheap when nothing changed (a stat).
     */
    SyncResult sync() throws StoreException;

    /** The whole message as the client sees it: CRLF line ends, metadata headers removed. */
    byte[] read(long uid) throws StoreException;

    /** The header section of {@link #read} up to and including the empty line (CRLF). */
    byte[] readHeader(long uid) throws StoreException;

    /**
     * Changes flags of the messages with these UIDs (UIDs not in the view are ignored) and
     * returns their new state. Keywords are created as needed. Refused when read-only.
     */
    List<StoredMessage> setFlags(Collection<Long> uids, Set<String> flags, FlagMode mode) throws StoreException;

    /**
     * Removes the messages flagged {@code \Deleted} — all of them when {@code uids} is null,
     * else only those among {@code uids} (UID EXPUNGE) — rewriting the file safely (a crash
     * leaves the old or the new file, never a truncated one). Returns the UIDs removed, in
     * mailbox order. Refused when read-only.
     */
    List<Long> expunge(Collection<Long> uids) throws StoreException;

    /** Copies messages to another mailbox of the same store, keeping flags and dates. */
    CopyResult copyTo(Collection<Long> uids, String target) throws StoreException;

    /** Releases locks and caches; unwritten metadata (flags, \Recent) is written first. */
    @Override
    void close();
}
