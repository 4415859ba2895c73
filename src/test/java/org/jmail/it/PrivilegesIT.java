package org.jmail.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jmail.posix.Capabilities;
import org.jmail.posix.Capability;
import org.jmail.posix.DaemonPrivileges;
import org.jmail.posix.Posix;
import org.junit.jupiter.api.Test;

/**
 * The daemon drops what it does not need once its ports are bound (issue 6): read from
 * /proc, thread by thread, while it serves a connection, after a reload that binds a new
 * port below 1024, and in a command delivery's child process.
 */
class PrivilegesIT {

    private static final long WORKER = Capability.mask(DaemonPrivileges.WORKER);
    private static final long DAEMON = Capability.mask(DaemonPrivileges.DAEMON);

    /** thread name (comm) → {CapEff, CapBnd} of every thread of the process. */
    private static Map<String, long[]> threads(long pid) throws IOException {
        Map<String, long[]> m = new LinkedHashMap<>();
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    String comm = Files.readString(t.resolve("comm")).strip() + "#" + t.getFileName();
                    Path status = t.resolve("status");
                    m.put(comm, new long[] {Capabilities.statusMask(status, "CapEff:"),
                            Capabilities.statusMask(status, "CapBnd:")});
                } catch (IOException gone) {
                    // a thread that ended meanwhile
                }
            }
        }
        return m;
    }

    private static int freePrivilegedPort() {
        for (int p = 700; p < 1000; p++) {
            try (ServerSocket s = new ServerSocket(p, 1, InetAddress.getLoopbackAddress())) {
                return p;
            } catch (IOException busy) {
                // next
            }
        }
        throw new AssertionError("no free port below 1000");
    }

    private static String banner(int port) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        }
    }

    @Test
    void onlyTheBinderKeepsNetBindServiceAndNoThreadKeepsMoreThanTheDaemonSet() throws Exception {
        assumeTrue(Posix.isRoot(), "the daemon only has capabilities to drop when started by root");
        int low = freePrivilegedPort();
        Path out = Files.createTempDirectory("jmail-caps-");
        new ProcessBuilder("chmod", "1777", out.toString()).start().waitFor();
        try (JmailInstance j = new JmailInstance()) {
            j.master("127.0.0.1:" + low + " inet n - n - - smtpd");
            Files.writeString(j.dir.resolve("aliases"), "postmaster: root\n"
                    + "capdump: \"|/bin/grep ^Cap /proc/self/status > " + out.resolve("child") + "\"\n");
            j.start();
            assertTrue(banner(low).startsWith("220 "), "port " + low + " below 1024 is served");
            assertTrue(j.logShows("privileges: capabilities kept cap_chown,cap_dac_override,"
                    + "cap_dac_read_search,cap_fowner,cap_fsetid,cap_kill,cap_setgid,cap_setuid "
                    + "(and cap_net_bind_service for binding listeners)"), j.logText());

            try (Socket held = new Socket("127.0.0.1", j.smtpPort)) {
                held.setSoTimeout(10_000);
                new BufferedReader(new InputStreamReader(held.getInputStream(), StandardCharsets.US_ASCII)).readLine();
                Map<String, long[]> th = threads(j.pid());
                int binders = 0;
                int served = 0;
                for (Map.Entry<String, long[]> e : th.entrySet()) {
                    String name = e.getKey();
                    long eff = e.getValue()[0];
                    long bnd = e.getValue()[1];
                    // nothing in the process, not even the JVM's own threads, can regain
                    // more than the daemon set (setpriv limits the bounding set at launch)
                    assertEquals(0, bnd & ~(DAEMON | Capability.SETPCAP.bit()), name + " bounding " + Long.toHexString(bnd));
                    if (name.startsWith("master-bind#")) {
                        binders++;
                        assertEquals(DAEMON, eff, name);
                        assertEquals(DAEMON, bnd, name);
                    } else if (name.startsWith("127.0.0.1:") || name.startsWith("accept-") || name.startsWith("qmgr")
                            || name.startsWith("pickup") || name.startsWith("master-control") || name.startsWith("log-file")) {
                        // connection threads are named after the master.cf service: 127.0.0.1:PORT-N
                        String conn = "127.0.0.1:" + j.smtpPort + "-";
                        served += name.startsWith(conn.substring(0, Math.min(15, conn.length()))) ? 1 : 0; // comm: 15 chars
                        assertEquals(WORKER, eff, name + " effective " + Long.toHexString(eff));
                        assertEquals(WORKER, bnd, name + " bounding " + Long.toHexString(bnd));
                    }
                }
                assertEquals(1, binders, th.keySet().toString());
                assertTrue(served >= 1, "the held connection's thread: " + th.keySet());
            }

            // a reload binds a second port below 1024 (the binder's job), served by worker threads
            int low2 = freePrivilegedPort();
            j.master("127.0.0.1:" + low2 + " inet n - n - - smtpd");
            j.writeConfig();
            assertEquals(0, j.jmail("reload").status());
            assertTrue(JmailInstance.waitFor(10_000, () -> {
                try {
                    return banner(low2).startsWith("220 ");
                } catch (IOException e) {
                    return false;
                }
            }), "port " + low2 + " bound on reload:\n" + j.logText());
            for (Map.Entry<String, long[]> e : threads(j.pid()).entrySet()) {
                if (e.getKey().startsWith("accept-")) {
                    assertEquals(WORKER, e.getValue()[0], e.getKey());
                }
            }

            // a command delivery's child can't regain what the daemon dropped
            JmailInstance.Result r = JmailInstance.run(java.util.List.of("swaks", "--server", "127.0.0.1:" + j.smtpPort,
                    "--from", "root@example.tst", "--to", "capdump@example.tst"), null);
            assertEquals(0, r.status(), r.output());
            Path child = out.resolve("child");
            assertTrue(JmailInstance.waitFor(20_000, () -> Files.exists(child)), j.logText());
            String caps = Files.readString(child);
            long childBnd = Long.parseUnsignedLong(caps.lines().filter(l -> l.startsWith("CapBnd:"))
                    .findFirst().orElseThrow().substring(7).trim(), 16);
            assertEquals(WORKER, childBnd, caps);
            long childEff = Long.parseUnsignedLong(caps.lines().filter(l -> l.startsWith("CapEff:"))
                    .findFirst().orElseThrow().substring(7).trim(), 16);
            assertEquals(0, childEff, "the command runs as default_privs, with no capability: " + caps);
            assertFalse(EnumSet.copyOf(Capability.fromMask(childBnd)).contains(Capability.SYS_ADMIN));
        }
    }
}
