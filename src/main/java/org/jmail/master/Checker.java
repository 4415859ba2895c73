package org.jmail.master;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jmail.config.ConfigProblem;
import org.jmail.config.MainConfig;
import org.jmail.config.MasterConfig;
import org.jmail.config.MasterService;

/**
 * {@code jmail check}: validates main.cf, master.cf and the tables they name, printing each
 * problem as {@code file:line: text}. Unknown main.cf keys are warnings (never fatal, as in
 * Postfix); a line jmail can't use is an error.
 */
public final class Checker {

    private static final List<String> SERVICE_COMMANDS = List.of("smtpd", "imapd", "pop3d");

    private Checker() {
    }

    public static boolean run(Path confDir, PrintStream out) throws IOException {
        return run(confDir, out, false);
    }

    /** @param errorsOnly print only errors (start and reload use this before acting) */
    public static boolean run(Path confDir, PrintStream out, boolean errorsOnly) throws IOException {
        List<String> errors = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        MainConfig config = MainConfig.load(confDir);
        for (ConfigProblem p : config.problems()) {
            (p.message().startsWith("unused parameter") ? warnings : errors).add(p.toString());
        }
        MasterConfig master = MasterConfig.load(confDir);
        for (ConfigProblem p : master.problems()) {
            errors.add(p.toString());
        }
        for (MasterService s : master.services()) {
            if (s.isInet() && !SERVICE_COMMANDS.contains(s.command())) {
                warnings.add(s.file() + ":" + s.line() + ": service " + s.name() + ": unsupported command \""
                        + s.command() + "\" (ignored)");
            }
        }
        TableCheck.check(config, errors, warnings);
        if (!errorsOnly) {
            for (String w : warnings) {
                out.println("jmail: warning: " + w);
            }
        }
        for (String e : errors) {
            out.println("jmail: error: " + e);
        }
        return errors.isEmpty();
    }
}
