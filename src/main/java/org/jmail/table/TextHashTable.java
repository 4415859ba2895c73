package org.jmail.table;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code texthash:/path}: the postmap(1)-syntax source read straight into memory, keys folded
 * to lower case; reloaded when the file changes. The first of duplicate keys wins, with a
 * "duplicate entry" warning. A missing or unreadable file makes lookups throw IOException.
 */
final class TextHashTable extends ReloadingTable<Map<String, String>> implements EnumerableTable {

    private final Path source;

    TextHashTable(String spec, Path source) {
        super(spec);
        this.source = source;
        init();
    }

    @Override
    List<Path> watched() {
        return List.of(source);
    }

    @Override
    Map<String, String> load() throws IOException {
        return read(source, new Diagnostics(null, true));
    }

    static Map<String, String> read(Path source, Diagnostics diag) throws IOException {
        Map<String, String> map = new HashMap<>();
        try {
            SourceSyntax.TEXTHASH.parse(source, diag, (key, value, line) -> {
                if (map.putIfAbsent(HashDb.fold(key), value) != null) {
                    diag.warn(source.toString(), line, "duplicate entry: \"" + key + "\"");
                }
            });
        } catch (NoSuchFileException e) {
            throw new IOException("open database " + source + ": No such file or directory", e);
        }
        return map;
    }

    @Override
    String lookup(Map<String, String> map, String key) {
        return map.get(HashDb.fold(key));
    }

    @Override
    public void forEach(Visitor visitor) throws IOException {
        for (Map.Entry<String, String> e : state().entrySet()) {
            visitor.entry(e.getKey(), e.getValue());
        }
    }
}
