package org.jmail.table;

import java.util.ArrayList;
import java.util.List;
import org.jmail.config.ConfigProblem;

/**
 * Collects the problems found while reading a table source, each with file:line, and
 * optionally logs them as Postfix does while it opens the table.
 *
 * <p>{@code style} decides the log line's shape: {@code "regexp map FILE, line N: MSG"},
 * {@code "cidr map FILE, line N: MSG"}, or postmap(1)'s {@code "FILE, line N: MSG"}.
 */
final class Diagnostics {

    private final String mapKind;   // "regexp", "cidr", "pcre" or null for postmap style
    private final boolean log;
    private final List<ConfigProblem> problems = new ArrayList<>();

    Diagnostics(String mapKind, boolean log) {
        this.mapKind = mapKind;
        this.log = log;
    }

    /** A problem on a line of {@code file}. */
    void warn(String file, int line, String message) {
        problems.add(new ConfigProblem(file, line, message));
        if (log) {
            if (mapKind != null) {
                TableLog.warn(mapKind + " map " + file + ", line " + line + ": " + message);
            } else {
                TableLog.warn(file + ", line " + line + ": " + message);
            }
        }
    }

    /** A problem with the file as a whole. */
    void warnFile(String file, String message) {
        problems.add(new ConfigProblem(file, 0, message));
        if (log) {
            TableLog.warn(file + ": " + message);
        }
    }

    List<ConfigProblem> problems() {
        return problems;
    }
}
