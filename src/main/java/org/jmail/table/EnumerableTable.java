package org.jmail.table;

import java.io.IOException;

/**
 * A table whose entries can be listed ({@code postmap -s}): hash (compiled or its source),
 * texthash and inline. Pattern tables (regexp, cidr) and computed ones (unix, static) are not.
 */
public interface EnumerableTable extends LookupTable {

    /** Receives one entry. */
    interface Visitor {
        void entry(String key, String value) throws IOException;
    }

    /** Visits every entry: a compiled table in file (source) order; others in unspecified order. */
    void forEach(Visitor visitor) throws IOException;
}
