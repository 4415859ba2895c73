package org.jmail.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jmail.config.ConfigFileReader;
import org.jmail.config.Defaults;
import org.jmail.config.MainConfig;
import org.jmail.config.MasterConfig;
import org.jmail.config.MasterService;

/**
 * postconf(1): {@code postconf [-c dir] [-d] [-n] [-h] [-x] [name ...]}, {@code postconf -e
 * name=value ...} (edit main.cf in place, keeping comments), {@code postconf -M} (master.cf).
 * Like Postfix, values print as written (unexpanded) unless {@code -x} is given.
 */
final class PostconfTool {

    private PostconfTool() {
    }

    static int run(String[] args) throws Exception {
        String confOpt = null;
        boolean defaults = false;
        boolean nonDefault = false;
        boolean valueOnly = false;
        boolean expand = false;
        boolean edit = false;
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
                        case 'e' -> edit = true;
                        case 'M' -> master = true;
                        case 'v' -> { }
                        default -> throw new Main.UsageException("usage: postconf [-c config_dir] [-d] [-e] [-h] [-M] [-n] [-x] [name...]");
                    }
                }
            } else {
                names.add(a);
            }
        }
        Path dir = ConfigDirs.resolve(confOpt);
        if (edit) {
            return edit(dir, names);
        }
        if (master) {
            for (MasterService s : MasterConfig.load(dir).services()) {
                StringBuilder sb = new StringBuilder(String.format("%-10s %-5s %-4s %-4s %-4s %-5s %-5s %s",
                        s.name(), s.type(), s.privateFlag(), s.unprivileged(), s.chroot(), s.wakeup(), s.maxproc(), s.command()));
                s.args().forEach(x -> sb.append(' ').append(x));
                s.overrides().forEach((k, v) -> sb.append(" -o ").append(k).append('=').append(v));
                System.out.println(sb);
            }
            return 0;
        }
        MainConfig config = MainConfig.load(dir);
        final boolean x = expand;
        Map<String, String> show = new TreeMap<>();
        if (names.isEmpty()) {
            if (nonDefault) {
                config.explicitSettings().forEach((k, v) -> show.put(k, x ? config.get(k) : v));
            } else {
                for (String k : Defaults.all().keySet()) {
                    show.put(k, value(config, k, defaults, expand));
                }
                if (!defaults) {
                    config.explicitSettings().keySet().forEach(k -> show.put(k, value(config, k, false, x)));
                }
            }
        }
        for (String name : names) {
            if (!Defaults.isKnown(name) && !config.isExplicit(name)) {
                System.err.println("postconf: warning: " + name + ": unknown parameter");
                continue;
            }
            show.put(name, value(config, name, defaults, expand));
        }
        List<String> order = names.isEmpty() ? new ArrayList<>(show.keySet()) : names;
        for (String k : order) {
            String v = show.get(k);
            if (v != null) {
                System.out.println(valueOnly ? v : v.isEmpty() ? k + " =" : k + " = " + v);
            }
        }
        return 0;
    }

    private static String value(MainConfig config, String key, boolean defaults, boolean expand) {
        if (defaults) {
            MainConfig d = MainConfig.of(config.configDirectory(), Map.of());
            return expand ? d.get(key) : d.raw(key);
        }
        return expand ? config.get(key) : config.raw(key);
    }

    /** postconf -e: replace each key's logical line in place, or append; atomic rename. */
    static int edit(Path dir, List<String> assignments) throws IOException {
        Path file = dir.resolve("main.cf");
        List<String> lines = Files.exists(file) ? new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8)) : new ArrayList<>();
        for (String a : assignments) {
            int eq = a.indexOf('=');
            if (eq <= 0) {
                System.err.println("postconf: fatal: edit accepts only name=value input, got: " + a);
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
        Path tmp = file.resolveSibling("main.cf.tmp");
        Files.write(tmp, lines, StandardCharsets.UTF_8);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return 0;
    }
}
