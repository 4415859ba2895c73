package org.jmail.table;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code inline:{ key=value, { key = text with spaces } }} (Postfix 3): a table written in
 * main.cf itself. Entries are separated by commas or whitespace; an entry in braces may hold
 * spaces and commas, with whitespace around '=' stripped. Keys fold to lower case; a repeated
 * key takes the last value (Postfix does no duplicate check here).
 *
 * <p>Syntax errors are found when the table is opened: {@link #parse} throws IOException with
 * Postfix's wording ({@code ...; need "inline:{name=value...}"}).
 */
final class InlineTable implements EnumerableTable {

    private final String spec;
    private final Map<String, String> map;

    private InlineTable(String spec, Map<String, String> map) {
        this.spec = spec;
        this.map = map;
    }

    static InlineTable parse(String spec, String name) throws IOException {
        String need = "; need \"inline:{name=value...}\"";
        String body = name.strip();
        if (body.length() < 2 || body.charAt(0) != '{' || body.charAt(body.length() - 1) != '}') {
            throw new IOException("bad syntax: \"inline:" + name + "\"" + need);
        }
        Map<String, String> map = new HashMap<>();
        try {
            String inner = BraceSyntax.unwrap(body);
            for (String token : BraceSyntax.split(inner)) {
                String[] nv = BraceSyntax.nameValue(BraceSyntax.unwrap(token));
                map.put(HashDb.fold(nv[0]), nv[1]);
            }
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage() + ": \"inline:" + name + "\"" + need, e);
        }
        if (map.isEmpty()) {
            throw new IOException("empty table: \"inline:" + name + "\"" + need);
        }
        return new InlineTable(spec, map);
    }

    @Override
    public String find(String key) {
        return map.get(HashDb.fold(key));
    }

    @Override
    public String spec() {
        return spec;
    }

    @Override
    public void forEach(Visitor visitor) throws IOException {
        for (Map.Entry<String, String> e : map.entrySet()) {
            visitor.entry(e.getKey(), e.getValue());
        }
    }
}
