package org.jmail.local;

import java.util.Map;

/**
 * Postfix's mac_expand(3) as local(8) uses it for {@code forward_path},
 * {@code mailbox_command} and {@code luser_relay}: {@code $name}, {@code ${name}},
 * {@code $(name)}, {@code ${name?text}}, {@code ${name:text}}, {@code ${name?{a}:{b}}} and
 * {@code $$}, over the per-recipient attributes {@code user}, {@code home}, {@code shell},
 * {@code domain}, {@code local}, {@code mailbox}, {@code recipient}, {@code extension} and
 * {@code recipient_delimiter}.
 *
 * <p>Characters of a substituted value that are not in the filter become {@code _} (so an
 * address extension can't smuggle {@code ../} or shell syntax into a path or command). The
 * result says whether an undefined attribute was used unconditionally (Postfix then skips
 * that forward_path entry) and whether {@code $extension} was substituted.
 */
final class LocalExpander {

    /** @param undefined an attribute without value was used outside a ?/: test */
    record Result(String text, boolean undefined, boolean extensionUsed) {
    }

    private LocalExpander() {
    }

    static Result expand(String pattern, Map<String, String> attrs, String filter) {
        State st = new State(attrs, filter);
        String text = st.expand(pattern, 0);
        return new Result(text, st.undefined, st.extensionUsed);
    }

    private static final class State {
        final Map<String, String> attrs;
        final String filter;
        boolean undefined;
        boolean extensionUsed;

        State(Map<String, String> attrs, String filter) {
            this.attrs = attrs;
            this.filter = filter;
        }

        String expand(String s, int depth) {
            if (depth > 10) {
                return s;
            }
            StringBuilder out = new StringBuilder(s.length() + 32);
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
                    int end = matching(s, i + 1, n, n == '{' ? '}' : ')');
                    if (end < 0) {
                        out.append(s, i, s.length());
                        break;
                    }
                    out.append(braced(s.substring(i + 2, end), depth));
                    i = end + 1;
                } else if (isNameChar(n)) {
                    int j = i + 1;
                    while (j < s.length() && isNameChar(s.charAt(j))) {
                        j++;
                    }
                    out.append(use(s.substring(i + 1, j)));
                    i = j;
                } else {
                    out.append(c);
                    i++;
                }
            }
            return out.toString();
        }

        private String braced(String inner, int depth) {
            int j = 0;
            while (j < inner.length() && isNameChar(inner.charAt(j))) {
                j++;
            }
            String name = inner.substring(0, j);
            if (j == inner.length()) {
                return use(name);
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
            String v = attrs.get(name);
            boolean defined = v != null && !v.isEmpty();
            if (op == '?') {
                return defined ? expand(thenPart, depth + 1) : elsePart == null ? "" : expand(elsePart, depth + 1);
            }
            if (op == ':') {
                return defined ? "" : expand(thenPart, depth + 1);
            }
            return use(name);
        }

        private String use(String name) {
            String v = attrs.get(name);
            if (v == null) {
                undefined = true;
                return "";
            }
            if (name.equals("extension")) {
                extensionUsed = true;
            }
            return filter(v);
        }

        private String filter(String v) {
            if (filter == null) {
                return v;
            }
            StringBuilder sb = null;
            for (int k = 0; k < v.length(); k++) {
                if (filter.indexOf(v.charAt(k)) < 0) {
                    if (sb == null) {
                        sb = new StringBuilder(v);
                    }
                    sb.setCharAt(k, '_');
                }
            }
            return sb == null ? v : sb.toString();
        }
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
