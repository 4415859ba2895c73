package org.jmail.posix;

import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

/**
 * Reads and shrinks the calling thread's Linux capability sets (capget(2), capset(2),
 * prctl(2) PR_CAPBSET_DROP and PR_CAP_AMBIENT).
 *
 * <p>Linux keeps capabilities per thread, and a new thread copies its creator's sets; so a
 * call here limits the calling thread and every thread it (or its descendants) start later,
 * not threads that already exist. Dropping from the bounding set as well matters for child
 * processes: a root process that exec()s a program regains every capability left in its
 * bounding set (capabilities(7), "capabilities and execution of programs by root").
 *
 * <p>Nothing here can add a capability: a set only ever shrinks.
 */
public final class Capabilities {

    private static final int PR_CAPBSET_DROP = 24;
    private static final int PR_CAP_AMBIENT = 47;
    private static final int PR_CAP_AMBIENT_CLEAR_ALL = 4;
    private static final int LINUX_CAPABILITY_VERSION_3 = 0x20080522;

    /** One thread's sets, as 64-bit masks (bit n = capability n). */
    public record Sets(long effective, long permitted, long inheritable) {
        public EnumSet<Capability> effectiveSet() {
            return Capability.fromMask(effective);
        }
    }

    private Capabilities() {
    }

    /** The calling thread's effective, permitted and inheritable sets. */
    public static Sets current() throws PosixException {
        int[] header = {LINUX_CAPABILITY_VERSION_3, 0};
        int[] data = new int[6];
        if (LibC.API.capget(header, data) < 0) {
            throw PosixException.of(LibC.errno(), "capget");
        }
        return new Sets(join(data[0], data[3]), join(data[1], data[4]), join(data[2], data[5]));
    }

    /**
     * Limits the calling thread to {@code keep}: every other capability leaves its bounding,
     * permitted, effective, inheritable and ambient sets. A capability in {@code keep} that
     * the thread does not hold stays absent. Returns what was actually removed from the
     * permitted set (empty for an ordinary user, who holds none).
     */
    public static EnumSet<Capability> limitTo(Set<Capability> keep) throws PosixException {
        Sets before = current();
        long keepMask = Capability.mask(keep);
        // The bounding set first: dropping from it needs CAP_SETPCAP, which may go below.
        if ((before.effective() & Capability.SETPCAP.bit()) != 0) {
            int last = lastCapability();
            for (int n = 0; n <= last; n++) {
                if ((keepMask & (1L << n)) == 0 && LibC.API.prctl(PR_CAPBSET_DROP, n, 0, 0, 0) < 0) {
                    int err = LibC.errno();
                    if (err != 22) { // EINVAL: a capability this kernel does not have
                        throw PosixException.of(err, "prctl(PR_CAPBSET_DROP, " + n + ")");
                    }
                }
            }
        }
        LibC.API.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0); // EINVAL before 4.3: none to clear
        long permitted = before.permitted() & keepMask;
        long effective = before.effective() & keepMask;
        int[] header = {LINUX_CAPABILITY_VERSION_3, 0};
        int[] data = {(int) effective, (int) permitted, 0, (int) (effective >>> 32), (int) (permitted >>> 32), 0};
        if (LibC.API.capset(header, data) < 0) {
            throw PosixException.of(LibC.errno(), "capset");
        }
        return Capability.fromMask(before.permitted() & ~keepMask);
    }

    /** The calling thread's bounding set, from /proc (there is no system call that reads it whole). */
    public static long boundingSet() throws IOException {
        return statusMask(Path.of("/proc/thread-self/status"), "CapBnd:");
    }

    /** A capability mask line ({@code CapEff:}, {@code CapBnd:} ...) of a /proc status file. */
    public static long statusMask(Path status, String field) throws IOException {
        for (String line : readProc(status).split("\n")) {
            if (line.startsWith(field)) {
                return Long.parseUnsignedLong(line.substring(field.length()).trim(), 16);
            }
        }
        throw new IOException(status + ": no " + field + " line");
    }

    private static int lastCapability() {
        try {
            return Integer.parseInt(readProc(Path.of("/proc/sys/kernel/cap_last_cap")).trim());
        } catch (IOException | NumberFormatException e) {
            return Capability.values().length - 1;
        }
    }

    /**
     * Reads a /proc file with plain read(2) calls: Files.readAllBytes trusts the reported
     * size, and on some kernels a sysctl file then reads short ("4" for "40").
     */
    private static String readProc(Path p) throws IOException {
        try (java.io.InputStream in = new java.io.FileInputStream(p.toFile())) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
        }
    }

    private static long join(int low, int high) {
        return (low & 0xffffffffL) | ((long) high << 32);
    }
}
