package org.jmail.store;

/** IMAP STATUS items of a mailbox (the store computes them without a full SELECT when it can). */
public record MailboxStatus(long messages, long recent, long uidNext, long uidValidity, long unseen,
                            long highestModseq) {
}
