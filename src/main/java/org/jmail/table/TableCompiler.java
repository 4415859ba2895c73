package org.jmail.table;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;

/**
 * What postmap(1) and postalias(1) do to compiled tables: build one from its source, add
 * entries from text (-i), delete keys (-d). Every change rewrites the compiled file atomically
 * through {@link HashDbWriter} (temp file, fsync, rename), with the source's owner, group and
 * read permissions; a running daemon picks the new file up by itself.
 *
 * <p>Warnings (bad lines, duplicates) go to {@link TableLog} with file:line. Failures throw
 * IOException with Postfix's wording, e.g. {@code open /etc/x: No such file or directory}.
 */
public final class TableCompiler {

    /**
     * Build options.
     *
     * @param fold            fold keys to lower case (false: postmap -f)
     * @param duplicates      default WARN; -w IGNORE; -r REPLACE
     * @param savePermissions copy group/other read permission from the source (false: -p, mode 0644)
     */
    public record Options(boolean fold, DuplicatePolicy duplicates, boolean savePermissions) {
        public static final Options DEFAULT = new Options(true, DuplicatePolicy.WARN, true);
    }

    private TableCompiler() {
    }

    /** True for types postmap can build (hash, btree, cdb, lmdb). */
    public static boolean canCompile(String type) {
        return Tables.compiledSuffix(type) != null;
    }

    /** The compiled file for a source: {@code name + ".db"} for hash. */
    public static Path compiledPath(String type, String name) {
        String suffix = Tables.compiledSuffix(type);
        if (suffix == null) {
            throw new IllegalArgumentException("unsupported map type for this operation: " + type);
        }
        return Path.of(name + suffix);
    }

    /** Builds the compiled file from the source {@code name}; returns the number of entries stored. */
    public static int compile(String type, String name, boolean aliases, Options options) throws IOException {
        Path source = Path.of(name);
        Path db = compiledPath(type, name);
        if (!Files.exists(source)) {
            throw new IOException("open " + source + ": No such file or directory");
        }
        if (Files.isDirectory(source)) {
            throw new IOException("open " + source + ": Is a directory");
        }
        Diagnostics diag = new Diagnostics(null, true);
        HashDbWriter w = new HashDbWriter(options.fold(), aliases, options.duplicates(), diag, db.toString());
        SourceSyntax syntax = aliases ? SourceSyntax.ALIASES : SourceSyntax.POSTMAP;
        try {
            syntax.parse(source, diag, (k, v, line) -> w.add(k, v));
        } catch (java.nio.file.AccessDeniedException e) {
            throw new IOException("open " + source + ": Permission denied", e);
        }
        if (aliases) {
            // Sendmail compatibility, as postalias does: "@:@" says the database is complete.
            w.remove("@");
            w.add("@", "@");
        }
        w.write(db, FileOwnership.of(source, options.savePermissions()));
        return w.count();
    }

    /** Adds entries written in source syntax (postmap -i reads them from stdin) to the compiled file. */
    public static void add(String type, String name, String text, boolean aliases, Options options)
            throws IOException {
        Path db = compiledPath(type, name);
        HashDb existing = openExisting(db, false);
        boolean fold = existing != null ? existing.folded() : options.fold();
        Diagnostics diag = new Diagnostics(null, true);
        HashDbWriter w = new HashDbWriter(fold, aliases || (existing != null && existing.aliases()),
                options.duplicates(), diag, db.toString());
        if (existing != null) {
            existing.forEach((k, v) -> w.add(k, v));
        }
        (aliases ? SourceSyntax.ALIASES : SourceSyntax.POSTMAP).parseText(text, "stdin", diag, (k, v, line) -> w.add(k, v));
        w.write(db, ownershipFor(db, Path.of(name), options));
    }

    /** Deletes each key from the compiled file; returns how many were found. */
    public static int delete(String type, String name, Collection<String> keys, Options options) throws IOException {
        Path db = compiledPath(type, name);
        HashDb existing = openExisting(db, true);
        HashDbWriter w = new HashDbWriter(existing.folded(), existing.aliases(), DuplicatePolicy.REPLACE, null,
                db.toString());
        existing.forEach((k, v) -> w.add(k, v));
        int found = 0;
        for (String key : keys) {
            if (w.remove(key)) {
                found++;
            }
        }
        if (found > 0) {
            w.write(db, ownershipFor(db, Path.of(name), options));
        }
        return found;
    }

    private static FileOwnership ownershipFor(Path db, Path source, Options options) {
        FileOwnership o = Files.exists(db) ? FileOwnership.of(db, options.savePermissions()) : null;
        if (o == null) {
            o = FileOwnership.of(source, options.savePermissions());
        }
        return o == null ? FileOwnership.defaults() : o;
    }

    private static HashDb openExisting(Path db, boolean required) throws IOException {
        try {
            return HashDb.open(db);
        } catch (NoSuchFileException e) {
            if (required) {
                throw new IOException("open database " + db + ": No such file or directory", e);
            }
            return null;
        }
    }
}
