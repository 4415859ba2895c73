package org.jmail.posix;

import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the daemon keeps of root's power, and where. jmail is one process where Postfix and
 * Dovecot use several (root master, unprivileged smtpd/imap-login, root local(8) and auth),
 * so it keeps the union of what their root parts need, as capabilities, and nothing else
 * (docs/security.md gives each one's reason):
 * <ul>
 * <li>{@link #DAEMON}, held by the thread that binds listening sockets (start and reload):
 *     {@link #WORKER} plus {@code NET_BIND_SERVICE} for ports below 1024;
 * <li>{@link #WORKER}, held by every thread that serves a connection, delivers or runs the
 *     queue: per-thread {@code SETUID}/{@code SETGID} (file access as the mailbox owner,
 *     command deliveries as the user), {@code CHOWN}/{@code FOWNER}/{@code FSETID} (a new
 *     mbox owned by its user, group mail, 0660), {@code DAC_OVERRIDE}/{@code DAC_READ_SEARCH}
 *     (the spool and users' homes while the thread works as root), {@code KILL} (ending a
 *     timed-out command that runs as another user).
 * </ul>
 * The kernel clears the file-access capabilities from a thread's effective set while its
 * fsuid is not 0, so a thread working as a user has that user's rights only.
 */
public final class DaemonPrivileges {

    public static final Set<Capability> WORKER = Set.copyOf(EnumSet.of(
            Capability.SETUID, Capability.SETGID, Capability.CHOWN, Capability.FOWNER, Capability.FSETID,
            Capability.DAC_OVERRIDE, Capability.DAC_READ_SEARCH, Capability.KILL));

    public static final Set<Capability> DAEMON;

    static {
        EnumSet<Capability> d = EnumSet.copyOf(WORKER);
        d.add(Capability.NET_BIND_SERVICE);
        DAEMON = Set.copyOf(d);
    }

    private DaemonPrivileges() {
    }

    /**
     * Limits the calling thread (and the threads it starts) to {@link #DAEMON} plus
     * {@code SETPCAP}, which each thread needs to narrow its own bounding set once more:
     * follow with {@link #sealDaemon} or {@link #limitToWorker} on every such thread.
     * Returns what went.
     */
    public static EnumSet<Capability> limitToDaemon() throws PosixException {
        EnumSet<Capability> keep = EnumSet.copyOf(DAEMON);
        keep.add(Capability.SETPCAP);
        return Capabilities.limitTo(keep);
    }

    /** Limits the calling thread to {@link #DAEMON} exactly, after {@link #limitToDaemon}. */
    public static EnumSet<Capability> sealDaemon() throws PosixException {
        return Capabilities.limitTo(DAEMON);
    }

    /** Limits the calling thread (and the threads it starts) to {@link #WORKER}; returns what went. */
    public static EnumSet<Capability> limitToWorker() throws PosixException {
        return Capabilities.limitTo(WORKER);
    }

    /**
     * The command prefix that starts the daemon's JVM with its bounding set already limited
     * to {@link #DAEMON} (setpriv(1) of util-linux), so that the JVM's own threads (compiler,
     * collector, signal dispatcher), which exist before jmail's code can limit anything, hold
     * no more than that either. Empty when setpriv is missing or the caller can't change its
     * bounding set (not root, or in a container without CAP_SETPCAP).
     */
    public static java.util.List<String> launchPrefix() {
        java.io.File setpriv = new java.io.File("/usr/bin/setpriv");
        try {
            if (!setpriv.canExecute() || !Capabilities.current().effectiveSet().contains(Capability.SETPCAP)) {
                return java.util.List.of();
            }
        } catch (PosixException | LinkageError e) {
            return java.util.List.of();
        }
        EnumSet<Capability> keep = EnumSet.copyOf(DAEMON);
        keep.add(Capability.SETPCAP); // the daemon narrows each thread's set further
        return java.util.List.of(setpriv.getPath(), "--bounding-set", "-all," + keep.stream()
                .map(c -> "+" + c.name().toLowerCase(java.util.Locale.ROOT)).collect(Collectors.joining(",")));
    }

    /** The calling thread's effective set as capsh spells it: {@code cap_chown,cap_kill} or {@code none}. */
    public static String effective() throws PosixException {
        EnumSet<Capability> kept = Capabilities.current().effectiveSet();
        return kept.isEmpty() ? "none" : kept.stream().map(Capability::capName).collect(Collectors.joining(","));
    }
}
