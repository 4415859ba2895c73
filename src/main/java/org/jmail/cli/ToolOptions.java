package org.jmail.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * POSIX getopt(3) for the Postfix-style tools, without a framework so they start fast:
 * clustered flags ({@code -fq key}, {@code -qkey}), options taking an argument marked with ':'
 * in the spec, {@code --} ending options, and parsing stops at the first operand (Postfix
 * builds getopt that way on Linux too). A lone {@code -} is an operand.
 *
 * <p>Failure: an unknown option or a missing argument throws {@link UsageException}.
 */
public final class ToolOptions {

    /** One option occurrence; {@code arg} is null for a flag. */
    public record Option(char name, String arg) {
    }

    /** A command line that does not fit the option spec. */
    public static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        public UsageException(String message) {
            super(message);
        }
    }

    private final List<Option> options;
    private final List<String> operands;

    private ToolOptions(List<Option> options, List<String> operands) {
        this.options = options;
        this.operands = operands;
    }

    /** Parses {@code args} against a getopt spec such as {@code "c:d:fq:"}. */
    public static ToolOptions parse(String[] args, String spec) throws UsageException {
        List<Option> opts = new ArrayList<>();
        int i = 0;
        while (i < args.length) {
            String a = args[i];
            if (a.equals("--")) {
                i++;
                break;
            }
            if (a.length() < 2 || a.charAt(0) != '-') {
                break;
            }
            i++;
            for (int k = 1; k < a.length(); k++) {
                char c = a.charAt(k);
                int at = spec.indexOf(c);
                if (at < 0 || c == ':') {
                    throw new UsageException("invalid option -- '" + c + "'");
                }
                boolean takesArg = at + 1 < spec.length() && spec.charAt(at + 1) == ':';
                if (!takesArg) {
                    opts.add(new Option(c, null));
                    continue;
                }
                if (k + 1 < a.length()) {
                    opts.add(new Option(c, a.substring(k + 1)));
                } else if (i < args.length) {
                    opts.add(new Option(c, args[i++]));
                } else {
                    throw new UsageException("option requires an argument -- '" + c + "'");
                }
                break;
            }
        }
        List<String> rest = new ArrayList<>();
        for (; i < args.length; i++) {
            rest.add(args[i]);
        }
        return new ToolOptions(opts, rest);
    }

    public List<Option> options() {
        return options;
    }

    public List<String> operands() {
        return operands;
    }
}
