package org.jmail.cli;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jmail.config.MainConfig;
import org.jmail.table.DuplicatePolicy;
import org.jmail.table.EnumerableTable;
import org.jmail.table.LookupTable;
import org.jmail.table.TableCompiler;
import org.jmail.table.TableLog;
import org.jmail.table.Tables;

/**
 * The body shared by postmap(1) and postalias(1): option parsing, the build / query (-q) /
 * delete (-d) / list (-s) / incremental (-i) modes, and Postfix-style diagnostics on stderr
 * ({@code postmap: warning: ...}, {@code postmap: fatal: ...}).
 *
 * <p>Exit status as Postfix's: 0 on success and for a key found; 1 for a key not found and
 * for any fatal error (after printing {@code PROG: fatal: reason}).
 */
final class MapTool {

    private static final String DEFAULT_CONFIG_DIR = "/etc/jmail";

    private final String prog;
    private final boolean aliases;
    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;
    private final String envConfigDir;

    private String configDir;
    private MainConfig config;

    /** Ends the run with a status after the message was printed. */
    private static final class Exit extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;

        Exit(int status) {
            super(null, null, false, false);
            this.status = status;
        }
    }

    MapTool(String prog, boolean aliases, InputStream in, PrintStream out, PrintStream err, String envConfigDir) {
        this.prog = prog;
        this.aliases = aliases;
        this.in = in;
        this.out = out;
        this.err = err;
        this.envConfigDir = envConfigDir;
    }

    private String usage() {
        return aliases
                ? "usage: " + prog + " [-Nfinoprsuvw] [-c config_dir] [-d key] [-q key] [map_type:]file..."
                : "usage: " + prog + " [-bfFhimnNoprsuUvw] [-c config_dir] [-d key] [-q key] [map_type:]file...";
    }

    int run(String[] args) {
        Consumer<String> previous = TableLog.setSink(m -> err.println(prog + ": warning: " + m));
        try {
            return doRun(args);
        } catch (Exit e) {
            return e.status;
        } finally {
            out.flush();
            err.flush();
            TableLog.setSink(previous);
        }
    }

    private int doRun(String[] args) {
        ToolOptions opts;
        try {
            opts = ToolOptions.parse(args, aliases ? "Nc:d:finopq:rsuvw" : "bc:d:fFhimnNopq:rsuUvw");
        } catch (ToolOptions.UsageException e) {
            err.println(prog + ": " + e.getMessage());
            throw fatal(usage());
        }
        boolean fold = true;
        boolean incremental = false;
        boolean savePerm = true;
        DuplicatePolicy dup = DuplicatePolicy.WARN;
        String query = null;
        String delkey = null;
        boolean sequence = false;
        for (ToolOptions.Option o : opts.options()) {
            switch (o.name()) {
                case 'c' -> configDir = o.arg();
                case 'd' -> {
                    if (sequence || query != null || delkey != null) {
                        throw fatal("specify only one of -s -q or -d");
                    }
                    delkey = o.arg();
                }
                case 'q' -> {
                    if (sequence || query != null || delkey != null) {
                        throw fatal("specify only one of -s -q or -d");
                    }
                    query = o.arg();
                }
                case 's' -> {
                    if (query != null || delkey != null) {
                        throw fatal("specify only one of -s or -q or -d");
                    }
                    sequence = true;
                }
                case 'f' -> fold = false;
                case 'i' -> incremental = true;
                case 'p' -> savePerm = false;
                case 'r' -> dup = DuplicatePolicy.REPLACE;
                case 'w' -> dup = DuplicatePolicy.IGNORE;
                case 'b', 'h', 'm', 'F' -> throw fatal("option -" + o.name() + " is not supported by jmail");
                default -> {
                    // -N, -n (null termination), -o (stay root), -u, -U (UTF-8), -v: nothing to do here.
                }
            }
        }
        if (configDir != null || envConfigDir != null && !envConfigDir.isEmpty()) {
            config(); // as Postfix's, a named config directory without main.cf is fatal
        }
        List<String> maps = opts.operands();
        TableCompiler.Options options = new TableCompiler.Options(fold, dup, savePerm);
        if (delkey != null) {
            if (maps.isEmpty()) {
                throw fatal(usage());
            }
            List<String> keys = delkey.equals("-") ? readLines() : List.of(delkey);
            int found = 0;
            for (String map : maps) {
                String[] tn = typeAndName(map);
                if (!TableCompiler.canCompile(tn[0])) {
                    throw fatal(unsupported(tn[0]));
                }
                try {
                    found += TableCompiler.delete(tn[0], tn[1], keys, options);
                } catch (IOException e) {
                    throw fatal(e.getMessage());
                }
            }
            return found > 0 ? 0 : 1;
        }
        if (query != null) {
            if (maps.isEmpty()) {
                throw fatal(usage());
            }
            return query.equals("-") ? queries(maps) : query(maps, query);
        }
        if (sequence) {
            if (maps.isEmpty()) {
                return 1;
            }
            sequence(maps.get(0));
            return 0;
        }
        if (maps.isEmpty()) {
            throw fatal(usage());
        }
        for (String map : maps) {
            String[] tn = typeAndName(map);
            if (tn[0].equals("proxy")) {
                throw fatal("can't create maps via the proxy service");
            }
            if (!TableCompiler.canCompile(tn[0])) {
                throw fatal(unsupported(tn[0]));
            }
            try {
                if (incremental) {
                    TableCompiler.add(tn[0], tn[1], readAll(), aliases, options);
                } else {
                    TableCompiler.compile(tn[0], tn[1], aliases, options);
                }
            } catch (IOException e) {
                throw fatal(e.getMessage());
            }
        }
        return 0;
    }

    private int query(List<String> maps, String key) {
        for (String map : maps) {
            String[] tn = typeAndName(map);
            LookupTable t = open(tn);
            String value;
            try {
                value = t.find(key);
            } catch (IOException e) {
                throw fatal("table " + tn[0] + ":" + tn[1] + ": query error: " + e.getMessage());
            }
            if (value != null) {
                warnEmpty(tn, key, value);
                out.println(value);
                return 0;
            }
        }
        return 1;
    }

    private int queries(List<String> maps) {
        LookupTable[] tables = new LookupTable[maps.size()];
        boolean found = false;
        PrintStream o = new PrintStream(new BufferedOutputStream(out, 1 << 16), false, StandardCharsets.UTF_8);
        for (String key : readLines()) {
            for (int n = 0; n < tables.length; n++) {
                String[] tn = typeAndName(maps.get(n));
                if (tables[n] == null) {
                    tables[n] = open(tn);
                }
                String value;
                try {
                    value = tables[n].find(key);
                } catch (IOException e) {
                    o.flush();
                    throw fatal("table " + tn[0] + ":" + tn[1] + ": query error: " + e.getMessage());
                }
                if (value != null) {
                    warnEmpty(tn, key, value);
                    o.print(key + (aliases ? ":\t" : "\t") + value + "\n");
                    found = true;
                    break;
                }
            }
        }
        o.flush();
        return found ? 0 : 1;
    }

    private void sequence(String map) {
        String[] tn = typeAndName(map);
        if (tn[0].equals("proxy")) {
            throw fatal("can't sequence maps via the proxy service");
        }
        LookupTable t = open(tn);
        if (!(t instanceof EnumerableTable e)) {
            throw fatal("table " + tn[0] + ":" + tn[1] + ": sequence operation is not supported");
        }
        PrintStream o = new PrintStream(new BufferedOutputStream(out, 1 << 16), false, StandardCharsets.UTF_8);
        try {
            e.forEach((k, v) -> o.print(k + (aliases ? ":\t" : "\t") + v + "\n"));
        } catch (IOException ex) {
            o.flush();
            throw fatal("table " + tn[0] + ":" + tn[1] + ": sequence error: " + ex.getMessage());
        }
        o.flush();
    }

    /** Postfix's words for a type that cannot be built (or updated) here. */
    private static String unsupported(String type) {
        return Tables.isKnownType(type)
                ? "unsupported dictionary type: " + type + " does not support bulk-mode creation."
                : "unsupported dictionary type: " + type + ". Is the postfix-" + type + " package installed?";
    }

    private void warnEmpty(String[] tn, String key, String value) {
        if (value.isEmpty()) {
            err.println(prog + ": warning: table " + tn[0] + ":" + tn[1] + ": key " + key
                    + ": empty string result is not allowed");
            err.println(prog + ": warning: table " + tn[0] + ":" + tn[1]
                    + " should return NO RESULT in case of NOT FOUND");
        }
    }

    private LookupTable open(String[] tn) {
        try {
            return Tables.openNow(tn[0] + ":" + tn[1]);
        } catch (IOException e) {
            throw fatal(e.getMessage());
        }
    }

    /** {type, name}: the operand split at its first ':', or the default database type. */
    private String[] typeAndName(String operand) {
        int colon = operand.indexOf(':');
        if (colon > 0) {
            return new String[] {operand.substring(0, colon), operand.substring(colon + 1)};
        }
        return new String[] {defaultType(), operand};
    }

    private String defaultType() {
        String t = config().get("default_database_type").strip();
        return t.isEmpty() ? "hash" : t;
    }

    /** main.cf, read only when a default is needed (keeps the common path fast). */
    MainConfig config() {
        if (config == null) {
            String dir = configDir != null ? configDir
                    : envConfigDir != null && !envConfigDir.isEmpty() ? envConfigDir : DEFAULT_CONFIG_DIR;
            Path file = Path.of(dir, "main.cf");
            try {
                if (!Files.exists(file)) {
                    throw new NoSuchFileException(file.toString());
                }
                config = MainConfig.load(Path.of(dir));
            } catch (NoSuchFileException e) {
                throw fatal("open " + file + ": No such file or directory");
            } catch (IOException e) {
                throw fatal("open " + file + ": " + e.getMessage());
            }
        }
        return config;
    }

    private List<String> readLines() {
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException e) {
            throw fatal("read stdin: " + e.getMessage());
        }
        return lines;
    }

    private String readAll() {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw fatal("read stdin: " + e.getMessage());
        }
    }

    private Exit fatal(String message) {
        err.println(prog + ": fatal: " + message);
        return new Exit(1);
    }
}
