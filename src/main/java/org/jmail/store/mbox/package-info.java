/**
 * The Dovecot-compatible mbox store behind IMAP and POP3 ({@link org.jmail.store.mbox.MboxMailStores}).
 *
 * <h2>Layout</h2>
 * {@code mail_location} as Dovecot parses it ({@link org.jmail.store.mbox.MailLocation}):
 * INBOX is the spool file, folder "a/b" is the mbox {@code ROOT/a/b}, directories are
 * {@code \Noselect} folders, {@code ROOT/.subscriptions} is Dovecot's v2 subscriptions file,
 * and jmail's index for "a/b" is {@code INDEX/a/.imap/b/jmail.index} (INDEX defaults to ROOT;
 * INBOX's is {@code INDEX/.imap/INBOX/jmail.index}) next to Dovecot's {@code dovecot.index*},
 * which jmail never touches. Sent, Drafts, Trash and Junk are created at the first login.
 *
 * <h2>Metadata in the mbox, as Dovecot 2.3 reads and writes it</h2>
 * First message: {@code X-IMAPbase: UIDVALIDITY LASTUID(%010u) keywords...} (or the c-client
 * pseudo message "DON'T DELETE THIS MESSAGE -- FOLDER INTERNAL DATA" with {@code X-IMAP}, which
 * jmail reads, keeps, and writes when an expunge empties the mailbox, as Dovecot does). Every
 * message: {@code X-UID}, {@code Status} (R = \Seen, O = not \Recent), {@code X-Status}
 * (A F T D), {@code X-Keywords} with padding spaces, {@code Content-Length}. UIDs follow
 * Dovecot's rules (mbox-sync-parse.c): an X-UID is taken when it is above the previous one
 * and not above the next expected UID; messages without one get the next UIDs in file order.
 * These headers never reach clients; sizes are CRLF sizes without them.
 *
 * <h2>Index ({@code jmail.index})</h2>
 * Binary, big-endian, CRC32C-checked ({@link org.jmail.store.mbox.MboxIndexFile} documents the
 * exact layout): the mbox's dev/ino/size/mtime(ns), UIDVALIDITY, next UID, the X-IMAPbase last
 * UID and keyword list as on disk, and per message the offsets of From_ line, header, body,
 * body end and next message, UID, the X-UID found in the file, flags (incl. not-recent), a
 * dirty bit (metadata not yet written to the file), keywords, CRLF size and internal date.
 * Equal stamp → the mbox is not read at all (SELECT of 100,000 messages reads only the index);
 * same inode and a larger size → only the appended tail is parsed; anything else → a full
 * parse that keeps UIDs through X-UID headers. Written by temporary file + rename.
 *
 * <h2>Writes and locking</h2>
 * Locks as local delivery: dotlock {@code MBOX.lock} + fcntl (OFD) for writing, fcntl read lock
 * for parsing and reading (Dovecot's mbox_read_locks/mbox_write_locks); a lock not obtained
 * within {@code mbox_lock_timeout} is a TEMPORARY error. Flag changes are written into the
 * message header in place when Dovecot-style padding leaves room; otherwise, and for the
 * \Recent marks and UIDs of newly delivered mail, they stay in the index (dirty) until the
 * next rewrite: at EXPUNGE, or at close (Dovecot's mbox_lazy_writes) for files up to 256 MiB
 * or when a flag change is pending. APPEND/COPY append at the end under the lock, truncating
 * back on error.
 *
 * <h2>Expunge: rewrite by rename</h2>
 * A rewrite streams the kept messages into {@code .NAME.jmail-PID-N.tmp} in the mbox's own
 * directory, fsyncs it, gives it the old file's mode and owner, renames it over the mbox and
 * fsyncs the directory, all under the dotlock; the new file is fcntl-locked before the old
 * lock is released. A crash leaves either the old or the new complete file (never a truncated
 * one; at worst a hidden temporary file). Dovecot rewrites in place instead, which needs no
 * extra space but can leave a half-moved file. Interoperation: Dovecot, mutt and procmail take
 * the dotlock before opening, so they open the new file; jmail's local delivery opens first,
 * finds after locking that the path now names another inode, and reopens and relocks it
 * ({@code mailbox.MboxWriter}); readers holding the old file keep
 * reading a complete copy. The cost is free space for one copy of the mailbox while it runs.
 */
package org.jmail.store.mbox;
