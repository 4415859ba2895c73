package org.jmail.store;

import java.util.List;

/**
 * What changed in a mailbox since this {@link Mailbox} instance last looked (its open, its
 * own last operation, or its last {@link Mailbox#sync}): messages others expunged (by UID),
 * messages that arrived (in mailbox order, to be appended to the client's view), and messages
 * whose flags others changed (new state). {@code uidValidityChanged} means the file was
 * replaced or rewritten beyond recognition: the session must end (IMAP BYE), as Dovecot does.
 */
public record SyncResult(List<Long> expunged, List<StoredMessage> added, List<StoredMessage> flagsChanged,
                         boolean uidValidityChanged) {

    public static final SyncResult NONE = new SyncResult(List.of(), List.of(), List.of(), false);

    public boolean isEmpty() {
        return expunged.isEmpty() && added.isEmpty() && flagsChanged.isEmpty() && !uidValidityChanged;
    }
}
