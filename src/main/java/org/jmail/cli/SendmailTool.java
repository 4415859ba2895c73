package org.jmail.cli;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * sendmail(1) reached through the Java launcher ({@code jmail sendmail ...}). Mail submission
 * is done by the shell script {@code bin/sendmail} (no JVM on the path of every PHP mail()
 * call), so this hands every command line to that script, except the modes the script hands
 * back to Java: {@code -bs} (SMTP on stdin/stdout, see {@link SmtpOnStdio}).
 */
final class SendmailTool {

    private SendmailTool() {
    }

    static int run(String[] args) throws Exception {
        if (Arrays.asList(args).contains("-bs")) {
            return SmtpOnStdio.run(args);
        }
        Path script = script();
        if (script == null) {
            System.err.println("sendmail: fatal: cannot find the sendmail script beside the jmail launcher");
            return 69;
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(script.toString());
        cmd.addAll(Arrays.asList(args));
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        return p.waitFor();
    }

    /** bin/sendmail next to lib/ (the jar's directory), or $JMAIL_HOME/bin/sendmail. */
    private static Path script() {
        String home = System.getenv("JMAIL_HOME");
        if (home != null && Files.isExecutable(Path.of(home, "bin", "sendmail"))) {
            return Path.of(home, "bin", "sendmail");
        }
        try {
            Path jar = Path.of(SendmailTool.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path bin = jar.getParent().resolveSibling("bin").resolve("sendmail");
            if (Files.isExecutable(bin) && !Files.isSymbolicLink(bin)) {
                return bin;
            }
        } catch (URISyntaxException | RuntimeException e) {
            // fall through
        }
        return null; // never /usr/sbin/sendmail: that may be another MTA's, or this tool again
    }
}
