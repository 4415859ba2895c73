/**
 * imap: jmail's IMAP4rev1 server (RFC 3501 with IDLE, UIDPLUS, MOVE, NAMESPACE, ENABLE,
 * LITERAL+, SPECIAL-USE, CHILDREN, UNSELECT, ID, SASL-IR, QUOTA), answering as Dovecot 2.3.
 *
 * <ul>
 * <li>{@link org.jmail.imap.ImapServer} — the network shell ({@link org.jmail.net.ConnectionHandler}):
 *     implicit TLS, STARTTLS, read timeouts.</li>
 * <li>{@code ImapSession} — the protocol state machine (pre-login as imap-login, then imap);
 *     {@code ImapParser}/{@code ImapInput} read commands and literals with limits,
 *     {@code ImapWriter} buffers replies.</li>
 * <li>Commands: {@code MailboxCommands} (authenticated state), {@code SelectedCommands}
 *     (selected state), {@code FetchCommand}, {@code SearchCommand}.</li>
 * <li>Message views, knowing nothing of storage: {@code MessageHeader}, {@code Envelope},
 *     {@code MimePart} (BODYSTRUCTURE and sections).</li>
 * </ul>
 * The mailboxes come from {@link org.jmail.store.MailStores}; this package never touches files.
 */
package org.jmail.imap;
