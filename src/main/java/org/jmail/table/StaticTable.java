package org.jmail.table;

import java.io.IOException;

/**
 * {@code static:value} or {@code static:{ value with spaces }}: every key finds the value.
 * Unbalanced braces are an IOException at open.
 */
final class StaticTable implements LookupTable {

    private final String spec;
    private final String value;

    private StaticTable(String spec, String value) {
        this.spec = spec;
        this.value = value;
    }

    static StaticTable parse(String spec, String name) throws IOException {
        try {
            return new StaticTable(spec, name.startsWith("{") ? BraceSyntax.unwrap(name) : name);
        } catch (IllegalArgumentException e) {
            throw new IOException("static:" + name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String find(String key) {
        return value;
    }

    @Override
    public String spec() {
        return spec;
    }
}
