package org.jmail.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real jmail daemon in a temporary directory, driven through the installed launcher
 * ({@code target/jmail/bin/jmail}) exactly as an admin would: {@code jmail -c DIR start}.
 * Every path (queue, spool, log) lives under the directory, so instances don't interfere.
 */
public final class JmailInstance implements AutoCloseable {

    public static final Path HOME = Path.of(System.getProperty("jmail.home", "target/jmail")).toAbsolutePath();

    public final Path dir;
    public final int smtpPort;
    private final Map<String, String> settings = new LinkedHashMap<>();
    private final List<String> masterLines = new ArrayList<>();
    private boolean started;

    public JmailInstance() throws IOException {
        dir = Files.createTempDirectory("jmail-it-");
        dir.toFile().setExecutable(true, false);
        dir.toFile().setReadable(true, false);
        smtpPort = freePort();
        settings.put("myhostname", "mail.example.tst");
        settings.put("mydomain", "example.tst");
        settings.put("mydestination", "$myhostname, localhost.$mydomain, localhost, example.tst");
        settings.put("mynetworks", "127.0.0.0/8 [::1]/128");
        settings.put("inet_interfaces", "loopback-only");
        settings.put("queue_directory", dir.resolve("spool").toString());
        settings.put("data_directory", dir.resolve("lib").toString());
        settings.put("mail_spool_directory", dir.resolve("mail").toString());
        settings.put("maillog_file", dir.resolve("mail.log").toString());
        settings.put("alias_maps", "hash:" + dir.resolve("aliases"));
        settings.put("alias_database", "hash:" + dir.resolve("aliases"));
        settings.put("recipient_delimiter", "+");
        masterLines.add("127.0.0.1:" + smtpPort + " inet n - n - - smtpd");
        Files.writeString(dir.resolve("aliases"), "postmaster: root\n");
    }

    public JmailInstance set(String key, String value) {
        settings.put(key, value);
        return this;
    }

    public JmailInstance master(String line) {
        masterLines.add(line);
        return this;
    }

    public Path mailbox(String user) {
        return dir.resolve("mail").resolve(user);
    }

    public Path log() {
        return dir.resolve("mail.log");
    }

    /** Waits (up to 10 s) until the log, written asynchronously, contains {@code text}. */
    public boolean logShows(String text) throws InterruptedException {
        return waitFor(10_000, () -> {
            try {
                return logText().contains(text);
            } catch (IOException e) {
                return false;
            }
        });
    }

    public String logText() throws IOException {
        return Files.exists(log()) ? Files.readString(log(), StandardCharsets.UTF_8) : "";
    }

    public void writeConfig() throws IOException {
        Files.createDirectories(dir.resolve("mail"));
        // /var/mail is root:mail 2775 on Debian; tests run as root, users write via their identity
        new ProcessBuilder("chmod", "1777", dir.resolve("mail").toString()).start();
        StringBuilder sb = new StringBuilder();
        settings.forEach((k, v) -> sb.append(k).append(" = ").append(v).append('\n'));
        Files.writeString(dir.resolve("main.cf"), sb.toString());
        Files.writeString(dir.resolve("master.cf"), String.join("\n", masterLines) + "\n");
    }

    /** {@code jmail -c DIR start}; fails the test with the daemon's words if it can't start. */
    public JmailInstance start() throws Exception {
        writeConfig();
        if (settings.get("alias_database").equals("hash:" + dir.resolve("aliases"))) {
            Result n = tool("newaliases"); // as the admin would after editing the aliases file
            if (n.status() != 0) {
                throw new AssertionError("newaliases: " + n.output());
            }
        }
        Result r = jmail("start");
        if (r.status != 0) {
            throw new AssertionError("jmail start failed (" + r.status + "): " + r.output + "\nlog:\n" + logText());
        }
        started = true;
        long pid = pid();
        // a test JVM killed or timed out must not leave daemons behind
        Runtime.getRuntime().addShutdownHook(new Thread(() -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly)));
        return this;
    }

    public Result jmail(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(HOME.resolve("bin/jmail").toString());
        cmd.add("-c");
        cmd.add(dir.toString());
        cmd.addAll(List.of(args));
        return run(cmd, null);
    }

    /** Runs a tool through its symlink name (postmap, postconf, ...) with -c DIR first. */
    public Result tool(String name, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(HOME.resolve("bin").resolve(name).toString());
        cmd.add("-c");
        cmd.add(dir.toString());
        cmd.addAll(List.of(args));
        return run(cmd, null);
    }

    public static Result run(List<String> cmd, String stdin) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        Process p = pb.start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        // read in the background so that a hanging client fails the test instead of hanging it
        java.util.concurrent.CompletableFuture<String> out = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return e.toString();
            }
        });
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("timeout: " + cmd);
        }
        return new Result(p.exitValue(), out.get(10, TimeUnit.SECONDS));
    }

    public record Result(int status, String output) {
    }

    public long pid() throws IOException {
        return Long.parseLong(Files.readString(dir.resolve("spool/pid/master.pid")).strip());
    }

    @Override
    public void close() throws Exception {
        if (started) {
            jmail("stop");
            started = false;
        }
    }

    public static int freePort() throws IOException {
        // The kernel may hand out a just-closed port again: a test that takes two ports in a
        // row (jmail's and Dovecot's) then had both servers on one, and talked to the wrong one.
        while (true) {
            try (ServerSocket s = new ServerSocket(0)) {
                if (HANDED_OUT.add(s.getLocalPort())) {
                    return s.getLocalPort();
                }
            }
        }
    }

    /** Ports {@link #freePort} returned in this JVM: never returned twice. */
    private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Polls until the condition holds or the timeout passes. */
    public static boolean waitFor(long millis, java.util.function.BooleanSupplier cond) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < end) {
            if (cond.getAsBoolean()) {
                return true;
            }
            Thread.sleep(50);
        }
        return cond.getAsBoolean();
    }
}
