package org.jmail.fuzz;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A seeded, structure-aware fuzzer for one target, run inside the JUnit suite (Jazzer is not
 * available offline, and a seeded generator keeps CI deterministic).
 *
 * <p>A run: every seed in {@code src/test/resources/fuzz/<target>/} first (the kept corpus:
 * valid samples plus every input that ever failed), then a few fixed extreme inputs (10 MB of
 * random bytes, the first seed repeated to 10 MB, 1 MB of open brackets; smaller for slow targets), then
 * {@code iterations} inputs from the {@link Mutator}. Each input runs on a worker thread:
 * <ul>
 * <li>an exception escaping {@link Target#run} is a failure (targets catch their component's
 *     documented exceptions and let everything else through);</li>
 * <li>not finishing within the per-input deadline is a failure (a hang or a blow-up);</li>
 * <li>allocating more than {@code baseBytes + perInputByte * input.length} on the worker
 *     thread (measured with {@code com.sun.management.ThreadMXBean}) is a failure: the
 *     component's memory use must be bounded by its input, not by numbers inside it.</li>
 * </ul>
 * A failing generated input is written to the corpus directory as {@code crash-<sha1>} so the
 * next run (and CI) replays it first; the summary line printed at the end gives the seed and
 * counts ("fuzz smtpd: seed=… inputs=…").
 *
 * <p>System properties: {@code jmail.fuzz.iterations} (generated inputs per target; the
 * default keeps the whole fuzz suite under a minute), {@code jmail.fuzz.seed} (the random
 * seed, default fixed), {@code jmail.fuzz.timeout} (per-input deadline in ms).
 */
final class Fuzzer {

    /** The component under test, fed one input. */
    @FunctionalInterface
    interface Target {
        void run(byte[] input) throws Exception;
    }

    static final long DEFAULT_SEED = 0x6a6d61696cL; // "jmail"
    private static final int HUGE = 10 * 1024 * 1024;
    /** Inputs kept in the repository stay small; a bigger failure is replayed from its seed. */
    private static final int MAX_SAVED = 256 * 1024;

    private final String name;
    private final Target target;
    private int iterations;
    private List<String> dictionary = List.of();
    private int maxLength = 64 * 1024;
    private long baseBytes = 64L * 1024 * 1024;
    private long perInputByte = 16;
    private boolean extremes = true;
    private int extremeSize = HUGE;

    private Fuzzer(String name, Target target, int defaultIterations) {
        this.name = name;
        this.target = target;
        this.iterations = Integer.getInteger("jmail.fuzz.iterations", defaultIterations);
    }

    /** A fuzzer for the target whose corpus is {@code src/test/resources/fuzz/<name>/}. */
    static Fuzzer of(String name, int defaultIterations, Target target) {
        return new Fuzzer(name, target, defaultIterations);
    }

    /** Keywords the mutator inserts (commands, parameters, syntax pieces). */
    Fuzzer dictionary(List<String> words) {
        this.dictionary = words;
        return this;
    }

    /** The allocation bound: base plus so many bytes per input byte. */
    Fuzzer allocation(long base, long perByte) {
        this.baseBytes = base;
        this.perInputByte = perByte;
        return this;
    }

    Fuzzer maxLength(int n) {
        this.maxLength = n;
        return this;
    }

    /** Skips the fixed 10 MB inputs (for targets whose inputs are small by contract). */
    Fuzzer noExtremes() {
        this.extremes = false;
        return this;
    }

    /** The size of the fixed extreme inputs (default 10 MB). */
    Fuzzer extremeSize(int bytes) {
        this.extremeSize = bytes;
        return this;
    }

    static Path corpusDir(String target) {
        String base = System.getProperty("basedir", System.getProperty("user.dir"));
        return Path.of(base, "src", "test", "resources", "fuzz", target);
    }

    /** Runs seeds, extremes and generated inputs; throws AssertionError listing the failures. */
    Result run() throws IOException, InterruptedException {
        long seed = Long.getLong("jmail.fuzz.seed", DEFAULT_SEED) ^ name.hashCode();
        long timeoutMs = Long.getLong("jmail.fuzz.timeout", 20_000);
        Random random = new Random(seed);
        Path dir = corpusDir(name);
        List<byte[]> corpus = loadCorpus(dir);
        Mutator mutator = new Mutator(random, corpus, dictionary, maxLength, 1024 * 1024);
        List<String> failures = new ArrayList<>();
        long started = System.nanoTime();
        Worker worker = new Worker(name);
        int run = 0;
        long maxAllocated = 0;
        try {
            for (byte[] in : corpus) {
                maxAllocated = Math.max(maxAllocated, check(worker, in, timeoutMs, failures, null, "a corpus seed"));
                run++;
            }
            if (extremes) {
                List<byte[]> big = new ArrayList<>();
                big.add(mutator.randomBytes(extremeSize));
                if (!corpus.isEmpty()) {
                    big.add(Mutator.repeat(corpus.get(0), extremeSize / Math.max(1, corpus.get(0).length), extremeSize));
                }
                big.add(Mutator.repeat("(".getBytes(StandardCharsets.US_ASCII), extremeSize / 10, extremeSize));
                for (byte[] in : big) {
                    maxAllocated = Math.max(maxAllocated, check(worker, in, timeoutMs, failures, null, "a fixed extreme input"));
                    run++;
                }
            }
            long extremesDone = System.nanoTime();
            if (Boolean.getBoolean("jmail.fuzz.verbose")) {
                System.out.println("fuzz " + name + ": corpus and extremes took " + (extremesDone - started) / 1_000_000 + " ms");
            }
            for (int i = 0; i < iterations && failures.size() < 10; i++) {
                byte[] in = mutator.next();
                maxAllocated = Math.max(maxAllocated, check(worker, in, timeoutMs, failures, dir, null));
                run++;
            }
        } finally {
            worker.stop();
        }
        long ms = (System.nanoTime() - started) / 1_000_000;
        Result r = new Result(name, seed, corpus.size(), run, ms, maxAllocated, failures);
        System.out.println(r);
        if (!failures.isEmpty()) {
            throw new AssertionError(r + "\n" + String.join("\n", failures));
        }
        return r;
    }

