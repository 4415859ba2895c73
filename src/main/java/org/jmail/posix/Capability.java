package org.jmail.posix;

/**
 * Linux capabilities (capabilities(7)), numbered as in {@code <linux/capability.h>}; the
 * names are the kernel's without the {@code CAP_} prefix, as {@code /proc/PID/status} and
 * {@code capsh --decode} spell them in lower case.
 */
public enum Capability {
    CHOWN, DAC_OVERRIDE, DAC_READ_SEARCH, FOWNER, FSETID, KILL, SETGID, SETUID, SETPCAP,
    LINUX_IMMUTABLE, NET_BIND_SERVICE, NET_BROADCAST, NET_ADMIN, NET_RAW, IPC_LOCK, IPC_OWNER,
    SYS_MODULE, SYS_RAWIO, SYS_CHROOT, SYS_PTRACE, SYS_PACCT, SYS_ADMIN, SYS_BOOT, SYS_NICE,
    SYS_RESOURCE, SYS_TIME, SYS_TTY_CONFIG, MKNOD, LEASE, AUDIT_WRITE, AUDIT_CONTROL, SETFCAP,
    MAC_OVERRIDE, MAC_ADMIN, SYSLOG, WAKE_ALARM, BLOCK_SUSPEND, AUDIT_READ, PERFMON, BPF,
    CHECKPOINT_RESTORE;

    /** The kernel's number for this capability. */
    public int number() {
        return ordinal();
    }

    /** This capability's bit in a 64-bit mask such as /proc's CapEff. */
    public long bit() {
        return 1L << ordinal();
    }

    /** {@code cap_net_bind_service}, as capsh and systemd print it. */
    public String capName() {
        return "cap_" + name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The capabilities whose bits are set in {@code mask}. */
    public static java.util.EnumSet<Capability> fromMask(long mask) {
        java.util.EnumSet<Capability> set = java.util.EnumSet.noneOf(Capability.class);
        for (Capability c : values()) {
            if ((mask & c.bit()) != 0) {
                set.add(c);
            }
        }
        return set;
    }

    public static long mask(java.util.Set<Capability> caps) {
        long m = 0;
        for (Capability c : caps) {
            m |= c.bit();
        }
        return m;
    }
}
