package org.jmail.table;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jmail.config.ConfigProblem;

/**
 * Finds what is wrong with a table for {@code jmail check}, without logging: source syntax
 * errors and duplicate keys with file:line, missing files, a compiled file that is missing,
 * not jmail's, or older than its source, an unknown type. Each problem is a
 * {@link ConfigProblem}; an empty list means the table is usable as it stands.
 */
public final class TableChecker {

    private TableChecker() {
    }

    /** Problems of every table in a table-list value such as main.cf's alias_maps. */
    public static List<ConfigProblem> checkList(String value) {
        List<ConfigProblem> out = new ArrayList<>();
        for (String spec : Tables.splitList(value)) {
            out.addAll(check(spec));
        }
        return out;
    }

    /** Problems of one table spec. */
    public static List<ConfigProblem> check(String spec) {
        List<ConfigProblem> out = new ArrayList<>();
        Tables.Spec s;
        try {
            s = Tables.parse(spec);
        } catch (IOException e) {
            out.add(new ConfigProblem(spec, 0, e.getMessage()));
            return out;
        }
        String type = s.type();
        String name = s.name();
        try {
            if (Tables.compiledSuffix(type) != null) {
                checkCompiled(Path.of(name), Path.of(name + Tables.compiledSuffix(type)), out);
            } else {
                switch (type) {
                    case "texthash" -> {
                        Diagnostics d = new Diagnostics(null, false);
                        TextHashTable.read(Path.of(name), d);
                        out.addAll(d.problems());
                    }
                    case "regexp", "pcre" -> {
                        Diagnostics d = new Diagnostics(type, false);
                        RegexpTable.parse(Path.of(name), type.equals("pcre"), d);
                        out.addAll(d.problems());
                    }
                    case "cidr" -> {
                        Diagnostics d = new Diagnostics("cidr", false);
                        CidrTable.parse(Path.of(name), d);
                        out.addAll(d.problems());
                    }
                    default -> Tables.create(s); // inline, static, unix, fail: errors are in the spec
                }
            }
        } catch (IOException e) {
            out.add(new ConfigProblem(s.text(), 0, e.getMessage()));
        }
        return out;
    }

    private static void checkCompiled(Path source, Path db, List<ConfigProblem> out) throws IOException {
        SourceSyntax syntax = null;
        try {
            HashDb compiled = HashDb.open(db);
            syntax = compiled.aliases() ? SourceSyntax.ALIASES : SourceSyntax.POSTMAP;
            FileStamp d = FileStamp.of(db);
            FileStamp src = FileStamp.of(source);
            if (src.exists() && src.mtimeNanos() > d.mtimeNanos()) {
                out.add(new ConfigProblem(db.toString(), 0, "database " + db + " is older than source file " + source));
            }
        } catch (NoSuchFileException e) {
            out.add(new ConfigProblem(db.toString(), 0, "open database " + db + ": No such file or directory"));
        } catch (HashDb.ForeignFormatException e) {
            out.add(new ConfigProblem(db.toString(), 0, e.getMessage() + " (rebuild it with postmap or postalias)"));
        } catch (IOException e) {
            out.add(new ConfigProblem(db.toString(), 0, e.getMessage()));
        }
        if (!Files.exists(source)) {
            if (syntax == null) {
                out.add(new ConfigProblem(source.toString(), 0, "open " + source + ": No such file or directory"));
            }
            return;
        }
        String text = LogicalLines.decode(Files.readAllBytes(source), source.toString(), null);
        if (syntax == null) {
            syntax = SourceSyntax.guess(source, text);
        }
        Diagnostics diag = new Diagnostics(null, false);
        Set<String> seen = new HashSet<>();
        syntax.parseText(text, source.toString(), diag, (key, value, line) -> {
            if (!seen.add(HashDb.fold(key))) {
                diag.warn(source.toString(), line, "duplicate entry: \"" + key + "\"");
            }
        });
        out.addAll(diag.problems());
    }
}