    /** What a run did, for the test output and the lead's report. */
    record Result(String target, long seed, int seeds, int inputs, long millis, long maxAllocated,
                  List<String> failures) {
        @Override
        public String toString() {
            return String.format("fuzz %s: seed=0x%x corpus=%d inputs=%d failures=%d time=%dms max-alloc=%dKB",
                    target, seed, seeds, inputs, failures.size(), millis, maxAllocated / 1024);
        }
    }

    private long check(Worker worker, byte[] in, long timeoutMs, List<String> failures, Path saveTo, String label)
            throws InterruptedException, IOException {
        String problem;
        long allocated = 0;
        Future<Long> f = worker.submit(in);
        try {
            allocated = f.get(timeoutMs, TimeUnit.MILLISECONDS);
            long bound = baseBytes + perInputByte * in.length;
            problem = allocated > bound ? "allocated " + allocated + " bytes for a " + in.length
                    + "-byte input (bound " + bound + ")" : null;
        } catch (TimeoutException e) {
            problem = "no result within " + timeoutMs + " ms (hang?):\n" + worker.stackTrace();
            worker.abandon();
        } catch (ExecutionException e) {
            StringWriter sw = new StringWriter();
            e.getCause().printStackTrace(new PrintWriter(sw));
            problem = sw.toString();
        }
        if (problem != null) {
            String where = label;
            if (saveTo != null) {
                if (in.length > MAX_SAVED) {
                    where = "not saved: larger than " + MAX_SAVED + " bytes; replay with the seed";
                } else {
                    Path file = saveTo.resolve("crash-" + sha1(in));
                    Files.createDirectories(saveTo);
                    if (!Files.exists(file)) {
                        Files.write(file, in);
                    }
                    where = file.toString();
                }
            }
            failures.add("--- input " + preview(in) + " (" + in.length + " bytes, " + where + "):\n"
                    + abbreviate(problem));
        }
        return allocated;
    }

    private static String abbreviate(String s) {
        return s.length() > 4000 ? s.substring(0, 4000) + "..." : s;
    }

    static String preview(byte[] in) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < Math.min(in.length, 120); i++) {
            int c = in[i] & 0xff;
            if (c == '\r') {
                sb.append("\\r");
            } else if (c == '\n') {
                sb.append("\\n");
            } else if (c < 0x20 || c >= 0x7f) {
                sb.append(String.format("\\x%02x", c));
            } else {
                sb.append((char) c);
            }
        }
        return sb.append(in.length > 120 ? "\"..." : "\"").toString();
    }

    /** The kept corpus: every regular file directly in the directory (not known-failures/). */
    static List<byte[]> loadCorpus(Path dir) throws IOException {
        List<byte[]> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
                out.add(Files.readAllBytes(p));
            }
        }
        return out;
    }

    private static String sha1(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(b)).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The worker thread, replaced when an input hangs (a stuck thread can't be killed). */
    private final class Worker {
        private final String name;
        private ExecutorService pool;
        private volatile Thread thread;

        Worker(String name) {
            this.name = name;
            this.pool = newPool();
        }

        private ExecutorService newPool() {
            return Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "fuzz-" + name);
                t.setDaemon(true);
                thread = t;
                return t;
            });
        }

        Future<Long> submit(byte[] in) {
            return pool.submit(() -> {
                com.sun.management.ThreadMXBean mx =
                        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
                long before = mx.getCurrentThreadAllocatedBytes();
                target.run(in);
                return mx.getCurrentThreadAllocatedBytes() - before;
            });
        }

        String stackTrace() {
            Thread t = thread;
            StringBuilder sb = new StringBuilder();
            if (t != null) {
                for (StackTraceElement e : t.getStackTrace()) {
                    sb.append("\tat ").append(e).append('\n');
                    if (sb.length() > 3000) {
                        break;
                    }
                }
            }
            return sb.toString();
        }

        void abandon() {
            pool.shutdownNow();
            pool = newPool();
        }

        void stop() {
            pool.shutdownNow();
        }
    }
}
