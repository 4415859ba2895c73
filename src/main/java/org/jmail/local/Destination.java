package org.jmail.local;

import java.util.Map;
import org.jmail.posix.UnixUser;

/**
 * Where recipient expansion decided a copy of the message goes. Expansion only decides; the
 * executors ({@link MailboxDelivery}, {@link CommandDelivery}, {@link Forwarder}) write, so
 * that copies for the same mailbox can be appended together.
 */
sealed interface Destination permits Destination.MailboxCopy, Destination.CommandRun, Destination.Forward {

    /** The top-level recipient this destination reports to. */
    RecipientJob job();

    /** The address this destination was expanded for (logged as to=), or null for the job's recipient. */
    default String address() {
        return null;
    }

    /** Records the outcome of this destination on its job. */
    default void report(Status s) {
        job().add(s.at(address()));
    }

    /**
     * An mbox append: the user's mailbox ({@code account} set) or a {@code /file} from an
     * alias or .forward ({@code account} null, written as {@code uid}/{@code gid}).
     *
     * @param deliveredTo Delivered-To value, or null when the header is off for files
     * @param address     the recipient address this copy is for (alias or .forward member)
     */
    record MailboxCopy(RecipientJob job, String path, UnixUser account, int uid, int gid, String sender,
                       String originalRecipient, String deliveredTo, String address) implements Destination {
        boolean isMailbox() {
            return account != null;
        }
    }

    /** A {@code |command} (or mailbox_command) run as {@code uid}/{@code gid}. */
    record CommandRun(RecipientJob job, String command, int uid, int gid, Map<String, String> env, String sender,
                      String originalRecipient, String deliveredTo, String address) implements Destination {
    }

    /** A resubmission of the message to {@code address} through cleanup. */
    record Forward(RecipientJob job, String address, String sender, String originalRecipient,
                   String deliveredTo) implements Destination {
    }
}
