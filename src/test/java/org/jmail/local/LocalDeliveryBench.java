package org.jmail.local;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jmail.posix.Posix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Throughput of local delivery alone (not a test): {@code mvn -o -q test -Dtest=LocalDeliveryBench
 * -Djmail.bench=true}. 4 KB messages to bench1..bench20 in a Debian-like spool (root:mail 2775).
 */
class LocalDeliveryBench {

    @TempDir
    Path dir;

    @Test
    void deliverManySmallMessages() throws Exception {
        assumeTrue(Boolean.getBoolean("jmail.bench"), "benchmark: -Djmail.bench=true");
        assumeTrue(Posix.getpwnam("bench1") != null, "bench users");
        LocalHarness h = new LocalHarness(dir);
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
        int mail = Posix.getgrnam("mail");
        if (mail >= 0) {
            Files.setAttribute(h.spool, "unix:gid", mail);
            Files.setAttribute(h.spool, "unix:mode", 02775);
        }
        StringBuilder sb = new StringBuilder("From: loadgen@example.tst\nTo: x\nSubject: load\n\n");
        while (sb.length() < 4096) {
            sb.append("0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz\n");
        }
        String content = sb.toString();
        LocalDeliveryAgent agent = h.agent();
        int threads = Integer.getInteger("jmail.bench.threads", 4);
        int n = Integer.getInteger("jmail.bench.n", 20000);
        for (int round = 0; round < 2; round++) {
            AtomicInteger next = new AtomicInteger();
            AtomicInteger failed = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            long t0 = System.nanoTime();
            for (int t = 0; t < threads; t++) {
                pool.submit(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < n) {
                        FakeRequest r = new FakeRequest("B" + i, "loadgen@example.tst", content,
                                "bench" + (i % 20 + 1) + "@host.example");
                        agent.deliver(r);
                        agent.afterCommit(r);
                        if (!r.only().kind().equals("sent")) {
                            failed.incrementAndGet();
                        }
                    }
                    return null;
                });
            }
            pool.shutdown();
            pool.awaitTermination(10, TimeUnit.MINUTES);
            double secs = (System.nanoTime() - t0) / 1e9;
            System.out.printf("round %d: %d messages, %d threads, %.2f s, %.0f msg/s, %d failed%n",
                    round, n, threads, secs, n / secs, failed.get());
        }
    }
}
