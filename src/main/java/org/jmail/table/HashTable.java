package org.jmail.table;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code hash:/path} (also btree:, cdb:, lmdb:, which jmail compiles to the same format): looks
 * keys up in the compiled file {@code /path.db} that postmap/postalias wrote ({@link HashDb}).
 *
 * <p>When the compiled file is missing, or is not jmail's (a Berkeley DB left by Postfix), the
 * table logs a warning saying which, and answers from the source text instead, like texthash —
 * so a fresh install works before the first postmap. The source's syntax (aliases(5) or
 * postmap(1)) is then guessed from its name and content. When the compiled file is older than
 * its source it still answers from the compiled file, and warns in Postfix's words, once per
 * change: {@code database /etc/x.db is older than source file /etc/x}.
 *
 * <p>Failure: with neither file readable, lookups throw IOException.
 */
final class HashTable extends ReloadingTable<HashTable.State> implements EnumerableTable {

    /** Either a mapped compiled file or, as a fallback, the source parsed into memory. */
    record State(HashDb db, Map<String, String> source) {
    }

    private final Path source;
    private final Path db;
    private String lastOlderWarning = "";

    HashTable(String spec, Path source, String suffix) {
        super(spec);
        this.source = source;
        this.db = Path.of(source + suffix);
        init();
    }

    @Override
    List<Path> watched() {
        return List.of(db, source);
    }

    @Override
    State load() throws IOException {
        try {
            HashDb compiled = HashDb.open(db);
            warnIfOlder();
            return new State(compiled, null);
        } catch (NoSuchFileException e) {
            if (!Files.exists(source)) {
                throw new IOException("open database " + db + ": No such file or directory");
            }
            SourceSyntax syntax = guessSyntax();
            TableLog.warn("database " + db + " does not exist; using source file " + source
                    + " directly (run " + runHint(syntax) + ")");
            return new State(null, readSource(syntax));
        } catch (java.nio.file.AccessDeniedException e) {
            throw new IOException("open database " + db + ": Permission denied", e);
        } catch (HashDb.ForeignFormatException e) {
            if (!Files.exists(source)) {
                throw new IOException("database " + db + " is not in jmail format and source file " + source
                        + " does not exist");
            }
            SourceSyntax syntax = guessSyntax();
            TableLog.warn("database " + db + " is not in jmail format (a Postfix Berkeley DB?); using source file "
                    + source + " directly (run " + runHint(syntax) + ")");
            return new State(null, readSource(syntax));
        }
    }

    private String runHint(SourceSyntax syntax) {
        return (syntax == SourceSyntax.ALIASES ? "postalias " : "postmap ") + source;
    }

    private SourceSyntax guessSyntax() throws IOException {
        return SourceSyntax.guess(source, LogicalLines.decode(Files.readAllBytes(source), source.toString(), null));
    }

    private void warnIfOlder() {
        FileStamp d = FileStamp.of(db);
        FileStamp s = FileStamp.of(source);
        if (d.exists() && s.exists() && s.mtimeNanos() > d.mtimeNanos()) {
            String key = d.mtimeNanos() + "/" + s.mtimeNanos();
            synchronized (this) {
                if (!key.equals(lastOlderWarning)) {
                    lastOlderWarning = key;
                    TableLog.warn("database " + db + " is older than source file " + source);
                }
            }
        }
    }

    private Map<String, String> readSource(SourceSyntax syntax) throws IOException {
        Map<String, String> map = new HashMap<>();
        Diagnostics diag = new Diagnostics(null, true);
        try {
            syntax.parse(source, diag, (key, value, line) -> {
                if (map.putIfAbsent(HashDb.fold(key), value) != null) {
                    diag.warn(source.toString(), line, "duplicate entry: \"" + key + "\"");
                }
            });
        } catch (NoSuchFileException e) {
            throw new IOException("open " + source + ": No such file or directory", e);
        }
        return map;
    }

    @Override
    String lookup(State s, String key) throws IOException {
        return s.db != null ? s.db.find(key) : s.source.get(HashDb.fold(key));
    }

    @Override
    public void forEach(Visitor visitor) throws IOException {
        State s = state();
        if (s.db != null) {
            s.db.forEach(visitor::entry);
        } else {
            for (Map.Entry<String, String> e : s.source.entrySet()) {
                visitor.entry(e.getKey(), e.getValue());
            }
        }
    }

    /** True when answering from the compiled file (false: source fallback). */
    boolean compiled() throws IOException {
        return state().db != null;
    }

    Path source() {
        return source;
    }

    Path db() {
        return db;
    }
}
