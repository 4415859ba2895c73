package org.jmail.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps man/jmail.5 (the main.cf key reference) true to {@link Defaults}: every key jmail knows
 * is documented once, with the default Defaults has, and says where its name comes from; the
 * page documents no key jmail does not know.
 *
 * <p>The page's contract, which {@link KeyReference} parses: each key opens a tagged paragraph
 * ({@code .TP}, or {@code .TQ} for keys sharing one description) whose tag line is exactly
 * <pre>\fBkey\fR (default: \fIvalue\fR)</pre>
 * or {@code \fBkey\fR (default: empty)} for the empty string; a tag line may be continued
 * with a trailing backslash (mandoc -Tlint wants input lines of at most 80 bytes). Values may
 * use the escapes {@code \-} (hyphen), {@code \:} (break point), {@code \&} and {@code \e};
 * anything else is reported, so an escape the parser does not know cannot hide a wrong
 * default. The first text line after the tag(s) starts with "Postfix", "Dovecot" or "jmail".
 * Defaults computed from the host ({@link #COMPUTED}) are described in words on the page.
 */
class KeyReferenceTest {

    /** Keys whose default Defaults computes at run time; the page describes them in words. */
    private static final Map<String, Supplier<String>> COMPUTED = Map.of(
            "myhostname", Defaults::systemHostname,
            "mydomain", () -> Defaults.domainOf(Defaults.systemHostname()));

    private static KeyReference page;

    @BeforeAll
    static void readPage() throws IOException {
        // surefire runs in the module's base directory
        page = KeyReference.parse(Files.readString(Path.of("man", "jmail.5"), StandardCharsets.UTF_8));
    }

    @Test
    void pageParsesWithoutProblems() {
        assertEquals(List.of(), page.problems, "man/jmail.5 does not follow the key entry format");
    }

    @Test
    void everyKeyInDefaultsIsDocumented() {
        List<String> missing = new ArrayList<>();
        for (String key : Defaults.all().keySet()) {
            if (!page.entries.containsKey(key)) {
                missing.add(key);
            }
        }
        assertEquals(List.of(), missing, "keys in Defaults without an entry in man/jmail.5");
    }

    @Test
    void documentedDefaultsEqualDefaults() {
        assertEquals(List.of(), page.defaultMismatches(Defaults.all(), COMPUTED.keySet()),
                "defaults printed in man/jmail.5 that differ from Defaults");
    }

    @Test
    void computedDefaultsAreStillComputed() {
        // if Defaults gets a literal value for one of these, the page must print it instead
        for (Map.Entry<String, Supplier<String>> e : COMPUTED.entrySet()) {
            assertEquals(e.getValue().get(), Defaults.all().get(e.getKey()), e.getKey());
        }
    }

    @Test
    void pageDocumentsNoUnknownKey() {
        List<String> unknown = new ArrayList<>();
        for (String key : page.entries.keySet()) {
            if (!Defaults.isKnown(key)) {
                unknown.add(key);
            }
        }
        assertEquals(List.of(), unknown, "keys in man/jmail.5 that Defaults does not know");
    }

    // ---- the checker itself must be able to fail --------------------------------------------

    @Test
    void checkerReportsAWrongDefault() {
        KeyReference r = KeyReference.parse(".TP\n\\fBsmtpd_timeout\\fR (default: \\fI30s\\fR)\nPostfix.\n");
        assertEquals(List.of(), r.problems);
        assertEquals(List.of("smtpd_timeout: page says \"30s\", Defaults \"300s\""),
                r.defaultMismatches(Map.of("smtpd_timeout", "300s"), List.of()));
    }

    @Test
    void checkerReadsEmptyEscapedAndContinuedDefaults() {
        KeyReference r = KeyReference.parse(".TP\n\\fBrelayhost\\fR (default: empty)\n.TQ\n"
                + "\\fBa\\fR (default: \\fIx\\-y,\\:\\\nz\\fR)\nPostfix.\n");
        assertEquals(List.of(), r.problems);
        assertEquals("", r.entries.get("relayhost"));
        assertEquals("x-y,z", r.entries.get("a"));
        assertEquals(List.of("relayhost: page says \"\", Defaults \"mx\""),
                r.defaultMismatches(Map.of("relayhost", "mx", "a", "x-y,z"), List.of()));
    }

    @Test
    void checkerReportsDuplicatesMissingOriginAndUnknownEscapes() {
        KeyReference r = KeyReference.parse(".TP\n\\fBk\\fR (default: \\fI1\\fR)\nPostfix.\n"
                + ".TP\n\\fBk\\fR (default: \\fI1\\fR)\nSendmail.\n"
                + ".TP\n\\fBq\\fR (default: \\fIa\\(emb\\fR)\nDovecot.\n");
        assertEquals(3, r.problems.size(), r.problems.toString());
        assertTrue(r.problems.get(0).contains("k: documented twice"), r.problems.toString());
        assertTrue(r.problems.get(1).contains("k: the entry does not start with"), r.problems.toString());
        assertTrue(r.problems.get(2).contains("q: unknown escape"), r.problems.toString());
    }

    /** The key entries of a man page in the format the class comment describes. */
    static final class KeyReference {

        private static final Pattern TAG = Pattern.compile(
                "^\\\\fB([A-Za-z0-9_.\\-]+)\\\\fR \\(default: (?:\\\\fI(.*)\\\\fR|(empty))\\)$");
        private static final List<String> ORIGINS = List.of("Postfix", "Dovecot", "jmail");

        /** key → default as printed (unescaped); "" for "empty". */
        final Map<String, String> entries = new LinkedHashMap<>();
        final List<String> problems = new ArrayList<>();

        static KeyReference parse(String text) {
            KeyReference r = new KeyReference();
            // roff: a backslash before the newline continues the line
            String[] lines = text.replace("\\\n", "").split("\n", -1);
            List<String> group = new ArrayList<>();
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i];
                Matcher m = TAG.matcher(line);
                boolean tagLine = m.matches() && i > 0 && (lines[i - 1].equals(".TP") || lines[i - 1].equals(".TQ"));
                if (tagLine) {
                    String key = m.group(1);
                    String value = m.group(3) != null ? "" : unescape(key, m.group(2), r.problems);
                    if (r.entries.containsKey(key)) {
                        r.problems.add("line " + (i + 1) + ": " + key + ": documented twice");
                    }
                    r.entries.put(key, value);
                    group.add(key);
                } else if (line.equals(".TQ")) {
                    continue;
                } else if (!group.isEmpty()) {
                    if (ORIGINS.stream().noneMatch(line::startsWith)) {
                        r.problems.add("line " + (i + 1) + ": " + String.join(", ", group)
                                + ": the entry does not start with Postfix, Dovecot or jmail");
                    }
                    group.clear();
                }
            }
            return r;
        }

        private static String unescape(String key, String v, List<String> problems) {
            StringBuilder sb = new StringBuilder(v.length());
            for (int i = 0; i < v.length(); i++) {
                char c = v.charAt(i);
                if (c != '\\') {
                    sb.append(c);
                    continue;
                }
                char n = i + 1 < v.length() ? v.charAt(i + 1) : ' ';
                switch (n) {
                    case '-' -> sb.append('-');
                    case 'e' -> sb.append('\\');
                    case ':', '&' -> { }
                    default -> {
                        problems.add(key + ": unknown escape \\" + n + " in the default");
                        return v;
                    }
                }
                i++;
            }
            return sb.toString();
        }

        /** "key: page says X, Defaults Y" for each documented default that differs. */
        List<String> defaultMismatches(Map<String, String> defaults, java.util.Collection<String> computed) {
            List<String> out = new ArrayList<>();
            for (Map.Entry<String, String> e : entries.entrySet()) {
                String expected = defaults.get(e.getKey());
                if (expected != null && !computed.contains(e.getKey()) && !expected.equals(e.getValue())) {
                    out.add(e.getKey() + ": page says \"" + e.getValue() + "\", Defaults \"" + expected + "\"");
                }
            }
            return out;
        }
    }
}
