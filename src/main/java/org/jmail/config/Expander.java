package org.jmail.config;

import java.util.function.Function;

/**
 * Postfix's parameter expansion (postconf(5) "$name"): {@code $name}, {@code ${name}},
 * {@code $(name)}, {@code ${name?value}}, {@code ${name:value}}, the Postfix 3 forms
 * {@code ${name?{value}}}, {@code ${name:{value}}}, {@code ${name?{a}:{b}}}, and {@code $$}.
 * An undefined name expands to the empty string. Recursion is bounded so that a loop
 * ({@code a = $b}, {@code b = $a}) ends instead of overflowing the stack, and so are the
 * steps and the length of one expansion (nested references multiply): both end in
 * {@code IllegalStateException}.
 */
public final class Expander {

    private static final int MAX_DEPTH = 100;

    private Expander() {
    }

    public static String expand(String value, Function<String, String> lookup, String forKey) {
        return expand(value, lookup, 0, new Work());
    }

    /**
     * The work one top-level expansion may do. Depth alone does not bound it: nested
     * references multiply ({@code a = $b$b$b$b}, {@code b = $c$c$c$c}, ... doubles the text per
     * level, and {@code ${b?x}} expands b just to test it), so a few lines of main.cf could take
     * gigabytes or hours. Postfix's own expansion has the same shape; a real main.cf needs a
     * few dozen steps and kilobytes, so these limits only ever stop a runaway.
     */
    private static final class Work {
        static final int MAX_STEPS = 100_000;
        static final int MAX_LENGTH = 1 << 20;
        int steps;

        void step(String s) {
            if (++steps > MAX_STEPS) {
                throw new IllegalStateException("parameter expansion too complex in \"" + abbreviate(s) + "\"");
            }
        }

        void check(StringBuilder out) {
            if (out.length() > MAX_LENGTH) {
                throw new IllegalStateException("parameter expansion longer than " + MAX_LENGTH + " characters");
            }
        }

        private static String abbreviate(String s) {
            return s.length() > 60 ? s.substring(0, 60) + "..." : s;
        }
    }

    private static String expand(String s, Function<String, String> lookup, int depth, Work work) {
        if (s.indexOf('$') < 0) {
            return s;
        }
        work.step(s);
        if (depth > MAX_DEPTH) {
            throw new IllegalStateException("parameter expansion too deep (loop?) in \"" + s + "\"");
        }
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c != '$' || i + 1 >= s.length()) {
                out.append(c);
                i++;
                continue;
            }
            char n = s.charAt(i + 1);
            if (n == '$') {
                out.append('$');
                i += 2;
            } else if (n == '{' || n == '(') {
                char close = n == '{' ? '}' : ')';
                int end = matching(s, i + 1, n, close);
                if (end < 0) { // unbalanced: keep literally, as postconf warns but does not fail
                    out.append(s, i, s.length());
                    break;
                }
                out.append(expandBraced(s.substring(i + 2, end), lookup, depth, work));
                work.check(out);
                i = end + 1;
            } else if (isNameChar(n)) {
                int j = i + 1;
                while (j < s.length() && isNameChar(s.charAt(j))) {
                    j++;
                }
                out.append(valueOf(s.substring(i + 1, j), lookup, depth, work));
                work.check(out);
                i = j;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static String expandBraced(String inner, Function<String, String> lookup, int depth, Work work) {
        int j = 0;
        while (j < inner.length() && isNameChar(inner.charAt(j))) {
            j++;
        }
        String name = inner.substring(0, j);
        if (j == inner.length()) {
            return valueOf(name, lookup, depth, work);
        }
        char op = inner.charAt(j);
        String rest = inner.substring(j + 1);
        String thenPart = rest;
        String elsePart = null;
        if (rest.startsWith("{")) {
            int end = matching(rest, 0, '{', '}');
            if (end > 0) {
                thenPart = rest.substring(1, end);
                String after = rest.substring(end + 1).strip();
                if (op == '?' && after.startsWith(":")) {
                    String e = after.substring(1).strip();
                    elsePart = e.startsWith("{") && e.endsWith("}") ? e.substring(1, e.length() - 1) : e;
                }
            }
        }
        boolean defined = !valueOf(name, lookup, depth, work).isEmpty();
        if (op == '?') {
            return defined ? expand(thenPart, lookup, depth + 1, work)
                    : elsePart == null ? "" : expand(elsePart, lookup, depth + 1, work);
        }
        if (op == ':') {
            return defined ? "" : expand(thenPart, lookup, depth + 1, work);
        }
        return valueOf(name, lookup, depth, work);
    }

    private static String valueOf(String name, Function<String, String> lookup, int depth, Work work) {
        String v = lookup.apply(name);
        return v == null ? "" : expand(v, lookup, depth + 1, work);
    }

    private static int matching(String s, int open, char o, char c) {
        int level = 0;
        for (int k = open; k < s.length(); k++) {
            if (s.charAt(k) == o) {
                level++;
            } else if (s.charAt(k) == c && --level == 0) {
                return k;
            }
        }
        return -1;
    }

    private static boolean isNameChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }
}
