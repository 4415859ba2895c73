package org.jmail.mailbox;

import java.io.IOException;

/**
 * A mailbox could not be opened, locked or updated. {@link #errno()} is the underlying C
 * errno (EAGAIN for "someone else holds the lock", EFBIG for a size limit, ENOSPC for a full
 * disk, 0 when there is none); {@link #reason()} is Postfix's wording of the problem, e.g.
 * {@code unable to create lock file /var/mail/u.lock: File exists} or
 * {@code error writing message: File too large}. Callers turn the errno into a DSN code.
 */
public class MboxException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int errno;
    private final String reason;

    public MboxException(int errno, String reason) {
        super(reason);
        this.errno = errno;
        this.reason = reason;
    }

    public MboxException(int errno, String reason, Throwable cause) {
        super(reason, cause);
        this.errno = errno;
        this.reason = reason;
    }

    public int errno() {
        return errno;
    }

    public String reason() {
        return reason;
    }
}
