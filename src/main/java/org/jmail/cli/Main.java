package org.jmail.cli;

import java.util.Arrays;

/**
 * The multi-call entry point. The launcher passes the name it was called by ({@code jmail},
 * {@code postmap}, {@code sendmail}, …) as the first argument, so that a symlink named
 * {@code postmap} behaves exactly like {@code jmail postmap}.
 *
 * <p>Kept free of heavy imports: tools like postmap and sendmail start a JVM per call, and
 * every class loaded here is paid for on each one.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] argv) {
        String name = argv.length > 0 ? basename(argv[0]) : "jmail";
        String[] args = argv.length > 0 ? Arrays.copyOfRange(argv, 1, argv.length) : new String[0];
        int status;
        try {
            status = run(name, args);
        } catch (UsageException e) {
            System.err.println(name + ": fatal: " + e.getMessage());
            status = 1;
        } catch (Exception e) {
            System.err.println(name + ": fatal: " + e);
            status = 1;
        }
        System.out.flush();
        System.exit(status);
    }

    static int run(String name, String[] args) throws Exception {
        return switch (name) {
            case "jmail" -> JmailCommand.run(args);
            case "postmap" -> PostmapTool.run(args);
            case "postalias" -> PostaliasTool.run(args);
            case "newaliases" -> NewaliasesTool.run(args);
            case "postconf" -> PostconfTool.run(args);
            case "sendmail" -> SendmailTool.run(args);
            case "mailq" -> PostqueueTool.mailq(args);
            case "postqueue" -> PostqueueTool.run(args);
            case "postsuper" -> PostsuperTool.run(args);
            default -> {
                System.err.println("jmail: fatal: unknown command name: " + name);
                yield 1;
            }
        };
    }

    static String basename(String s) {
        int slash = s.lastIndexOf('/');
        return slash >= 0 ? s.substring(slash + 1) : s;
    }

    /** A command-line mistake: reported as "name: fatal: message", exit 1. */
    public static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        public UsageException(String message) {
            super(message);
        }
    }
}
