package org.jmail.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.io.IOException;
import java.util.List;
import org.jmail.config.MainConfig;

/**
 * newaliases(1) ({@code sendmail -bi}): runs postalias on every entry of main.cf's
 * {@code alias_database} (default {@code hash:/etc/aliases}). The configuration directory is
 * {@code -C DIR} (sendmail's option; {@code -c} is accepted too), else $MAIL_CONFIG, else
 * /etc/jmail. Exit 0 when every alias database was rebuilt; 1 (with a
 * {@code postalias: fatal: ...} line) otherwise. Other sendmail options are ignored.
 */
public final class NewaliasesTool {

    private NewaliasesTool() {
    }

    public static int run(String[] args) {
        return run(args, System.in, System.out, System.err);
    }

    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        String dir = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if ((a.equals("-C") || a.equals("-c")) && i + 1 < args.length) {
                dir = args[++i];
            } else if ((a.startsWith("-C") || a.startsWith("-c")) && a.length() > 2) {
                dir = a.substring(2);
            }
        }
        if (dir == null) {
            String env = System.getenv("MAIL_CONFIG");
            dir = env == null || env.isEmpty() ? "/etc/jmail" : env;
        }
        MainConfig config;
        try {
            config = MainConfig.load(Path.of(dir));
        } catch (IOException e) {
            err.println("newaliases: fatal: open " + Path.of(dir, "main.cf") + ": " + e.getMessage());
            return 1;
        }
        List<String> databases = config.list("alias_database");
        if (databases.isEmpty()) {
            return 0;
        }
        String[] postaliasArgs = new String[databases.size() + 2];
        postaliasArgs[0] = "-c";
        postaliasArgs[1] = dir;
        for (int i = 0; i < databases.size(); i++) {
            postaliasArgs[i + 2] = databases.get(i);
        }
        return PostaliasTool.run(postaliasArgs, in, out, err);
    }
}
