package org.jmail.table;

import java.io.IOException;

/** {@code fail:name}: every lookup fails (temporary error), as Postfix's fail: table does for tests. */
final class FailTable implements LookupTable {

    private final String spec;

    FailTable(String spec) {
        this.spec = spec;
    }

    @Override
    public String find(String key) throws IOException {
        throw new IOException("table " + spec + ": lookup failed (fail: table)");
    }

    @Override
    public String spec() {
        return spec;
    }
}
