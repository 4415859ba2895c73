package org.jmail.local;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import org.jmail.posix.FileInfo;
import org.jmail.posix.NativeFile;
import org.jmail.posix.PosixException;
import org.jmail.table.LookupTable;

/**
 * The alias_maps tables, searched in order, with the owner of each table's file: Postfix runs
 * {@code |command} and {@code /file} destinations of an alias with the rights of the alias
 * database owner, and with default_privs when root owns it.
 *
 * <p>Tables are opened on first use and kept (they reload themselves when rebuilt); a failure
 * to open them is retried at the next delivery. Names are looked up in lower case, as Postfix
 * folds alias names. A table that can't be read throws {@link IOException}: "alias database
 * unavailable", a temporary failure.
 */
final class AliasMaps {

    /** An alias found in one table. {@code ownerUid} is 0 for root-owned or file-less tables. */
    record Alias(String value, String spec, int ownerUid) {
    }

    private final String value;
    private final TableSource source;
    private volatile List<LookupTable> tables;
    private final ConcurrentHashMap<String, OwnerCache> owners = new ConcurrentHashMap<>();

    private record OwnerCache(int uid, long checked) {
    }

    AliasMaps(String aliasMapsValue, TableSource source) {
        this.value = aliasMapsValue == null ? "" : aliasMapsValue.strip();
        this.source = source;
    }

    boolean isEmpty() {
        return value.isEmpty();
    }

    /** The first table's answer for {@code name}, or null. */
    Alias find(String name) throws IOException {
        String key = name.toLowerCase(Locale.ROOT);
        for (LookupTable t : tables()) {
            String v = t.find(key);
            if (v != null) {
                return new Alias(v, t.spec(), ownerOf(t.spec()));
            }
        }
        return null;
    }

    private List<LookupTable> tables() throws IOException {
        List<LookupTable> t = tables;
        if (t == null) {
            if (value.isEmpty()) {
                t = List.of();
            } else {
                t = List.copyOf(source.openList(value));
            }
            tables = t;
        }
        return t;
    }

    /** The uid owning the table's file (type:/path), re-checked at most once a second. */
    private int ownerOf(String spec) {
        long now = System.nanoTime();
        OwnerCache c = owners.get(spec);
        if (c != null && now - c.checked < 1_000_000_000L) {
            return c.uid;
        }
        int uid = 0;
        int colon = spec == null ? -1 : spec.indexOf(':');
        String path = colon >= 0 ? spec.substring(colon + 1) : spec;
        if (path != null && path.startsWith("/")) {
            try {
                FileInfo st = NativeFile.stat(path);
                if (st == null) {
                    st = NativeFile.stat(path + ".db");
                }
                uid = st == null ? 0 : st.uid();
            } catch (PosixException e) {
                uid = 0;
            }
        }
        owners.put(spec, new OwnerCache(uid, now));
        return uid;
    }
}
