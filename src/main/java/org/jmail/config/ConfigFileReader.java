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
        return split(Files.readAllLines(file, StandardCharsets.UTF_8));
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
