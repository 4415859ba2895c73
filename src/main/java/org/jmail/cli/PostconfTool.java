package org.jmail.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jmail.config.ConfigFileReader;
import org.jmail.config.Defaults;
import org.jmail.config.MainConfig;
import org.jmail.config.MasterConfig;
import org.jmail.config.MasterService;

/**
 * postconf(1): {@code postconf [-c dir] [-d] [-n] [-h] [-x] [name ...]}, {@code postconf -e
 * name=value ...} (edit main.cf in place, keeping comments), {@code postconf -X|-# name ...}
 * (remove or comment out), {@code postconf -M} (master.cf). As Postfix's, a main.cf setting that
 * is neither a known parameter nor used as $name elsewhere is an "unknown parameter", left out
 * of the listings and warned about as "unused parameter".
 * Like Postfix, values print as written (unexpanded) unless {@code -x} is given.
 */
final class PostconfTool {

    private PostconfTool() {
    }

    static int run(String[] args) throws Exception {
        return run(args, System.out, System.err);
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        String confOpt = null;
        boolean defaults = false;
        boolean nonDefault = false;
        boolean valueOnly = false;
        boolean expand = false;
        char editMode = 0; // 'e' edit, 'X' remove, '#' comment out
        boolean master = false;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("-") && a.length() > 1 && names.isEmpty()) {
                for (int k = 1; k < a.length(); k++) {
                    char c = a.charAt(k);
                    switch (c) {
                        case 'c' -> {
                            if (k + 1 < a.length()) {
                                confOpt = a.substring(k + 1);
                            } else if (i + 1 < args.length) {
                                confOpt = args[++i];
                            } else {
                                throw new Main.UsageException("option -c requires an argument");
                            }
                            k = a.length();
                        }
                        case 'd' -> defaults = true;
                        case 'n' -> nonDefault = true;
                        case 'h' -> valueOnly = true;
                        case 'x' -> expand = true;
                        case 'e', 'X', '#' -> editMode = c;
                        case 'M' -> master = true;
                        case 'v' -> { }
                        default -> {
                            err.println("postconf: invalid option -- '" + c + "'");
                            throw new Main.UsageException(
                                "usage: postconf [-c config_dir] [-d] [-e] [-h] [-M] [-n] [-x] [-X] [-#] [name...]");
                        }
                    }
                }
            } else {
                names.add(a);
            }
        }
        Path dir = ConfigDirs.resolve(confOpt);
        if (editMode == 'e') {
            return edit(dir, names, err);
        }
        if (editMode != 0) {
            if (names.isEmpty()) {
                err.println("postconf: fatal: -" + editMode + " requires parameter name argument");
                return 1;
            }
            return removeOrComment(dir, names, editMode == '#');
        }
        if (master) {
            for (MasterService s : MasterConfig.load(dir).services()) {
                StringBuilder sb = new StringBuilder(String.format("%-10s %-5s %-4s %-4s %-4s %-5s %-5s %s",
                        s.name(), s.type(), s.privateFlag(), s.unprivileged(), s.chroot(), s.wakeup(), s.maxproc(), s.command()));
                s.args().forEach(x -> sb.append(' ').append(x));
                s.overrides().forEach((k, v) -> sb.append(" -o ").append(k).append('=').append(v));
                out.println(sb);
            }
            return 0;
        }
        if (!defaults && !Files.exists(dir.resolve("main.cf"))) {
            err.println("postconf: fatal: open " + dir.resolve("main.cf") + ": No such file or directory");
            return 1;
        }
        MainConfig config = MainConfig.load(dir);
        Set<String> unused = defaults ? Set.of() : unusedParameters(config, MasterConfig.load(dir));
        final boolean x = expand;
        Map<String, String> show = new TreeMap<>();
        if (names.isEmpty()) {
            if (nonDefault) {
                config.explicitSettings().forEach((k, v) -> show.put(k, x ? config.get(k) : v));
                if (namedDirectory(confOpt)) {
                    // Postfix counts -c DIR (or MAIL_CONFIG) as setting config_directory.
                    show.put("config_directory", dir.toString());
                }
            } else {
                for (String k : Defaults.all().keySet()) {
                    show.put(k, value(config, k, defaults, expand));
                }
                if (!defaults) {
                    config.explicitSettings().keySet().forEach(k -> show.put(k, value(config, k, false, x)));
                }
            }
            show.keySet().removeAll(unused);
        }
        for (String name : names) {
            if (!Defaults.isKnown(name) && (!config.isExplicit(name) || unused.contains(name))) {
                err.println("postconf: warning: " + name + ": unknown parameter");
                continue;
            }
            show.put(name, value(config, name, defaults, expand));
        }
        List<String> order = names.isEmpty() ? new ArrayList<>(show.keySet()) : names;
        for (String k : order) {
            String v = show.get(k);
            if (v != null) {
                out.println(valueOnly ? v : v.isEmpty() ? k + " =" : k + " = " + v);
            }
        }
        out.flush();
        for (String k : unused) {
            err.println("postconf: warning: " + dir.resolve("main.cf") + ": unused parameter: " + k + "="
                    + config.explicitSettings().get(k));
        }
        return 0;
    }

    private static boolean namedDirectory(String confOpt) {
        String env = System.getenv("MAIL_CONFIG");
        return confOpt != null && !confOpt.isEmpty() || env != null && !env.isEmpty();
    }

    /**
     * main.cf settings that are neither jmail parameters nor user-defined ones: Postfix counts a
     * name as user-defined only when some main.cf value or master.cf -o option uses it as
     * {@code $name}, {@code ${name...}} or {@code $(name...)}.
     */
    static Set<String> unusedParameters(MainConfig config, MasterConfig master) {
        Set<String> unused = new TreeSet<>();
        for (String k : config.explicitSettings().keySet()) {
            if (!Defaults.isKnown(k)) {
                unused.add(k);
            }
        }
        if (unused.isEmpty()) {
            return unused;
        }
        List<String> values = new ArrayList<>(config.explicitSettings().values());
        for (MasterService s : master.services()) {
            values.addAll(s.overrides().values());
        }
        Matcher m = REFERENCE.matcher("");
        for (String v : values) {
            m.reset(v);
            while (m.find()) {
                unused.remove(m.group(1) != null ? m.group(1) : m.group(2));
            }
        }
        return unused;
    }

    private static final Pattern REFERENCE = Pattern.compile("\\$(?:([A-Za-z0-9_]+)|[{(]([A-Za-z0-9_]+))");

    private static String value(MainConfig config, String key, boolean defaults, boolean expand) {
        if (defaults) {
            MainConfig d = MainConfig.of(config.configDirectory(), Map.of());
            return expand ? d.get(key) : d.raw(key);
        }
        return expand ? config.get(key) : config.raw(key);
    }

    /** postconf -e: replace each key's logical line in place, or append; atomic rename. */
    static int edit(Path dir, List<String> assignments) throws IOException {
        return edit(dir, assignments, System.err);
    }

    static int edit(Path dir, List<String> assignments, PrintStream err) throws IOException {
        if (assignments.isEmpty()) {
            err.println("postconf: fatal: -e requires name=value argument");
            return 1;
        }
        Path file = dir.resolve("main.cf");
        List<String> lines = Files.exists(file) ? new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8)) : new ArrayList<>();
        for (String a : assignments) {
            int eq = a.indexOf('=');
            if (eq <= 0) {
                err.println("postconf: fatal: missing '=' after attribute name: \"" + a.strip() + "\"");
                return 1;
            }
            String key = a.substring(0, eq).strip();
            String value = a.substring(eq + 1).strip();
            String newLine = key + " = " + value;
            int found = -1;
            for (ConfigFileReader.Line l : ConfigFileReader.split(lines)) {
                String t = l.text();
                int e = t.indexOf('=');
                if (e > 0 && t.substring(0, e).strip().equals(key)) {
                    found = l.number() - 1;
                }
            }
            if (found < 0) {
                lines.add(newLine);
            } else {
                lines.set(found, newLine);
                // drop the old value's continuation lines
                while (found + 1 < lines.size() && !lines.get(found + 1).isEmpty()
                        && Character.isWhitespace(lines.get(found + 1).charAt(0))
                        && !lines.get(found + 1).strip().startsWith("#") && !lines.get(found + 1).isBlank()) {
                    lines.remove(found + 1);
                }
            }
        }
        replace(file, lines);
        return 0;
    }

    /** postconf -X (remove) and -# (comment out): each named parameter's logical line in main.cf. */
    static int removeOrComment(Path dir, List<String> names, boolean comment) throws IOException {
        Path file = dir.resolve("main.cf");
        List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
        List<String> result = new ArrayList<>();
        boolean inMatch = false;
        for (String l : lines) {
            boolean continuation = !l.isEmpty() && Character.isWhitespace(l.charAt(0));
            if (!continuation && !l.isBlank() && !l.strip().startsWith("#")) {
                int e = l.indexOf('=');
                inMatch = e > 0 && names.contains(l.substring(0, e).strip());
            } else if (!continuation) {
                inMatch = false;
            }
            if (!inMatch || continuation && (l.isBlank() || l.strip().startsWith("#"))) {
                result.add(l);
            } else if (comment) {
                result.add("#" + l);
            }
        }
        replace(file, result);
        return 0;
    }

    private static void replace(Path file, List<String> lines) throws IOException {
        Path tmp = file.resolveSibling("main.cf.tmp");
        Files.write(tmp, lines, StandardCharsets.UTF_8);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
