package org.jmail.resolve;

import java.io.IOException;
import org.jmail.table.LookupTable;

/**
 * Opens a lookup table from its {@code type:name} spec. Production code uses
 * {@code Tables::open}; tests hand in small in-memory tables. A table that cannot be opened
 * throws {@link IOException}, which callers treat as a temporary failure.
 */
@FunctionalInterface
public interface TableOpener {

    LookupTable open(String spec) throws IOException;

    /** The production opener: {@link org.jmail.table.Tables#open(String)}. */
    static TableOpener standard() {
        return org.jmail.table.Tables::open;
    }
}
