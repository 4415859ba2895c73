package org.jmail.table;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Benchmark (not a test): how fast a 1,000,000-entry table compiles and answers.
 *
 * <p>Generates a postmap(1) source of N entries (default 1,000,000; first argument overrides)
 * in a temporary directory, times the build that postmap performs (parse, index, write, fsync,
 * rename), opens the compiled table as the daemon does ({@link Tables#open}) and times random
 * lookups, half hits and half misses, in one thread: throughput over 1,000,000 lookups and the
 * latency distribution of a sample. When /usr/sbin/postmap (real Postfix) exists it times
 * {@code postmap hash:} on the same source for comparison. The temporary directory is removed.
 *
 * <p>Run: {@code java -cp target/classes:$(deps) org.jmail.table.TableBenchmark [entries]}.
 */
public final class TableBenchmark {

    private TableBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int lookups = 1_000_000;
        TableLog.setSink(m -> System.err.println("warning: " + m));
        Path dir = Files.createTempDirectory("jmail-table-bench");
        try {
            Path src = dir.resolve("transport");
            Random rnd = new Random(1);
            long t0 = System.nanoTime();
            try (BufferedWriter w = Files.newBufferedWriter(src, StandardCharsets.UTF_8)) {
                for (int i = 0; i < n; i++) {
                    w.write(key(i));
                    w.write("\tsmtp:[relay" + (i % 97) + ".example.net]:25\n");
                }
            }
            long genMs = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf(Locale.ROOT, "source: %,d entries, %,d bytes (generated in %d ms)%n", n, Files.size(src),
                    genMs);

            for (int run = 1; run <= 3; run++) {
                long b0 = System.nanoTime();
                int stored = TableCompiler.compile("hash", src.toString(), false, TableCompiler.Options.DEFAULT);
                double secs = (System.nanoTime() - b0) / 1e9;
                System.out.printf(Locale.ROOT, "postmap hash:%s run %d: %.2f s (%,d entries, .db %,d bytes)%n", src,
                        run, secs, stored, Files.size(Path.of(src + ".db")));
            }

            long o0 = System.nanoTime();
            LookupTable table = Tables.open("hash:" + src);
            System.out.printf(Locale.ROOT, "open (mmap): %.2f ms%n", (System.nanoTime() - o0) / 1e6);

            String[] keys = new String[lookups];
            for (int i = 0; i < lookups; i++) {
                int k = rnd.nextInt(n);
                keys[i] = (i & 1) == 0 ? key(k) : "miss-" + key(k);
            }
            int hits = 0;
            for (int i = 0; i < 300_000; i++) { // warm-up for the JIT
                if (table.find(keys[i]) != null) {
                    hits++;
                }
            }
            hits = 0;
            long l0 = System.nanoTime();
            for (String k : keys) {
                if (table.find(k) != null) {
                    hits++;
                }
            }
            long elapsed = System.nanoTime() - l0;
            System.out.printf(Locale.ROOT, "lookups: %,d (%,d hits) in %.0f ms = %.2f us/lookup, %,.0f lookups/s%n",
                    lookups, hits, elapsed / 1e6, elapsed / 1e3 / lookups, lookups / (elapsed / 1e9));

            int sample = 100_000;
            long[] lat = new long[sample];
            for (int i = 0; i < sample; i++) {
                String k = keys[(i * 7919) % lookups];
                long s = System.nanoTime();
                table.find(k);
                lat[i] = System.nanoTime() - s;
            }
            java.util.Arrays.sort(lat);
            System.out.printf(Locale.ROOT, "latency: p50 %.2f us, p99 %.2f us, p99.9 %.2f us, max %.0f us%n",
                    lat[sample / 2] / 1e3, lat[sample * 99 / 100] / 1e3, lat[sample * 999 / 1000] / 1e3,
                    lat[sample - 1] / 1e3);

            long x0 = System.nanoTime();
            LookupTable th = Tables.openUncached("texthash:" + src);
            System.out.printf(Locale.ROOT, "texthash load of the same source: %.2f s%n", (System.nanoTime() - x0) / 1e9);
            th.find(keys[0]);

            Path postfix = Path.of("/usr/sbin/postmap");
            if (Files.isExecutable(postfix)) {
                Path copy = dir.resolve("postfix-transport");
                Files.copy(src, copy);
                long p0 = System.nanoTime();
                Process p = new ProcessBuilder(postfix.toString(), "hash:" + copy).inheritIO().start();
                int rc = p.waitFor();
                System.out.printf(Locale.ROOT, "Postfix /usr/sbin/postmap hash: %.2f s (exit %d)%n",
                        (System.nanoTime() - p0) / 1e9, rc);
            } else {
                System.out.println("Postfix /usr/sbin/postmap: not installed, no comparison");
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static String key(int i) {
        return "user" + i + "@domain" + (i % 1000) + ".example.com";
    }
}
