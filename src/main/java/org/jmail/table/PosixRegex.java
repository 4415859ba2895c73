package org.jmail.table;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Translates a POSIX regular expression, as regcomp(3) in glibc reads it for Postfix's
 * regexp tables, into an equivalent {@link java.util.regex.Pattern}.
 *
 * <p>Handled: extended (ERE, the default) and basic (BRE, the {@code x} flag) syntax; bracket
 * expressions with POSIX rules ({@code ]} first is literal, backslash is literal inside,
 * {@code [:alpha:]}-style classes, {@code [.x.]} and {@code [=x=]}); intervals (a bad one is an error, as in glibc); a quantifier with nothing to repeat (an
 * error in ERE, a literal '*' in BRE); stacked quantifiers ({@code a+?} means {@code (a+)?} in POSIX, not a lazy
 * quantifier); back-references {@code \1}..{@code \9}; GNU escapes {@code \w \W \s \S \b \B
 * \< \> \` \'}; and, for patterns written with PCRE habits, {@code \d \D \n \t \r \f} and the
 * {@code (?:} {@code (?=} {@code (?!} {@code (?<=} {@code (?<!} group forms. Any other escaped
 * character stands for itself, as in glibc.
 *
 * <p>Flags follow regcomp: case-insensitive ({@code REG_ICASE}); without {@code REG_NEWLINE}
 * {@code .} matches a newline and {@code $} matches only at the very end; with it, {@code ^}
 * and {@code $} work per line and {@code .} and {@code [^...]} don't match a newline.
 *
 * <p>Not reproduced: POSIX's leftmost-longest choice between alternatives (Java takes the
 * first alternative that matches); it changes which text $n captures in rare patterns, not
 * whether a pattern matches.
 *
 * <p>Failure: {@link #compile} throws IllegalArgumentException with a regerror-like message.
 */
final class PosixRegex {

    private PosixRegex() {
    }

    static Pattern compile(String re, boolean extended, boolean ignoreCase, boolean newline) {
        String java = translate(re, extended, newline);
        int flags = Pattern.UNIX_LINES;
        if (ignoreCase) {
            flags |= Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
        }
        flags |= newline ? Pattern.MULTILINE : Pattern.DOTALL;
        try {
            return Pattern.compile(java, flags);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(e.getDescription(), e);
        }
    }

    static String translate(String re, boolean ere, boolean newline) {
        StringBuilder out = new StringBuilder(re.length() + 16);
        int n = re.length();
        int atomStart = -1;          // where the last repeatable atom starts in out; -1: none
        boolean lastQuantified = false;
        int depth = 0;
        int i = 0;
        while (i < n) {
            char c = re.charAt(i);
            boolean atStart = atomStart < 0; // nothing to repeat yet (start, after "(", "|", "^")
            if (c == '\\') {
                if (i + 1 >= n) {
                    throw new IllegalArgumentException("Trailing backslash");
                }
                char d = re.charAt(i + 1);
                i += 2;
                if (!ere && d == '(') {
                    out.append('(');
                    depth++;
                    atomStart = -1;
                    lastQuantified = false;
                    continue;
                }
                if (!ere && d == ')') {
                    if (depth == 0) {
                        throw new IllegalArgumentException("Unmatched ) or \\)");
                    }
                    depth--;
                    atomStart = closeGroup(out);
                    lastQuantified = false;
                    continue;
                }
                if (!ere && d == '|') {
                    out.append('|');
                    atomStart = -1;
                    lastQuantified = false;
                    continue;
                }
                if (!ere && (d == '+' || d == '?' || d == '{')) {
                    if (atStart) {
                        atomStart = literal(out, d);
                        lastQuantified = false;
                        continue;
                    }
                    if (d == '{') {
                        int end = re.indexOf("\\}", i);
                        if (end < 0) {
                            throw new IllegalArgumentException("Unmatched \\{");
                        }
                        if (!isInterval(re.substring(i, end))) {
                            throw new IllegalArgumentException("Invalid content of \\{\\}");
                        }
                        quantifier(out, atomStart, lastQuantified, "{" + re.substring(i, end) + "}");
                        i = end + 2;
                    } else {
                        quantifier(out, atomStart, lastQuantified, String.valueOf(d));
                    }
                    lastQuantified = true;
                    continue;
                }
                int start = out.length();
                switch (d) {
                    case '1', '2', '3', '4', '5', '6', '7', '8', '9' -> out.append("(?:\\").append(d).append(')');
                    case 'w', 'W', 's', 'S', 'd', 'D' -> out.append('\\').append(d);
                    case 'b', 'B' -> {
                        out.append('\\').append(d);
                        atomStart = -1;
                        lastQuantified = false;
                        continue;
                    }
                    case '<' -> {
                        out.append("\\b(?=\\w)");
                        atomStart = -1;
                        lastQuantified = false;
                        continue;
                    }
                    case '>' -> {
                        out.append("\\b(?<=\\w)");
                        atomStart = -1;
                        lastQuantified = false;
                        continue;
                    }
                    case '`' -> {
                        out.append("\\A");
                        atomStart = -1;
                        lastQuantified = false;
                        continue;
                    }
                    case '\'' -> {
                        out.append("\\z");
                        atomStart = -1;
                        lastQuantified = false;
                        continue;
                    }
                    case 'n' -> out.append("\\n");
                    case 't' -> out.append("\\t");
                    case 'r' -> out.append("\\r");
                    case 'f' -> out.append("\\f");
                    default -> literal(out, d);
                }
                atomStart = start;
                lastQuantified = false;
                continue;
            }
            if (c == '[') {
                int start = out.length();
                i = bracket(re, i, out, newline);
                atomStart = start;
                lastQuantified = false;
                continue;
            }
            i++;
            if (ere) {
                switch (c) {
                    case '(' -> {
                        out.append('(');
                        depth++;
                        if (i < n && re.charAt(i) == '?') {
                            i = groupPrefix(re, i, out);
                        }
                        atomStart = -1;
                        lastQuantified = false;
                        continue;
                    }
                    case ')' -> {
                        if (depth == 0) {
                            throw new IllegalArgumentException("Unmatched ) or \\)");
                        }
                        depth--;
                        atomStart = closeGroup(out);
                        lastQuantified = false;
                        continue;
                    }
                    case '|' -> {
                        out.append('|');
                        atomStart = -1;
                        lastQuantified = false;
                        continue;
                    }
                    case '*', '+', '?' -> {
                        if (atStart) {
                            throw new IllegalArgumentException("Invalid preceding regular expression");
                        }
                        quantifier(out, atomStart, lastQuantified, String.valueOf(c));
                        lastQuantified = true;
                        continue;
                    }
                    case '{' -> {
                        if (atStart) {
                            throw new IllegalArgumentException("Invalid preceding regular expression");
                        }
                        int end = re.indexOf('}', i);
                        if (end < 0) {
                            throw new IllegalArgumentException("Unmatched \\{");
                        }
                        if (!isInterval(re.substring(i, end))) {
                            throw new IllegalArgumentException("Invalid content of \\{\\}");
                        }
                        quantifier(out, atomStart, lastQuantified, "{" + re.substring(i, end) + "}");
                        lastQuantified = true;
                        i = end + 1;
                        continue;
                    }
                    case '^' -> {
                        out.append('^');
                        atomStart = -1;
                        lastQuantified = false;
                        continue;
                    }
                    case '$' -> {
                        out.append(newline ? "$" : "\\z");
                        atomStart = -1;
                        lastQuantified = false;
                        continue;
                    }
                    default -> {
                    }
                }
            } else {
                // BRE: '*' repeats unless nothing precedes it; '^' and '$' anchor only at the ends.
                if (c == '*' && !atStart) {
                    quantifier(out, atomStart, lastQuantified, "*");
                    lastQuantified = true;
                    continue;
                }
                if (c == '^' && breAnchorStart(re, i - 1)) {
                    out.append('^');
                    atomStart = -1;
                    lastQuantified = false;
                    continue;
                }
                if (c == '$' && breAnchorEnd(re, i - 1)) {
                    out.append(newline ? "$" : "\\z");
                    atomStart = -1;
                    lastQuantified = false;
                    continue;
                }
            }
            int start = out.length();
            if (c == '.') {
                out.append('.');
            } else {
                literal(out, c);
            }
            atomStart = start;
            lastQuantified = false;
        }
        if (depth != 0) {
            throw new IllegalArgumentException("Unmatched ( or \\(");
        }
        return out.toString();
    }

    private static boolean breAnchorStart(String re, int pos) {
        return pos == 0 || re.startsWith("\\(", pos - 2) || re.startsWith("\\|", pos - 2);
    }

    private static boolean breAnchorEnd(String re, int pos) {
        return pos == re.length() - 1 || re.startsWith("\\)", pos + 1) || re.startsWith("\\|", pos + 1);
    }

    /** Emits a literal character; returns where it starts. */
    private static int literal(StringBuilder out, char c) {
        int start = out.length();
        if (Character.isLetterOrDigit(c) || c >= 0x80 || c == ' ') {
            out.append(c);
        } else {
            out.append('\\').append(c);
        }
        return start;
    }

    /** Appends a quantifier; a quantifier on a quantified atom wraps that atom first (POSIX stacking). */
    private static void quantifier(StringBuilder out, int atomStart, boolean lastQuantified, String q) {
        if (lastQuantified) {
            out.insert(atomStart, "(?:").append(')');
        }
        out.append(q);
    }

    /** After ")" the whole group is the atom a following quantifier applies to. */
    private static int closeGroup(StringBuilder out) {
        out.append(')');
        int level = 0;
        for (int j = out.length() - 1; j >= 0; j--) {
            char ch = out.charAt(j);
            if (escaped(out, j)) {
                continue;
            }
            if (ch == ')') {
                level++;
            } else if (ch == '(') {
                if (--level == 0) {
                    return j;
                }
            }
        }
        return 0;
    }

    /** True when the character at j is preceded by an odd number of backslashes or sits in a class. */
    private static boolean escaped(StringBuilder out, int j) {
        int k = j - 1;
        int count = 0;
        while (k >= 0 && out.charAt(k) == '\\') {
            count++;
            k--;
        }
        return (count & 1) == 1;
    }

    /** "m", "m," or "m,n" with m <= n (glibc refuses the rest). */
    private static boolean isInterval(String s) {
        int comma = s.indexOf(',');
        String lo = comma < 0 ? s : s.substring(0, comma);
        String hi = comma < 0 ? "" : s.substring(comma + 1);
        if (lo.isEmpty() || lo.length() > 5 || hi.length() > 5 || !digits(lo) || !digits(hi)) {
            return false;
        }
        return hi.isEmpty() || Integer.parseInt(lo) <= Integer.parseInt(hi);
    }

    private static boolean digits(String s) {
        for (int k = 0; k < s.length(); k++) {
            if (s.charAt(k) < '0' || s.charAt(k) > '9') {
                return false;
            }
        }
        return true;
    }

    private static int groupPrefix(String re, int i, StringBuilder out) {
        for (String p : new String[] {"?:", "?=", "?!", "?<=", "?<!"}) {
            if (re.startsWith(p, i)) {
                out.append(p);
                return i + p.length();
            }
        }
        throw new IllegalArgumentException("Invalid preceding regular expression");
    }

    /** Translates the bracket expression starting at re[i] == '['; returns the index after it. */
    private static int bracket(String re, int i, StringBuilder out, boolean newline) {
        int n = re.length();
        int j = i + 1;
        boolean negate = false;
        if (j < n && re.charAt(j) == '^') {
            negate = true;
            j++;
        }
        StringBuilder cls = new StringBuilder("[");
        if (negate) {
            cls.append('^');
            if (newline) {
                cls.append("\\n");
            }
        }
        boolean first = true;
        while (true) {
            if (j >= n) {
                throw new IllegalArgumentException("Unmatched [, [^, [:, [., or [=");
            }
            char c = re.charAt(j);
            if (c == ']' && !first) {
                j++;
                break;
            }
            first = false;
            if (c == '[' && j + 1 < n && (re.charAt(j + 1) == ':' || re.charAt(j + 1) == '.' || re.charAt(j + 1) == '=')) {
                char kind = re.charAt(j + 1);
                int end = re.indexOf(kind + "]", j + 2);
                if (end < 0) {
                    throw new IllegalArgumentException("Unmatched [, [^, [:, [., or [=");
                }
                String name = re.substring(j + 2, end);
                j = end + 2;
                if (kind == ':') {
                    cls.append(posixClass(name));
                } else {
                    for (int k = 0; k < name.length(); k++) {
                        classLiteral(cls, name.charAt(k));
                    }
                }
                continue;
            }
            // A range a-z (a '-' before the closing ']' is literal).
            if (j + 2 < n && re.charAt(j + 1) == '-' && re.charAt(j + 2) != ']') {
                char hi = re.charAt(j + 2);
                if (hi < c) {
                    throw new IllegalArgumentException("Invalid range end");
                }
                classLiteral(cls, c);
                cls.append('-');
                classLiteral(cls, hi);
                j += 3;
                continue;
            }
            classLiteral(cls, c);
            j++;
        }
        out.append(cls).append(']');
        return j;
    }

    private static void classLiteral(StringBuilder cls, char c) {
        if (Character.isLetterOrDigit(c) || c >= 0x80) {
            cls.append(c);
        } else {
            cls.append('\\').append(c);
        }
    }

    private static String posixClass(String name) {
        return switch (name) {
            case "alpha" -> "\\p{Alpha}";
            case "digit" -> "0-9";
            case "alnum" -> "\\p{Alnum}";
            case "upper" -> "\\p{Upper}";
            case "lower" -> "\\p{Lower}";
            case "space" -> "\\s";
            case "blank" -> " \\t";
            case "punct" -> "\\p{Punct}";
            case "print" -> "\\p{Print}";
            case "graph" -> "\\p{Graph}";
            case "cntrl" -> "\\p{Cntrl}";
            case "xdigit" -> "\\p{XDigit}";
            default -> throw new IllegalArgumentException("Invalid character class name");
        };
    }
}
