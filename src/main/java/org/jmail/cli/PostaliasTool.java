package org.jmail.cli;

import java.io.InputStream;
import java.io.PrintStream;

/**
 * postalias(1): like {@link PostmapTool} for alias files in aliases(5) syntax
 * ({@code name: value}, name optionally quoted, values continued on indented lines), keys stored
 * unquoted and folded, values verbatim ({@code :include:}, {@code |command}, {@code /file}).
 * {@code -q key} prints the value; {@code -q -} and {@code -s} print {@code key:<TAB>value}.
 * A built database also holds the sendmail signature {@code @: @}.
 */
public final class PostaliasTool {

    private PostaliasTool() {
    }

    public static int run(String[] args) {
        return run(args, System.in, System.out, System.err);
    }

    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        return new MapTool("postalias", true, in, out, err, System.getenv("MAIL_CONFIG")).run(args);
    }
}
