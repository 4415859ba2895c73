package org.jmail.config;

/** One problem found in a configuration file or table, reported as {@code file:line: message}. */
public record ConfigProblem(String file, int line, String message) {
    @Override
    public String toString() {
        return line > 0 ? file + ":" + line + ": " + message : file + ": " + message;
    }
}
