package org.jmail.resolve;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.jmail.table.LookupTable;

/** An in-memory lookup table for tests; keys are matched as given (callers fold them). */
final class MapTable implements LookupTable {
    private final String spec;
    private final Map<String, String> entries;
    int lookups;

    MapTable(String spec, Map<String, String> entries) {
        this.spec = spec;
        this.entries = new HashMap<>(entries);
    }

    /** An opener serving the given tables by spec; unknown specs fail like a missing file. */
    static TableOpener opener(MapTable... tables) {
        Map<String, MapTable> bySpec = new HashMap<>();
        for (MapTable t : tables) {
            bySpec.put(t.spec, t);
        }
        return spec -> {
            MapTable t = bySpec.get(spec);
            if (t == null) {
                throw new IOException("open database " + spec + ": No such file or directory");
            }
            return t;
        };
    }

    @Override
    public String find(String key) {
        lookups++;
        return entries.get(key);
    }

    @Override
    public String spec() {
        return spec;
    }
}
