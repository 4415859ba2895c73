package org.jmail.table;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code cidr:/path} (cidr_table(5)): {@code network/prefix result} or {@code address result},
 * IPv4 and IPv6 (optionally in [brackets]), {@code !pattern} for a non-match, and
 * {@code if pattern} ... {@code endif} blocks. Rules are tried in file order; the first match
 * wins. The key is an address in text form; anything else matches nothing.
 *
 * <p>A bad rule (bad address, host bits set below the prefix, no result) is skipped with
 * Postfix's warning {@code cidr map FILE, line N: ...: skipping this rule}. An unreadable file
 * makes lookups throw IOException.
 */
final class CidrTable extends ReloadingTable<List<CidrTable.Rule>> {

    static final int MATCH = 0;
    static final int IF = 1;
    static final int ENDIF = 2;

    static final class Rule {
        final int op;
        final byte[] net;
        final byte[] mask;
        final boolean match;
        final String value;
        int endif = -1;

        Rule(int op, byte[] net, byte[] mask, boolean match, String value) {
            this.op = op;
            this.net = net;
            this.mask = mask;
            this.match = match;
            this.value = value;
        }

        /** Whether the rule fires for an address of the same family (negation applied). */
        boolean matches(byte[] addr) {
            for (int k = 0; k < addr.length; k++) {
                if ((addr[k] & mask[k]) != net[k]) {
                    return !match;
                }
            }
            return match;
        }
    }

    private final Path file;

    CidrTable(String spec, Path file) {
        super(spec);
        this.file = file;
        init();
    }

    @Override
    List<Path> watched() {
        return List.of(file);
    }

    @Override
    List<Rule> load() throws IOException {
        return parse(file, new Diagnostics("cidr", true));
    }

    static List<Rule> parse(Path file, Diagnostics diag) throws IOException {
        List<Rule> rules = new ArrayList<>();
        List<Integer> stack = new ArrayList<>();
        List<Integer> ifLines = new ArrayList<>();
        String name = file.toString();
        try {
            LogicalLines.read(file, diag, (line, number) -> {
                String p = line.substring(0, LogicalLines.trimEnd(line, 0));
                if (keyword(p, "endif")) {
                    if (!p.substring(5).isBlank()) {
                        diag.warn(name, number, "garbage after ENDIF: skipping this rule");
                        return;
                    }
                    if (stack.isEmpty()) {
                        diag.warn(name, number, "ENDIF without IF: skipping this rule");
                        return;
                    }
                    int at = stack.remove(stack.size() - 1);
                    ifLines.remove(ifLines.size() - 1);
                    rules.get(at).endif = rules.size();
                    rules.add(new Rule(ENDIF, null, null, true, null));
                    return;
                }
                boolean isIf = keyword(p, "if");
                String rest = isIf ? p.substring(2).strip() : p;
                // Negations may be followed by whitespace ("! 10.0.0.0/8 x"), as Postfix 3.7 allows.
                StringBuilder bangs = new StringBuilder();
                int sp = 0;
                while (sp < rest.length() && (rest.charAt(sp) == '!' || LogicalLines.isSpace(rest.charAt(sp)))) {
                    if (rest.charAt(sp) == '!') {
                        bangs.append('!');
                    }
                    sp++;
                }
                int start = sp;
                while (!isIf && sp < rest.length() && !LogicalLines.isSpace(rest.charAt(sp))) {
                    sp++;
                }
                // After IF the whole rest is the pattern, as in Postfix ("if 10.0.0.0/8 x" is a bad mask).
                String pattern = bangs + (isIf ? rest.substring(start) : rest.substring(start, sp));
                String value = isIf ? "" : rest.substring(sp).strip();
                if (pattern.isEmpty()) {
                    diag.warn(name, number, "no address pattern: skipping this rule");
                    return;
                }
                if (!isIf && value.isEmpty()) {
                    diag.warn(name, number, "no lookup result: skipping this rule");
                    return;
                }
                Rule r;
                try {
                    r = parsePattern(pattern, isIf ? IF : MATCH, isIf ? null : value);
                } catch (IllegalArgumentException e) {
                    diag.warn(name, number, e.getMessage() + ": skipping this rule");
                    return;
                }
                if (isIf) {
                    stack.add(rules.size());
                    ifLines.add(number);
                }
                rules.add(r);
            });
        } catch (NoSuchFileException e) {
            throw new IOException("open " + file + ": No such file or directory", e);
        }
        for (int k = ifLines.size() - 1; k >= 0; k--) {
            diag.warn(name, ifLines.get(k), "IF has no matching ENDIF");
        }
        return rules;
    }

