package org.jmail.table;

import java.io.IOException;
import java.util.List;

/**
 * Opens lookup tables by their {@code type:name} spec. (Skeleton: the table work fills this in.)
 *
 * <p>Contract: {@link #open(String)} returns a live table that notices when its file (or the
 * compiled file) is rebuilt and reloads without a restart. {@link #openList(String)} opens a
 * Postfix table list ("hash:/etc/aliases, texthash:/etc/x") searched in order.
 */
public final class Tables {

    private Tables() {
    }

    public static LookupTable open(String spec) throws IOException {
        throw new IOException("unsupported dictionary type: " + spec);
    }

    public static List<LookupTable> openList(String value) throws IOException {
        throw new IOException("unsupported dictionary type: " + value);
    }
}
