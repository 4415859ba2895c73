package org.jmail.mailbox;

import org.jmail.posix.PosixException;

/**
 * Test hook in the spirit of Postfix's {@code fault_injection_code}: makes the next append on
 * the current thread fail with an errno after (part of) the data was written, so that the
 * rollback path can be tested without filling a disk. Inactive unless a test arms it.
 */
final class FaultInjection {

    private static final ThreadLocal<Integer> FAIL_AFTER_WRITE = new ThreadLocal<>();

    private FaultInjection() {
    }

    /** Arms a failure with {@code errno} after the write of the next append on this thread. */
    static void failNextAppend(int errno) {
        FAIL_AFTER_WRITE.set(errno);
    }

    static void beforeWrite(long len) {
        // reserved for a "fail before writing" variant
    }

    static void afterWrite() throws PosixException {
        Integer errno = FAIL_AFTER_WRITE.get();
        if (errno != null) {
            FAIL_AFTER_WRITE.remove();
            throw new PosixException(errno, "injected");
        }
    }
}
