package org.jmail.cli;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jmail.config.MainConfig;
import org.jmail.master.Checker;
import org.jmail.master.Master;
import org.jmail.master.PidFile;

/**
 * {@code jmail [-c config_dir] [-v] command}: daemon control in the manner of postfix(1) —
 * start, start-fg, stop, reload, status, check — and every tool by name
 * ({@code jmail postmap …}).
 */
final class JmailCommand {

    private JmailCommand() {
    }

    static int run(String[] args) throws Exception {
        String confOpt = null;
        int i = 0;
        while (i < args.length && args[i].startsWith("-")) {
            switch (args[i]) {
                case "-c" -> {
                    if (i + 1 >= args.length) {
                        throw new Main.UsageException("option -c requires a directory");
                    }
                    confOpt = args[++i];
                }
                case "-v", "-D" -> {
                    // verbose/debug: accepted for Postfix compatibility
                }
                default -> throw new Main.UsageException("usage: jmail [-c config_dir] [-v] command");
            }
            i++;
        }
        if (i >= args.length) {
            throw new Main.UsageException("usage: jmail [-c config_dir] [-v] start|start-fg|stop|reload|status|check|<tool> ...");
        }
        String command = args[i];
        String[] rest = Arrays.copyOfRange(args, i + 1, args.length);
        Path confDir = ConfigDirs.resolve(confOpt);
        return switch (command) {
            case "start" -> start(confDir);
            case "start-fg" -> startForeground(confDir, Arrays.asList(rest).contains("--detached"));
            case "stop" -> stop(confDir);
            case "reload" -> reload(confDir);
            case "status" -> status(confDir);
            case "check" -> Checker.run(confDir, System.out) ? 0 : 1;
            case "tls" -> tls(confDir, rest);
            case "postmap", "postalias", "newaliases", "postconf", "sendmail", "mailq", "postqueue", "postsuper" ->
                    Main.run(command, withConfig(confOpt, rest));
            default -> throw new Main.UsageException("unknown command: '" + command + "'");
        };
    }

    /** Passes jmail's -c on to a tool called through jmail. */
    private static String[] withConfig(String confOpt, String[] rest) {
        if (confOpt == null) {
            return rest;
        }
        List<String> l = new ArrayList<>();
        l.add("-c");
        l.add(confOpt);
        l.addAll(Arrays.asList(rest));
        return l.toArray(new String[0]);
    }

    private static PidFile pidFile(Path confDir) throws IOException {
        return PidFile.of(MainConfig.load(confDir));
    }

    static int status(Path confDir) throws IOException {
        long pid = pidFile(confDir).runningPid();
        if (pid > 0) {
            System.err.println("jmail: the jmail mail system is running: PID: " + pid);
            return 0;
        }
        System.err.println("jmail: the jmail mail system is not running");
        return 1;
    }

