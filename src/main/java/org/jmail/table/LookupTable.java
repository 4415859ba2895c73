package org.jmail.table;

import java.io.IOException;

/**
 * A Postfix-style lookup table addressed as {@code type:name} (dict(3) in Postfix).
 *
 * <p>Contract: {@link #find(String)} returns the value for a key, or {@code null} when the
 * key is absent. Keys are matched as the table type defines (hash/texthash fold case, as
 * Postfix's do unless the table was built with -f). A table that cannot be read throws
 * {@link IOException}: callers must treat that as a temporary failure (4xx / defer), never
 * as "not found".
 */
public interface LookupTable {

    /** The value for {@code key}, or null when absent. */
    String find(String key) throws IOException;

    /** The spec this table was opened as, e.g. {@code hash:/etc/aliases}. */
    String spec();
}
