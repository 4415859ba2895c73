package org.jmail.store;

import java.util.Set;

/**
 * One entry of {@link MailStore#list}: a mailbox name (hierarchy separated by
 * {@link MailStore#SEPARATOR}, INBOX spelled "INBOX") and its LIST attributes as IMAP spells
 * them: {@code \Noselect} (a directory only), {@code \NoInferiors} (an mbox file cannot hold
 * children), {@code \HasChildren}/{@code \HasNoChildren}, {@code \Marked}/{@code \UnMarked},
 * and a SPECIAL-USE attribute ({@code \Sent \Drafts \Trash \Junk \Archive}) where configured.
 */
public record MailboxInfo(String name, Set<String> attributes) {
}
