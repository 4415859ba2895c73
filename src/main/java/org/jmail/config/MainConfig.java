package org.jmail.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.configuration2.BaseConfiguration;
import org.apache.commons.configuration2.Configuration;

/**
 * An immutable snapshot of main.cf: Postfix's {@code key = value} settings over
 * {@link Defaults}, with lazy {@code $name} expansion as postconf(5) describes.
 *
 * <p>Later definitions of a key win. Unknown keys are kept (a later issue may read them) and
 * reported through {@link #problems()}; nothing in main.cf is fatal to load except a file that
 * cannot be read. Per-service {@code -o key=value} overrides from master.cf are applied with
 * {@link #withOverrides(Map)}, which returns a new snapshot.
 */
public final class MainConfig {

    private final Path configDirectory;
    private final Map<String, String> explicit;   // what main.cf (and -o overrides) set
    private final List<ConfigProblem> problems;
    private final Map<String, String> expanded = new java.util.concurrent.ConcurrentHashMap<>();

    private MainConfig(Path configDirectory, Map<String, String> explicit, List<ConfigProblem> problems) {
        this.configDirectory = configDirectory;
        this.explicit = explicit;
        this.problems = problems;
    }

    /** Reads {@code dir/main.cf}; a missing file means "all defaults". */
    public static MainConfig load(Path dir) throws IOException {
        Path file = dir.resolve("main.cf");
        Map<String, String> values = new LinkedHashMap<>();
        List<ConfigProblem> problems = new ArrayList<>();
        List<ConfigFileReader.Line> lines;
        try {
            lines = ConfigFileReader.read(file);
        } catch (NoSuchFileException e) {
            lines = List.of();
        }
        for (ConfigFileReader.Line line : lines) {
            String text = line.text();
            int eq = text.indexOf('=');
            if (eq <= 0) {
                problems.add(new ConfigProblem(file.toString(), line.number(),
                        "missing '=' after attribute name: \"" + abbreviate(text) + "\""));
                continue;
            }
            String key = text.substring(0, eq).strip();
            if (!key.matches("[A-Za-z0-9_.\\-]+")) {
                problems.add(new ConfigProblem(file.toString(), line.number(),
                        "bad parameter name: \"" + abbreviate(key) + "\""));
                continue;
            }
            String value = text.substring(eq + 1).strip();
            if (!Defaults.isKnown(key)) {
                problems.add(new ConfigProblem(file.toString(), line.number(),
                        "unused parameter: " + key + "=" + abbreviate(value)));
            }
            values.remove(key); // keep definition order of the winning line
            values.put(key, value);
        }
        return new MainConfig(dir, values, problems);
    }

    /** A configuration of defaults only, plus the given settings (tests, tools). */
    public static MainConfig of(Path dir, Map<String, String> settings) {
        return new MainConfig(dir, new LinkedHashMap<>(settings), List.of());
    }

    /** This snapshot with master.cf {@code -o} overrides applied on top. */
    public MainConfig withOverrides(Map<String, String> overrides) {
        if (overrides.isEmpty()) {
            return this;
        }
        Map<String, String> merged = new LinkedHashMap<>(explicit);
        merged.putAll(overrides);
        return new MainConfig(configDirectory, merged, problems);
    }

    public Path configDirectory() {
        return configDirectory;
    }

    /** Problems found while loading main.cf (unknown keys, syntax), with file:line. */
    public List<ConfigProblem> problems() {
        return Collections.unmodifiableList(problems);
    }

    /** The value as written (main.cf, else the default), before $name expansion; null if unknown. */
    public String raw(String key) {
        String v = explicit.get(key);
        if (v != null) {
            return v;
        }
        if ("mydomain".equals(key)) {
            return Defaults.domainOf(get("myhostname"));
        }
        return Defaults.all().get(key);
    }

    /** True when main.cf (or an -o override) sets the key. */
    public boolean isExplicit(String key) {
        return explicit.containsKey(key);
    }

    /** The settings main.cf makes explicitly, in file order (postconf -n). */
    public Map<String, String> explicitSettings() {
        return Collections.unmodifiableMap(explicit);
    }

    /** The effective value with every $name expanded; "" for an unknown key. */
    public String get(String key) {
        String cached = expanded.get(key);
        if (cached != null) {
            return cached;
        }
        String raw = raw(key);
        String value = raw == null ? "" : Expander.expand(raw, this::raw, expanded, key);
        if (key.equals("myorigin") && value.startsWith("/")) {
            value = nameFromFile(value);
        }
        expanded.put(key, value);
        return value;
    }

    /**
     * Debian's Postfix reads {@code myorigin = /etc/mailname} as the file's first line, and
     * Debian's main.cf says so; an unreadable or empty file gives $myhostname, with a problem.
     */
    private String nameFromFile(String file) {
        try (java.io.BufferedReader r = Files.newBufferedReader(Path.of(file), java.nio.charset.StandardCharsets.UTF_8)) {
            String line = r.readLine();
            if (line != null && !line.strip().isEmpty()) {
                return line.strip();
            }
        } catch (IOException | RuntimeException e) {
            // reported below
        }
        synchronized (problems) {
            problems.add(new ConfigProblem(configDirectory.resolve("main.cf").toString(), 0,
                    "myorigin: cannot read a name from " + file + "; using $myhostname"));
        }
        return get("myhostname");
    }

    /** The value split on commas and whitespace, Postfix's list syntax; empty entries dropped. */
    public List<String> list(String key) {
        return splitList(get(key));
    }

    public static List<String> splitList(String value) {
        List<String> out = new ArrayList<>();
        for (String s : value.split("[\\s,]+")) {
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }

    public int getInt(String key) {
        return typed().getInt(key);
    }

    public long getLong(String key) {
        return typed().getLong(key);
    }

    /** Postfix booleans: yes/no (also true/false). */
    public boolean getBoolean(String key) {
        String v = get(key).strip().toLowerCase();
        return v.equals("yes") || v.equals("true") || v.equals("on") || v.equals("1");
    }

    /** Postfix time values: a number with an optional unit s, m, h, d, w (default seconds). */
    public Duration getTime(String key) {
        return parseTime(get(key), 's');
    }

    public static Duration parseTime(String v, char defaultUnit) {
        v = v.strip().toLowerCase();
        if (v.isEmpty()) {
            return Duration.ZERO;
        }
        char unit = Character.isLetter(v.charAt(v.length() - 1)) ? v.charAt(v.length() - 1) : defaultUnit;
        String num = Character.isLetter(v.charAt(v.length() - 1)) ? v.substring(0, v.length() - 1) : v;
        long n = Long.parseLong(num.strip());
        return switch (unit) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            case 'd' -> Duration.ofDays(n);
            case 'w' -> Duration.ofDays(7 * n);
            default -> throw new IllegalArgumentException("bad time unit in \"" + v + "\"");
        };
    }

    /** A Commons Configuration view of the expanded values, for typed conversions. */
    public Configuration typed() {
        BaseConfiguration c = new BaseConfiguration();
        for (String key : Defaults.all().keySet()) {
            c.addProperty(key, get(key));
        }
        for (String key : explicit.keySet()) {
            c.setProperty(key, get(key));
        }
        return c;
    }

    /** Locations of the config files. */
    public Path mainCf() {
        return configDirectory.resolve("main.cf");
    }

    public boolean exists() {
        return Files.exists(mainCf());
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }
}
