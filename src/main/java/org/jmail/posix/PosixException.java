package org.jmail.posix;

import java.io.IOException;
import jnr.constants.platform.Errno;

/**
 * A system call failed. {@link #errno()} is the C errno value (0 when the failure is a policy
 * decision with no errno, e.g. "file is a symbolic link"); {@link #reason()} is the text a
 * Postfix log line would show, e.g. {@code cannot open file: Permission denied}.
 */
public class PosixException extends IOException {
    private static final long serialVersionUID = 1L;

    public static final int EPERM = code(Errno.EPERM, 1);
    public static final int ENOENT = code(Errno.ENOENT, 2);
    public static final int ESRCH = code(Errno.ESRCH, 3);
    public static final int EINTR = code(Errno.EINTR, 4);
    public static final int EAGAIN = code(Errno.EAGAIN, 11);
    public static final int EACCES = code(Errno.EACCES, 13);
    public static final int EEXIST = code(Errno.EEXIST, 17);
    public static final int EISDIR = code(Errno.EISDIR, 21);
    public static final int EFBIG = code(Errno.EFBIG, 27);
    public static final int ENOSPC = code(Errno.ENOSPC, 28);
    public static final int ELOOP = code(Errno.ELOOP, 40);
    public static final int ESTALE = code(Errno.ESTALE, 116);
    public static final int EDQUOT = code(Errno.EDQUOT, 122);

    private final int errno;
    private final String reason;

    public PosixException(int errno, String reason) {
        super(reason);
        this.errno = errno;
        this.reason = reason;
    }

    /** "what: strerror(errno)", as Postfix's {@code %m}. */
    public static PosixException of(int errno, String what) {
        return new PosixException(errno, what + ": " + strerror(errno));
    }

    public int errno() {
        return errno;
    }

    public String reason() {
        return reason;
    }

    /** The C library's message for an errno value, e.g. "File too large". */
    public static String strerror(int errno) {
        Errno e = Errno.valueOf(errno);
        if (e != null && e.defined() && e.description() != null) {
            return e.description();
        }
        return "Unknown error " + errno;
    }

    private static int code(Errno e, int fallback) {
        return e.defined() ? e.intValue() : fallback;
    }
}
