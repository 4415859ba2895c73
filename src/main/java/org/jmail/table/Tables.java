package org.jmail.table;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.jmail.config.ConfigProblem;

/**
 * Opens lookup tables by their Postfix {@code type:name} spec.
 *
 * <p>Types: {@code hash} (and {@code btree}, {@code cdb}, {@code lmdb}, compiled by jmail to the
 * same indexed format: {@link HashTable}), {@code texthash}, {@code inline}, {@code static},
 * {@code regexp}, {@code pcre}, {@code cidr}, {@code unix} ({@code passwd.byname},
 * {@code group.byname}), {@code fail}; {@code proxy:TYPE:NAME} is the same as
 * {@code TYPE:NAME} (jmail has no proxymap process).
 *
 * <p>Contract: {@link #open(String)} returns a live table that notices when its files are
 * rebuilt and reloads without a restart; the same spec always yields the same cached instance.
 * A spec that can never work — unknown type, missing "type:", inline/static syntax error,
 * unknown unix: map — throws IOException at open ({@code unsupported dictionary type: X}).
 * A table whose file can't be read opens fine and throws IOException from
 * {@link LookupTable#find} (a temporary failure, never "not found") until the file is readable.
 * {@link #openList(String)} opens a Postfix table list ("hash:/etc/aliases, inline:{a=b}"),
 * split on commas and whitespace outside braces, in order.
 */
public final class Tables {

    private static final ConcurrentHashMap<String, LookupTable> CACHE = new ConcurrentHashMap<>();

    private Tables() {
    }

    /** A parsed spec: type and name, with any proxy: prefixes removed. */
    record Spec(String type, String name) {
        String text() {
            return type + ":" + name;
        }
    }

    static Spec parse(String spec) throws IOException {
        String s = spec.strip();
        while (s.startsWith("proxy:")) {
            s = s.substring("proxy:".length());
        }
        int colon = s.indexOf(':');
        if (colon <= 0 || colon == s.length() - 1) {
            throw new IOException("open dictionary: expecting \"type:name\" form instead of \"" + spec + "\"");
        }
        return new Spec(s.substring(0, colon), s.substring(colon + 1));
    }

    /** The file suffix of a compiled type, or null when the type is not compiled. */
    public static String compiledSuffix(String type) {
        return switch (type) {
            case "hash", "btree" -> ".db";
            case "cdb" -> ".cdb";
            case "lmdb" -> ".lmdb";
            default -> null;
        };
    }

    public static LookupTable open(String spec) throws IOException {
        Spec s = parse(spec);
        String key = s.text();
        LookupTable t = CACHE.get(key);
        if (t != null) {
            return t;
        }
        synchronized (CACHE) {
            t = CACHE.get(key);
            if (t == null) {
                t = create(s);
                CACHE.put(key, t);
            }
            return t;
        }
    }

    /**
     * Opens a table afresh, bypassing the cache: for one-shot tools (postmap -q) that must see
     * the files as they are now. Same errors as {@link #open}.
     */
    public static LookupTable openUncached(String spec) throws IOException {
        return create(parse(spec));
    }

    /**
     * {@link #openUncached}, and a file that cannot be read is an IOException now rather than at
     * the first lookup: postmap -q reports it as Postfix does, "open database X.db: ...".
     */
    public static LookupTable openNow(String spec) throws IOException {
        LookupTable t = openUncached(spec);
        if (t instanceof ReloadingTable<?> r) {
            r.state();
        }
        return t;
    }

    /** True for the types {@link #open} knows, compiled or not. */
    public static boolean isKnownType(String type) {
        return compiledSuffix(type) != null || switch (type) {
            case "texthash", "inline", "static", "regexp", "pcre", "cidr", "unix", "fail" -> true;
            default -> false;
        };
    }

    static LookupTable create(Spec s) throws IOException {
        String spec = s.text();
        String name = s.name();
        String suffix = compiledSuffix(s.type());
        if (suffix != null) {
            return new HashTable(spec, Path.of(name), suffix);
        }
        return switch (s.type()) {
            case "texthash" -> new TextHashTable(spec, Path.of(name));
            case "inline" -> InlineTable.parse(spec, name);
            case "static" -> StaticTable.parse(spec, name);
            case "regexp" -> new RegexpTable(spec, Path.of(name), false);
            case "pcre" -> new RegexpTable(spec, Path.of(name), true);
            case "cidr" -> new CidrTable(spec, Path.of(name));
            case "unix" -> UnixTable.open(spec, name);
            case "fail" -> new FailTable(spec);
            default -> throw new IOException("unsupported dictionary type: " + s.type());
        };
    }

    public static List<LookupTable> openList(String value) throws IOException {
        List<LookupTable> out = new ArrayList<>();
        for (String spec : BraceSyntax.split(value == null ? "" : value)) {
            out.add(open(spec));
        }
        return out;
    }

    /** The list entries of a table-list value, split as {@link #openList} splits them. */
    public static List<String> splitList(String value) {
        return BraceSyntax.split(value == null ? "" : value);
    }

    /** Syntax and availability problems of one table, with file:line, for {@code jmail check}. */
    public static List<ConfigProblem> problems(String spec) {
        return TableChecker.check(spec);
    }

    /** Forgets cached tables (tests). */
    static void clearCache() {
        CACHE.clear();
    }
}
