package org.jmail.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a Postfix-style configuration file into logical lines.
 *
 * <p>Postfix's rules (postconf(5), master(5)): empty lines, whitespace-only lines and lines
 * whose first non-whitespace character is {@code #} are ignored; a line that starts with
 * whitespace continues the previous logical line. Each logical line keeps the number of
 * its first physical line so that problems can be reported as file:line.
 */
public final class ConfigFileReader {

    /** A logical line and the physical line number it started on. */
    public record Line(int number, String text) {
    }

    private ConfigFileReader() {
    }

    public static List<Line> read(Path file) throws IOException {
        return split(Files.readString(file, StandardCharsets.UTF_8));
    }

    /**
     * Splits text into logical lines by index, without a String per physical line: a file of
     * millions of continuation lines costs its own size a few times over, not a hundred.
     * Line ends are LF, CRLF or CR, as BufferedReader.readLine takes them.
     */
    static List<Line> split(String text) {
        List<Line> out = new ArrayList<>();
        StringBuilder cur = null;
        int start = 0;
        int number = 0;
        int i = 0;
        int n = text.length();
        while (i < n) {
            int eol = i;
            while (eol < n && text.charAt(eol) != '\n' && text.charAt(eol) != '\r') {
                eol++;
            }
            number++;
            int next = eol < n && text.charAt(eol) == '\r' && eol + 1 < n && text.charAt(eol + 1) == '\n'
                    ? eol + 2 : eol + 1;
            int from = i;
            int to = eol;
            while (from < to && Character.isWhitespace(text.charAt(from))) {
                from++;
            }
            while (to > from && Character.isWhitespace(text.charAt(to - 1))) {
                to--;
            }
            if (from < to && text.charAt(from) != '#') {
                boolean continuation = Character.isWhitespace(text.charAt(i));
                if (continuation && cur != null) {
                    cur.append(' ').append(text, from, to);
                } else {
                    if (cur != null) {
                        out.add(new Line(start, cur.toString()));
                    }
                    cur = new StringBuilder(to - from + 16).append(text, from, to);
                    start = number;
                }
            }
            i = next;
        }
        if (cur != null) {
            out.add(new Line(start, cur.toString()));
        }
        return out;
    }

    public static List<Line> split(List<String> physical) {
        List<Line> out = new ArrayList<>();
        StringBuilder cur = null;
        int start = 0;
        for (int i = 0; i < physical.size(); i++) {
            String raw = physical.get(i);
            String trimmed = raw.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            boolean continuation = Character.isWhitespace(raw.charAt(0));
            if (continuation && cur != null) {
                cur.append(' ').append(trimmed);
                continue;
            }
            if (cur != null) {
                out.add(new Line(start, cur.toString()));
            }
            cur = new StringBuilder(trimmed);
            start = i + 1;
        }
        if (cur != null) {
            out.add(new Line(start, cur.toString()));
        }
        return out;
    }
}
