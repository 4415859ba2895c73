package org.jmail.table;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The two source formats that compile into an indexed table.
 *
 * <ul>
 * <li>{@link #POSTMAP}, postmap(1): {@code key whitespace value}. The key ends at the first
 * whitespace outside double quotes (a backslash protects the next character) and is kept in
 * its quoted form; the value is the rest with surrounding whitespace stripped. A line without a
 * value is skipped with "expected format: key whitespace value"; a key ending in ':' is kept
 * but warned about ("is this an alias file?").</li>
 * <li>{@link #ALIASES}, aliases(5): {@code name: value}. The name may be quoted ("a b") and is
 * stored unquoted; it must be local (no '@' or '%'). The value is kept verbatim (so
 * {@code :include:/file}, {@code |command} and {@code /file} survive as written) up to
 * whitespace, which is normalized as postalias does (see {@link #externalize}).
 * A line without a name or value, or with a comma before the colon, is skipped with
 * "need name:value pair".</li>
 * <li>{@link #TEXTHASH}: postmap(1) syntax read by texthash:, whose skipped-line warning says
 * "expected format: key whitespace value -- ignoring this line", as Postfix's dict_thash does.</li>
 * </ul>
 * All use {@link LogicalLines} (comments, continuation lines). Keys are returned as written:
 * case folding is the caller's job, since it depends on {@code -f}.
 */
enum SourceSyntax {
    POSTMAP,
    ALIASES,
    TEXTHASH;

    /** Receives each well-formed entry in source order. */
    interface EntryHandler {
        void entry(String key, String value, int line) throws IOException;
    }

    /** Parses a source file. */
    void parse(Path file, Diagnostics diag, EntryHandler handler) throws IOException {
        parseText(LogicalLines.decode(Files.readAllBytes(file), file.toString(), diag), file.toString(), diag,
                handler);
    }

    /** Parses source text already in memory (stdin for {@code -i}); {@code name} labels diagnostics. */
    void parseText(String text, String name, Diagnostics diag, EntryHandler handler) throws IOException {
        LogicalLines.split(text, name, diag, (line, number) -> {
            if (this != ALIASES) {
                postmapLine(line, number, name, diag, handler, this == TEXTHASH ? " -- ignoring this line" : "");
            } else {
                aliasLine(line, number, name, diag, handler);
            }
        });
    }

    private static void postmapLine(String line, int number, String name, Diagnostics diag, EntryHandler handler,
            String skipped) throws IOException {
        int n = line.length();
        int i = 0;
        boolean inQuotes = false;
        for (; i < n; i++) {
            char c = line.charAt(i);
            if (c == '\\') {
                if (++i >= n) {
                    break;
                }
            } else if (LogicalLines.isSpace(c)) {
                if (!inQuotes) {
                    break;
                }
            } else if (c == '"') {
                inQuotes = !inQuotes;
            }
        }
        if (inQuotes) {
            diag.warn(name, number, "unbalanced '\"' in '" + line + "' -- ignoring this line");
            return;
        }
        String key = line.substring(0, Math.min(i, n));
        int v = i;
        while (v < n && LogicalLines.isSpace(line.charAt(v))) {
            v++;
        }
        String value = line.substring(v, Math.max(v, LogicalLines.trimEnd(line, v)));
        if (key.isEmpty() || value.isEmpty()) {
            diag.warn(name, number, "expected format: key whitespace value" + skipped);
            return;
        }
        if (key.charAt(key.length() - 1) == ':') {
            diag.warn(name, number, "record is in \"key: value\" format; is this an alias file?");
        }
        handler.entry(key, value, number);
    }

    private static void aliasLine(String line, int number, String name, Diagnostics diag, EntryHandler handler)
            throws IOException {
        int n = line.length();
        int colon = -1;
        boolean inQuotes = false;
        boolean commaBefore = false;
        boolean nonLocal = false;
        for (int i = 0; i < n; i++) {
            char c = line.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                inQuotes = !inQuotes;
            } else if (!inQuotes) {
                if (c == ':') {
                    colon = i;
                    break;
                } else if (c == ',') {
                    commaBefore = true;
                } else if (c == '@' || c == '%') {
                    nonLocal = true;
                }
            }
        }
        String key = colon < 0 ? "" : internalize(line.substring(0, colon));
        String value = colon < 0 ? "" : externalize(line.substring(colon + 1));
        if (colon < 0 || key.isEmpty() || value.isEmpty() || commaBefore) {
            diag.warn(name, number, "need name:value pair");
            return;
        }
        if (nonLocal) {
            diag.warn(name, number, "name must be local");
            return;
        }
        handler.entry(key, value, number);
    }

    /**
     * The alias value as postalias stores it (tok822_externalize): quoted strings and
     * (comments) kept verbatim, other whitespace runs collapsed to one space, no space before a
     * comma and one after it. {@code :include:/file}, {@code |command} and {@code /file}
     * survive unchanged.
     */
    static String externalize(String raw) {
        StringBuilder sb = new StringBuilder(raw.length());
        boolean space = false;
        int n = raw.length();
        for (int i = 0; i < n; i++) {
            char c = raw.charAt(i);
            if (LogicalLines.isSpace(c)) {
                space = true;
                continue;
            }
            if (c == ',') {
                sb.append(',');
                space = true;
                continue;
            }
            if (space && sb.length() > 0) {
                sb.append(' ');
            }
            space = false;
            if (c == '"') {
                int j = i + 1;
                while (j < n && raw.charAt(j) != '"') {
                    j += raw.charAt(j) == '\\' ? 2 : 1;
                }
                j = Math.min(j, n - 1);
                sb.append(raw, i, j + 1);
                i = j;
            } else if (c == '(') {
                int depth = 0;
                int j = i;
                for (; j < n; j++) {
                    char d = raw.charAt(j);
                    if (d == '\\') {
                        j++;
                    } else if (d == '(') {
                        depth++;
                    } else if (d == ')' && --depth == 0) {
                        break;
                    }
                }
                j = Math.min(j, n - 1);
                sb.append(raw, i, j + 1);
                i = j;
            } else if (c == '\\' && i + 1 < n) {
                sb.append(c).append(raw.charAt(++i));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** The alias name in internal form: quotes and backslash escapes removed, blanks collapsed. */
    static String internalize(String raw) {
        StringBuilder sb = new StringBuilder(raw.length());
        boolean inQuotes = false;
        boolean pendingSpace = false;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '\\' && i + 1 < raw.length()) {
                if (pendingSpace && sb.length() > 0) {
                    sb.append(' ');
                }
                pendingSpace = false;
                sb.append(raw.charAt(++i));
            } else if (c == '"') {
                inQuotes = !inQuotes;
            } else if (!inQuotes && LogicalLines.isSpace(c)) {
                pendingSpace = true;
            } else {
                if (pendingSpace && sb.length() > 0) {
                    sb.append(' ');
                }
                pendingSpace = false;
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /**
     * Guesses the syntax of a source file that has no compiled file to say (hash: fallback):
     * aliases(5) when the file is named "aliases" or most entries look like {@code name: value}.
     */
    static SourceSyntax guess(Path file, String text) {
        Path base = file.getFileName();
        if (base != null && base.toString().equals("aliases")) {
            return ALIASES;
        }
        int[] counts = new int[2];
        try {
            LogicalLines.split(text, file.toString(), null, (line, number) -> {
                counts[0]++;
                int end = 0;
                while (end < line.length() && !LogicalLines.isSpace(line.charAt(end))) {
                    end++;
                }
                String first = line.substring(0, end);
                int c = first.indexOf(':');
                // "name:" or "name:value" (no space) are alias shapes; IPv6 keys have several colons.
                if (c > 0 && first.indexOf(':', c + 1) < 0 && (c == first.length() - 1 || end == line.length())) {
                    counts[1]++;
                }
            });
        } catch (IOException e) {
            return POSTMAP;
        }
        return counts[0] > 0 && counts[1] * 2 > counts[0] ? ALIASES : POSTMAP;
    }
}
