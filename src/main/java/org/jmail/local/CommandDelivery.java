package org.jmail.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jmail.local.Destination.CommandRun;
import org.jmail.mailbox.MboxFormat;
import org.jmail.posix.Posix;

/**
 * Pipes the message into a {@code |command} (Postfix's command.c and pipe_command(3)): run
 * with {@code /bin/sh -c} (or local_command_shell) as the delivery uid/gid (through
 * setpriv(1), since a JVM can't setuid in a child), with a clean environment (PATH, the
 * export_environment variables, HOME, LOGNAME, USER, SENDER, RECIPIENT, LOCAL, SHELL,
 * DOMAIN, EXTENSION, ORIGINAL_RECIPIENT), the queue directory as working directory, the
 * message on stdin preceded by From_, Return-Path, X-Original-To and Delivered-To lines, and
 * command_time_limit to finish.
 *
 * <p>The result follows sendmail's exit codes: 0 delivered ({@code delivered to command: CMD});
 * output starting with a DSN code ({@code 4.2.2 mailbox full}) gives that status; a
 * {@code <sysexits.h>} code gives its DSN and text, EX_TEMPFAIL (75) and EX_OSERR defer; any
 * other code bounces with {@code Command died with status N: "CMD"}. Up to 4 kB of output is
 * kept for the report ({@code . Command output: ...}).
 */
final class CommandDelivery {

    private static final int OUTPUT_LIMIT = 4096;
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "local-command-watchdog");
        t.setDaemon(true);
        return t;
    });

    private final LocalSettings settings;

    CommandDelivery(LocalSettings settings) {
        this.settings = settings;
    }

    Status run(CommandRun cmd, MessageContent msg, Instant time) {
        List<String> argv = new ArrayList<>();
        if (Posix.isRoot()) {
            argv.add(Files.isExecutable(Path.of("/usr/bin/setpriv")) ? "/usr/bin/setpriv" : "setpriv");
            argv.add("--reuid=" + cmd.uid());
            argv.add("--regid=" + cmd.gid());
            argv.add("--groups=" + cmd.gid());
            argv.add("--");
        }
        if (!settings.localCommandShell.isEmpty()) {
            argv.addAll(MainConfigSplit.words(settings.localCommandShell));
        } else {
            argv.add("/bin/sh");
            argv.add("-c");
        }
        argv.add(cmd.command());
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.clear();
        env.put("PATH", "/usr/bin:/bin");
        env.putAll(settings.exportedEnvironment);
        env.putAll(cmd.env());
        Path cwd = settings.queueDirectory;
        pb.directory(Files.isDirectory(cwd) ? cwd.toFile() : Path.of("/").toFile());

        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return Status.deferred("4.3.0", "Delivery failed: " + e.getMessage());
        }
        AtomicBoolean timedOut = new AtomicBoolean();
        byte[] output = new byte[OUTPUT_LIMIT];
        int[] outLen = {0};
        int[] outLenAtKill = {-1};
        long limit = Math.max(1, settings.commandTimeLimit.toMillis());
        ScheduledFuture<?> kill = WATCHDOG.schedule(() -> {
            synchronized (output) {
                outLenAtKill[0] = outLen[0]; // what the shell prints about the kill ("Killed") is not the command's
            }
            timedOut.set(true);
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }, limit, TimeUnit.MILLISECONDS);
        Thread reader = new Thread(() -> drain(p.getInputStream(), output, outLen), "local-command-output");
        reader.setDaemon(true);
        reader.start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(MboxFormat.envelope(cmd.sender(), time, ZoneId.systemDefault(), cmd.originalRecipient(),
                    cmd.deliveredTo()));
            in.write(msg.commandBody());
        } catch (IOException e) {
            // the command stopped reading early (EPIPE): not an error in itself
        }
        int exit;
        try {
            exit = p.waitFor();
            reader.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            return Status.deferred("4.3.0", "Command failed: interrupted: \"" + cmd.command() + "\"");
        } finally {
            kill.cancel(false);
        }
        String out;
        synchronized (output) {
            out = printable(output, timedOut.get() && outLenAtKill[0] >= 0 ? outLenAtKill[0] : outLen[0]);
        }
        String withOutput = out.isEmpty() ? "" : ". Command output: " + out;
        if (timedOut.get()) {
            return Status.bounced("5.3.0", "Command time limit exceeded: \"" + cmd.command() + "\"" + withOutput);
        }
        if (exit == 0) {
            return Status.sent("delivered to command: " + cmd.command());
        }
        String dsn = leadingDsn(out);
        if (dsn != null) {
            return Status.failed(dsn, out.substring(dsn.length()).strip());
        }
        SysExits.Detail d = SysExits.detail(exit);
        // Postfix's pipe_command(): dsb_unix(), so the DSN says x-unix and the exit status text
        if (SysExits.isSysExit(exit)) {
            return Status.failed(d.dsn(), d.text() + withOutput).diagnosed("x-unix; " + d.text());
        }
        return Status.bounced(d.dsn(), "Command died with status " + exit + ": \"" + cmd.command() + "\"" + withOutput)
                .diagnosed("x-unix; " + d.text());
    }

    private static void drain(InputStream in, byte[] output, int[] outLen) {
        byte[] buf = new byte[4096];
        try (in) {
            int n;
            while ((n = in.read(buf)) > 0) {
                synchronized (output) {
                    int take = Math.min(n, output.length - outLen[0]);
                    System.arraycopy(buf, 0, output, outLen[0], take);
                    outLen[0] += take;
                }
            }
        } catch (IOException ignored) {
            // process gone
        }
    }

    /** Tabs and newlines become spaces, other non-printable characters underscores. */
    static String printable(byte[] b, int n) {
        String s = new String(b, 0, n, StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\t' || c == '\n') {
                sb.append(' ');
            } else if (c < 32 || c == 127) {
                sb.append('_');
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** dsn_valid(): "X.Y.Z" with X in 2, 4, 5 at the start of the output, followed by space. */
    static String leadingDsn(String out) {
        int i = 0;
        if (out.isEmpty() || "245".indexOf(out.charAt(0)) < 0 || out.length() < 5 || out.charAt(1) != '.') {
            return null;
        }
        i = 2;
        int start = i;
        while (i < out.length() && Character.isDigit(out.charAt(i)) && i - start < 3) {
            i++;
        }
        if (i == start || i >= out.length() || out.charAt(i) != '.') {
            return null;
        }
        i++;
        start = i;
        while (i < out.length() && Character.isDigit(out.charAt(i)) && i - start < 3) {
            i++;
        }
        if (i == start || i < out.length() && out.charAt(i) != ' ') {
            return null;
        }
        return out.substring(0, i);
    }

    /** Splits local_command_shell ("/some/where/smrsh -c") into words. */
    private static final class MainConfigSplit {
        static List<String> words(String s) {
            List<String> out = new ArrayList<>();
            for (String w : s.strip().split("\\s+")) {
                if (!w.isEmpty()) {
                    out.add(w);
                }
            }
            return out;
        }
    }
}