    /**
     * Starts the daemon in the background and returns once every listener is bound (exit 0),
     * or prints the reason the daemon gave and exits 1.
     */
    static int start(Path confDir) throws Exception {
        long running = pidFile(confDir).runningPid();
        if (running > 0) {
            System.err.println("jmail: fatal: the jmail mail system is already running (PID " + running + ")");
            return 1;
        }
        if (!Checker.run(confDir, System.err, true)) {
            System.err.println("jmail: fatal: configuration errors; not starting (see 'jmail check')");
            return 1;
        }
        List<String> cmd = new ArrayList<>();
        if (new File("/usr/bin/setsid").canExecute()) {
            cmd.add("/usr/bin/setsid"); // leave the caller's session: a closed terminal must not stop mail
        }
        cmd.addAll(org.jmail.posix.DaemonPrivileges.launchPrefix());
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        String opts = System.getenv("JMAIL_DAEMON_JAVA_OPTS");
        if (opts != null && !opts.isBlank()) {
            cmd.addAll(Arrays.asList(opts.trim().split("\\s+")));
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.add("jmail");
        cmd.add("-c");
        cmd.add(confDir.toAbsolutePath().toString());
        cmd.add("start-fg");
        cmd.add("--detached");
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectErrorStream(true);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process p = pb.start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.equals(Master.READY)) {
                    System.err.println("jmail: starting the jmail mail system");
                    return 0;
                }
                System.err.println(line);
            }
        }
        p.waitFor(10, TimeUnit.SECONDS);
        System.err.println("jmail: fatal: the jmail mail system failed to start");
        return 1;
    }

    static int startForeground(Path confDir, boolean detached) throws Exception {
        Master master = new Master(confDir);
        try {
            master.start();
        } catch (Exception e) {
            System.out.println("jmail: fatal: " + e.getMessage());
            System.out.flush();
            master.shutdown();
            return 1;
        }
        if (detached) {
            System.out.println(Master.READY);
            System.out.flush();
            // the parent stops reading; from now on everything goes to the mail log
            java.io.PrintStream nul = new java.io.PrintStream(java.io.OutputStream.nullOutputStream());
            System.setOut(nul);
            System.setErr(nul);
        }
        master.awaitTermination();
        return 0;
    }

    static int stop(Path confDir) throws Exception {
        PidFile pf = pidFile(confDir);
        long pid = pf.runningPid();
        if (pid <= 0) {
            System.err.println("jmail: fatal: the jmail mail system is not running");
            return 1;
        }
        System.err.println("jmail: stopping the jmail mail system");
        ProcessHandle ph = ProcessHandle.of(pid).orElse(null);
        if (ph == null) {
            return 0;
        }
        ph.destroy(); // SIGTERM: orderly shutdown
        try {
            ph.onExit().get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            System.err.println("jmail: warning: waiting for PID " + pid + " to exit");
            ph.onExit().get(60, TimeUnit.SECONDS);
        }
        pf.remove();
        return 0;
    }

    /**
     * {@code jmail tls new-cert [CERT KEY]}: a self-signed certificate for {@code myhostname}
     * (the package's postinst, when Debian's snakeoil pair is not there). Parent directories
     * are created; the key is written mode 0600. Without file names, as Postfix's
     * {@code postfix tls new-server-key}: CONFDIR/tls/jmail-{cert,key}.pem, and main.cf's
     * smtpd_tls_cert_file/smtpd_tls_key_file are set to them.
     */
    static int tls(Path confDir, String[] rest) throws Exception {
        if ((rest.length != 3 && rest.length != 1) || !rest[0].equals("new-cert")) {
            throw new Main.UsageException("usage: jmail tls new-cert [cert_file key_file]");
        }
        MainConfig config = MainConfig.load(confDir);
        String host = config.get("myhostname");
        boolean configure = rest.length == 1;
        Path cert = (configure ? confDir.resolve("tls/jmail-cert.pem") : Path.of(rest[1])).toAbsolutePath();
        Path key = (configure ? confDir.resolve("tls/jmail-key.pem") : Path.of(rest[2])).toAbsolutePath();
        java.nio.file.Files.createDirectories(cert.getParent());
        java.nio.file.Files.createDirectories(key.getParent());
        org.jmail.tls.SelfSignedCertificate.write(host, cert, key);
        System.err.println("jmail: wrote a self-signed certificate for " + host + " to " + cert + " (key " + key + ")");
        if (configure && !(config.get("smtpd_tls_cert_file").equals(cert.toString())
                && config.get("smtpd_tls_key_file").equals(key.toString()))) {
            if (PostconfTool.edit(confDir, List.of("smtpd_tls_cert_file = " + cert, "smtpd_tls_key_file = " + key)) != 0) {
                return 1;
            }
            System.err.println("jmail: smtpd_tls_cert_file and smtpd_tls_key_file in "
                    + confDir.resolve("main.cf") + " now name them; run 'jmail reload'");
        }
        return 0;
    }

    static int reload(Path confDir) throws Exception {
        long pid = pidFile(confDir).runningPid();
        if (pid <= 0) {
            System.err.println("jmail: fatal: the jmail mail system is not running");
            return 1;
        }
        if (!Checker.run(confDir, System.err, true)) {
            System.err.println("jmail: fatal: configuration errors; not reloading (see 'jmail check')");
            return 1;
        }
        // kill(2) directly: a minimal Debian (debootstrap minbase, containers) has no kill(1)
        if (!org.jmail.posix.Posix.kill(pid, 1)) { // SIGHUP
            System.err.println("jmail: fatal: cannot send SIGHUP to PID " + pid);
            return 1;
        }
        System.err.println("jmail: refreshing the jmail mail system");
        return 0;
    }
}
