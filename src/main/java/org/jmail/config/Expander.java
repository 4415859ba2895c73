package org.jmail.config;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Postfix's parameter expansion (postconf(5) "$name"): {@code $name}, {@code ${name}},
 * {@code $(name)}, {@code ${name?value}}, {@code ${name:value}}, the Postfix 3 forms
 * {@code ${name?{value}}}, {@code ${name:{value}}}, {@code ${name?{a}:{b}}}, and {@code $$}.
 * An undefined name expands to the empty string. Recursion is bounded so that a loop
 * ({@code a = $b}, {@code b = $a}) ends instead of overflowing the stack, and so are the
 * steps and the length of one expansion (nested references multiply): both end in
 * {@code IllegalStateException}.
 *
 * <p>Each name is expanded once: its value is kept in a memo (MainConfig shares one across
 * all its keys), so {@code a = $b$b$b$b}, {@code b = $c$c$c$c}, ... costs one expansion per
 * name plus copying, never a tree of repeated expansions, and {@code ${b?x}} tests a value
 * already known. Only complete expansions enter the memo. A name met again inside its own
 * expansion is a loop, reported at once (Postfix notices at 100 levels of nesting).
 */
public final class Expander {

    private static final int MAX_DEPTH = 100;

    private Expander() {
    }

    public static String expand(String value, Function<String, String> lookup, String forKey) {
        return expand(value, lookup, new HashMap<>(), forKey);
    }

    /**
     * Expands {@code value}, taking names' raw values from {@code lookup} and keeping each
     * name's expanded value in {@code memo} (read first, written when complete), which the
     * caller may share between calls over the same configuration.
     */
    public static String expand(String value, Function<String, String> lookup, Map<String, String> memo,
                                String forKey) {
        Work work = new Work(memo);
        if (forKey != null) {
            work.active.add(forKey);
        }
        return expand(value, lookup, 0, work);
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
        /** Characters in one value; a real main.cf value has a few hundred. */
        static final int MAX_LENGTH = 100_000;
        final Map<String, String> memo;
        /** Names whose expansion is in progress: meeting one again is a loop. */
        final java.util.Set<String> active = new java.util.HashSet<>();
        int steps;

        Work(Map<String, String> memo) {
            this.memo = memo;
        }

        void step(String s, int from, int to) {
            if (++steps > MAX_STEPS) {
                throw new IllegalStateException("parameter expansion too complex in \""
                        + abbreviate(s.substring(from, Math.min(to, from + 61))) + "\"");
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
        return expand(s, 0, s.length(), lookup, depth, work);
    }

    /**
     * Expands {@code s[from, to)}. Works on index ranges of the one string rather than on
     * substrings: nested {@code ${a?${a?...}}} 100 levels deep would otherwise copy the rest of
     * a long value once per level.
     */
    private static String expand(String s, int from, int to, Function<String, String> lookup, int depth,
                                 Work work) {
        int dollar = s.indexOf('$', from);
        if (dollar < 0 || dollar >= to) {
            return s.substring(from, to);
        }
        work.step(s, from, to);
        if (depth > MAX_DEPTH) {
            throw new IllegalStateException("parameter expansion too deep (loop?) in \""
                    + Work.abbreviate(s.substring(from, Math.min(to, from + 61))) + "\"");
        }
        StringBuilder out = new StringBuilder(Math.min(to - from + 16, 1024));
        int i = from;
        while (i < to) {
            char c = s.charAt(i);
            if (c != '$' || i + 1 >= to) {
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
                int end = matching(s, i + 1, to, n, close);
                if (end < 0) { // unbalanced: keep literally, as postconf warns but does not fail
                    out.append(s, i, to);
                    break;
                }
                out.append(expandBraced(s, i + 2, end, lookup, depth, work));
                work.check(out);
                i = end + 1;
            } else if (isNameChar(n)) {
                int j = i + 1;
                while (j < to && isNameChar(s.charAt(j))) {
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

    /** The inside of {@code ${...}} or {@code $(...)}: {@code s[from, to)}. */
    private static String expandBraced(String s, int from, int to, Function<String, String> lookup, int depth,
                                       Work work) {
        int j = from;
        while (j < to && isNameChar(s.charAt(j))) {
            j++;
        }
        String name = s.substring(from, j);
        if (j == to) {
            return valueOf(name, lookup, depth, work);
        }
        char op = s.charAt(j);
        int thenFrom = j + 1;
        int thenTo = to;
        int elseFrom = -1;
        int elseTo = -1;
        if (thenFrom < to && s.charAt(thenFrom) == '{') {
            int end = matching(s, thenFrom, to, '{', '}');
            if (end > thenFrom) {
                int after = end + 1;
                thenFrom++;
                thenTo = end;
                int afterTo = to;
                while (after < afterTo && Character.isWhitespace(s.charAt(after))) {
                    after++;
                }
                while (afterTo > after && Character.isWhitespace(s.charAt(afterTo - 1))) {
                    afterTo--;
                }
                if (op == '?' && after < afterTo && s.charAt(after) == ':') {
                    int e = after + 1;
                    while (e < afterTo && Character.isWhitespace(s.charAt(e))) {
                        e++;
                    }
                    if (afterTo - e >= 2 && s.charAt(e) == '{' && s.charAt(afterTo - 1) == '}') {
                        elseFrom = e + 1;
                        elseTo = afterTo - 1;
                    } else {
                        elseFrom = e;
                        elseTo = afterTo;
                    }
                }
            }
        }
        boolean defined = !valueOf(name, lookup, depth, work).isEmpty();
        if (op == '?') {
            return defined ? expand(s, thenFrom, thenTo, lookup, depth + 1, work)
                    : elseFrom < 0 ? "" : expand(s, elseFrom, elseTo, lookup, depth + 1, work);
        }
        if (op == ':') {
            return defined ? "" : expand(s, thenFrom, thenTo, lookup, depth + 1, work);
        }
        return valueOf(name, lookup, depth, work);
    }

    private static String valueOf(String name, Function<String, String> lookup, int depth, Work work) {
        String known = work.memo.get(name);
        if (known != null) {
            return known;
        }
        if (!work.active.add(name)) { // a = $b, b = ${a?x}: found at once, not 100 copies later
            throw new IllegalStateException("parameter expansion loop: $" + name + " refers to itself");
        }
        try {
            String v = lookup.apply(name);
            String value = v == null ? "" : expand(v, lookup, depth + 1, work);
            work.memo.put(name, value);
            return value;
        } finally {
            work.active.remove(name);
        }
    }

    private static int matching(String s, int open, int to, char o, char c) {
        int level = 0;
        for (int k = open; k < to; k++) {
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