    private static boolean keyword(String p, String word) {
        return p.regionMatches(true, 0, word, 0, word.length())
                && (p.length() == word.length() || LogicalLines.isSpace(p.charAt(word.length())));
    }

    /** cidr_match_parse: [!...]address[/len], brackets optional. */
    static Rule parsePattern(String pattern, int op, String value) {
        boolean match = true;
        int i = 0;
        while (i < pattern.length() && pattern.charAt(i) == '!') {
            match = !match;
            i++;
        }
        String p = pattern.substring(i);
        if (p.isEmpty()) {
            throw new IllegalArgumentException("no pattern");
        }
        String addr;
        String len = null;
        if (p.charAt(0) == '[') {
            int close = p.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("missing ']' character after \"" + p + "\"");
            }
            addr = p.substring(1, close);
            String after = p.substring(close + 1);
            if (after.startsWith("/")) {
                len = after.substring(1);
            } else if (!after.isEmpty()) {
                throw new IllegalArgumentException("garbage after \"" + p.substring(0, close + 1) + "\"");
            } else {
                int slash = addr.indexOf('/');
                if (slash >= 0) {
                    len = addr.substring(slash + 1);
                    addr = addr.substring(0, slash);
                }
            }
        } else {
            int slash = p.indexOf('/');
            addr = slash < 0 ? p : p.substring(0, slash);
            len = slash < 0 ? null : p.substring(slash + 1);
        }
        byte[] net = InetText.parse(addr);
        int bits = addr.indexOf(':') >= 0 ? 128 : 32;
        int prefix = bits;
        if (len != null) {
            String both = "\"" + addr + "/" + len + "\"";
            boolean digits = !len.isEmpty() && len.chars().allMatch(c -> c >= '0' && c <= '9');
            if (!digits) {
                throw new IllegalArgumentException("bad mask value in " + both);
            }
            prefix = len.length() > 3 ? Integer.MAX_VALUE : Integer.parseInt(len);
            if (prefix > bits) {
                throw new IllegalArgumentException("bad mask length in " + both);
            }
            if (net == null) {
                throw new IllegalArgumentException("bad network value in " + both);
            }
        } else if (net == null) {
            throw new IllegalArgumentException("bad address pattern: \"" + addr + "\"");
        }
        byte[] mask = new byte[net.length];
        for (int k = 0; k < prefix; k++) {
            mask[k >> 3] |= (byte) (0x80 >>> (k & 7));
        }
        for (int k = 0; k < net.length; k++) {
            if ((net[k] & ~mask[k]) != 0) {
                byte[] fixed = new byte[net.length];
                for (int j = 0; j < net.length; j++) {
                    fixed[j] = (byte) (net[j] & mask[j]);
                }
                throw new IllegalArgumentException("non-null host address bits in \"" + addr + "/" + len
                        + "\", perhaps you should use \"" + InetText.format(fixed) + "/" + prefix + "\" instead");
            }
        }
        return new Rule(op, net, mask, match, value);
    }

    @Override
    String lookup(List<Rule> rules, String key) {
        byte[] addr = InetText.parse(key);
        if (addr == null) {
            return null;
        }
        int n = rules.size();
        for (int i = 0; i < n; i++) {
            Rule r = rules.get(i);
            if (r.op == MATCH) {
                // As in Postfix, a rule of the other address family is skipped, negated or not.
                if (r.net.length == addr.length && r.matches(addr)) {
                    return r.value;
                }
            } else if (r.op == IF) {
                if (r.net.length == addr.length && r.matches(addr)) {
                    continue;
                }
                if (r.endif < 0) {
                    return null;
                }
                i = r.endif;
            }
        }
        return null;
    }
}
