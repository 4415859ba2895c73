package org.jmail.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class CapabilitiesTest {

    /** Runs {@code work} on a fresh thread, so the test JVM's own threads keep their sets. */
    private static <T> T onFreshThread(java.util.concurrent.Callable<T> work) throws Exception {
        AtomicReference<Object> out = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                out.set(work.call());
            } catch (Exception e) {
                out.set(e);
            }
        });
        t.start();
        t.join();
        if (out.get() instanceof Exception e) {
            throw e;
        }
        @SuppressWarnings("unchecked")
        T r = (T) out.get();
        return r;
    }

    @Test
    void readsTheSameSetsAsProc() throws Exception {
        onFreshThread(() -> {
            Capabilities.Sets s = Capabilities.current();
            Path status = Path.of("/proc/thread-self/status");
            assertEquals(Capabilities.statusMask(status, "CapEff:"), s.effective());
            assertEquals(Capabilities.statusMask(status, "CapPrm:"), s.permitted());
            assertEquals(Capabilities.statusMask(status, "CapInh:"), s.inheritable());
            return null;
        });
    }

    @Test
    void workerLimitShrinksEverySetAndIsInheritedByNewThreads() throws Exception {
        assumeTrue(Posix.isRoot() && Capabilities.current().effectiveSet().contains(Capability.SETPCAP),
                "needs root with CAP_SETPCAP");
        long[] masks = onFreshThread(() -> {
            EnumSet<Capability> dropped = DaemonPrivileges.limitToWorker();
            assertTrue(dropped.contains(Capability.SYS_ADMIN), dropped.toString());
            assertTrue(dropped.contains(Capability.NET_BIND_SERVICE), dropped.toString());
            // a thread started now inherits the limited sets
            return onFreshThread(() -> {
                Path status = Path.of("/proc/thread-self/status");
                return new long[] {Capabilities.statusMask(status, "CapEff:"),
                        Capabilities.statusMask(status, "CapPrm:"), Capabilities.boundingSet()};
            });
        });
        long worker = Capability.mask(DaemonPrivileges.WORKER);
        assertEquals(worker, masks[0], "effective " + Long.toHexString(masks[0]));
        assertEquals(worker, masks[1], "permitted " + Long.toHexString(masks[1]));
        assertEquals(worker, masks[2], "bounding " + Long.toHexString(masks[2]));
        // and this (test) thread was not touched
        assertTrue(Capabilities.current().effectiveSet().contains(Capability.SETPCAP));
    }

    @Test
    void aLimitNeverAddsWhatTheThreadLacks() throws Exception {
        assumeTrue(Posix.isRoot() && Capabilities.current().effectiveSet().contains(Capability.SETPCAP),
                "needs root with CAP_SETPCAP");
        EnumSet<Capability> after = onFreshThread(() -> {
            Capabilities.limitTo(EnumSet.of(Capability.CHOWN));
            Capabilities.limitTo(EnumSet.of(Capability.CHOWN, Capability.SYS_ADMIN, Capability.KILL));
            return Capabilities.current().effectiveSet();
        });
        assertEquals(EnumSet.of(Capability.CHOWN), after);
    }

    @Test
    void launchPrefixLimitsTheBoundingSetToTheDaemonSet() throws Exception {
        var prefix = DaemonPrivileges.launchPrefix();
        assumeTrue(!prefix.isEmpty(), "setpriv missing or not root");
        var r = new ProcessBuilder(new java.util.ArrayList<>(prefix) {{
            add("grep");
            add("^CapBnd");
            add("/proc/self/status");
        }}).redirectErrorStream(true).start();
        String out = new String(r.getInputStream().readAllBytes()).trim();
        assertEquals(0, r.waitFor(), out);
        EnumSet<Capability> expected = EnumSet.copyOf(DaemonPrivileges.DAEMON);
        expected.add(Capability.SETPCAP);
        assertEquals(Capability.mask(expected), Long.parseUnsignedLong(out.substring("CapBnd:".length()).trim(), 16), out);
    }
}
