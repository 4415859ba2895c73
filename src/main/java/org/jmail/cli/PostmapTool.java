package org.jmail.cli;

import java.io.InputStream;
import java.io.PrintStream;

/**
 * postmap(1): creates, queries, lists and updates lookup tables.
 *
 * <pre>
 * postmap [-c config_dir] [-f] [-N|-n] [-i] [-r] [-w] [-p] [-o] [-v] [-q key | -d key | -s] [file_type:]file_name ...
 * </pre>
 * Without -q/-d/-s each operand's source is compiled into its indexed file (hash: name.db),
 * replaced atomically. {@code -q key} prints the value of the first table that has it and exits
 * 0, or prints nothing and exits 1; {@code -q -} reads keys from stdin and prints
 * {@code key<TAB>value} for each found. {@code -s} lists {@code key<TAB>value}. {@code -d key}
 * deletes. {@code -i} adds entries read from stdin. The default type is main.cf's
 * {@code default_database_type} (hash), read from {@code -c DIR}, else $MAIL_CONFIG, else
 * /etc/jmail. Errors: {@code postmap: fatal: ...} on stderr, exit 1.
 */
public final class PostmapTool {

    private PostmapTool() {
    }

    public static int run(String[] args) {
        return run(args, System.in, System.out, System.err);
    }

    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        return new MapTool("postmap", false, in, out, err, System.getenv("MAIL_CONFIG")).run(args);
    }
}
