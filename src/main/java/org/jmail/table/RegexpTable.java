package org.jmail.table;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code regexp:/path} (regexp_table(5), POSIX regular expressions through {@link PosixRegex})
 * and {@code pcre:/path} (pcre_table(5), patterns handed to java.util.regex nearly as written).
 *
 * <p>Rules are tried in file order; the first match wins:
 * <pre>
 *   /pattern/flags result          match
 *   !/pattern/flags result         match when the pattern does not match
 *   /pat1/!/pat2/ result           pat1 matches and pat2 does not
 *   if /pattern/flags ... endif    the rules inside apply only when the pattern matches
 * </pre>
 * Any non-alphanumeric delimiter may replace '/'; a backslash protects it inside the pattern.
 * regexp flags: {@code i} toggles case-insensitive (on by default), {@code x} toggles extended
 * syntax (on by default: turning it off gives POSIX basic syntax), {@code m} toggles multi-line
 * mode. pcre flags: {@code i} (on by default), {@code m}, {@code s}, {@code x}, {@code A},
 * {@code E}, {@code X}. In the result, {@code $1}..{@code $9}, {@code ${n}} and {@code $(n)} take
 * the text of a group ({@code $$} is a dollar sign); a group that did not match gives "".
 * Keys are not case-folded: the {@code i} flag decides.
 *
 * <p>A bad rule is skipped with Postfix's warning ({@code regexp map FILE, line N: ...});
 * patterns are compiled once per load. An unreadable file makes lookups throw IOException.
 */
final class RegexpTable extends ReloadingTable<List<RegexpTable.Rule>> {

    sealed interface Rule permits MatchRule, IfRule, EndifRule {
    }

    record MatchRule(Pattern first, boolean firstMatch, Pattern second, boolean secondMatch, Object[] result,
            String literal) implements Rule {
    }

    static final class IfRule implements Rule {
        final Pattern pattern;
        final boolean match;
        int endif = -1; // index of the matching endif; -1: none

        IfRule(Pattern pattern, boolean match) {
            this.pattern = pattern;
            this.match = match;
        }
    }

    record EndifRule() implements Rule {
    }

    private final Path file;
    private final boolean pcre;

    RegexpTable(String spec, Path file, boolean pcre) {
        super(spec);
        this.file = file;
        this.pcre = pcre;
        init();
    }

    @Override
    List<Path> watched() {
        return List.of(file);
    }

    @Override
    List<Rule> load() throws IOException {
        return parse(file, pcre, new Diagnostics(pcre ? "pcre" : "regexp", true));
    }

    static List<Rule> parse(Path file, boolean pcre, Diagnostics diag) throws IOException {
        List<Rule> rules = new ArrayList<>();
        List<Integer> stack = new ArrayList<>();
        List<Integer> ifLines = new ArrayList<>();
        String name = file.toString();
        try {
            LogicalLines.read(file, diag, (line, number) -> {
                String p = line.substring(0, LogicalLines.trimEnd(line, 0));
                if (p.isEmpty()) {
                    return;
                }
                Rule r = parseLine(p, number, name, pcre, diag, stack.size());
                if (r == null) {
                    return;
                }
                if (r instanceof IfRule) {
                    stack.add(rules.size());
                    ifLines.add(number);
                } else if (r instanceof EndifRule) {
                    int at = stack.remove(stack.size() - 1);
                    ifLines.remove(ifLines.size() - 1);
                    ((IfRule) rules.get(at)).endif = rules.size();
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

    /** One parsed pattern: where parsing stopped and the compiled form (null after a reported error). */
    private record Pat(Pattern pattern, boolean match, int next) {
    }

    private static Rule parseLine(String p, int line, String name, boolean pcre, Diagnostics diag, int nesting) {
        char c0 = p.charAt(0);
        if (!Character.isLetterOrDigit(c0)) {
            int[] subs = new int[1];
            Pat first = pattern(p, 0, line, name, pcre, diag);
            if (first == null) {
                return null;
            }
            Pat second = null;
            int pos = first.next;
            if (pos < p.length() && p.charAt(pos) == '!') {
                second = pattern(p, pos, line, name, pcre, diag);
                if (second == null) {
                    return null;
                }
                pos = second.next;
            }
            while (pos < p.length() && LogicalLines.isSpace(p.charAt(pos))) {
                pos++;
            }
            String text = p.substring(pos);
            if (text.isEmpty()) {
                diag.warn(name, line, "no replacement text: using empty string");
            }
            Object[] parts = replacement(text, line, name, diag, subs);
            if (parts == null) {
                diag.warn(name, line, "bad replacement syntax: skipping this rule");
                return null;
            }
            if (subs[0] > 0 && !first.match) {
                diag.warn(name, line, "$number found in negative match replacement text: skipping this rule");
                return null;
            }
            if (first.pattern == null || (second != null && second.pattern == null)) {
                return null;
            }
            int groups = first.pattern.matcher("").groupCount();
            if (subs[0] > groups) {
                diag.warn(name, line, "out of range replacement index \"" + subs[0] + "\": skipping this rule");
                return null;
            }
            String literal = subs[0] == 0 ? join(parts) : null;
            return new MatchRule(first.pattern, first.match, second == null ? null : second.pattern,
                    second == null || second.match, parts, literal);
        }
        if (keyword(p, "if")) {
            int pos = 2;
            while (pos < p.length() && LogicalLines.isSpace(p.charAt(pos))) {
                pos++;
            }
            Pat pat = pattern(p, pos, line, name, pcre, diag);
            if (pat == null) {
                return null;
            }
            int rest = pat.next;
            while (rest < p.length() && LogicalLines.isSpace(p.charAt(rest))) {
                rest++;
            }
            if (rest < p.length()) {
                diag.warn(name, line, "ignoring extra text after IF statement: \"" + p.substring(rest) + "\"");
                diag.warn(name, line, "do not prepend whitespace to statements between IF and ENDIF");
            }
            return pat.pattern == null ? null : new IfRule(pat.pattern, pat.match);
        }
        if (keyword(p, "endif")) {
            if (nesting == 0) {
                diag.warn(name, line, "ignoring ENDIF without matching IF");
                return null;
            }
            if (!p.substring(5).isBlank()) {
                diag.warn(name, line, "ignoring extra text after ENDIF");
            }
            return new EndifRule();
        }
        diag.warn(name, line, "ignoring unrecognized request");
        return null;
    }

    private static boolean keyword(String p, String word) {
        return p.regionMatches(true, 0, word, 0, word.length())
                && (p.length() == word.length() || !Character.isLetterOrDigit(p.charAt(word.length())));
    }

    /** Parses [!...]<delim>pattern<delim>flags at {@code pos}; null when the rule must be skipped. */
    private static Pat pattern(String p, int pos, int line, String name, boolean pcre, Diagnostics diag) {
        boolean match = true;
        int n = p.length();
        while (pos < n) {
            char c = p.charAt(pos);
            if (c == '!') {
                match = !match;
            } else if (!LogicalLines.isSpace(c)) {
                break;
            }
            pos++;
        }
        if (pos >= n) {
            diag.warn(name, line, "no regexp: skipping this rule");
            return null;
        }
        char delim = p.charAt(pos++);
        StringBuilder re = new StringBuilder();
        while (pos < n) {
            char c = p.charAt(pos);
            if (c == '\\' && pos + 1 < n) {
                // The pair stays in the pattern: "\/" reaches the regex compiler, which reads "/".
                re.append(c).append(p.charAt(pos + 1));
                pos += 2;
                continue;
            }
            if (c == delim) {
                break;
            }
            re.append(c);
            pos++;
        }
        if (pos >= n) {
            diag.warn(name, line, "no closing regexp delimiter \"" + delim + "\": skipping this rule");
            return null;
        }
        pos++; // the closing delimiter
        boolean icase = true;
        boolean extended = true;
        boolean multiline = false;
        boolean dotall = false;
        boolean comments = false;
        boolean anchored = false;
        while (pos < n && !LogicalLines.isSpace(p.charAt(pos)) && p.charAt(pos) != '!') {
            char f = p.charAt(pos++);
            if (f == 'i') {
                icase = !icase;
            } else if (f == 'm') {
                multiline = !multiline;
            } else if (!pcre && f == 'x') {
                extended = !extended;
            } else if (pcre && f == 'x') {
                comments = !comments;
            } else if (pcre && f == 's') {
                dotall = !dotall;
            } else if (pcre && f == 'A') {
                anchored = !anchored;
            } else if (pcre && (f == 'E' || f == 'X')) {
                // DOLLAR_ENDONLY / EXTRA: no java.util.regex equivalent that changes matching here.
            } else {
                diag.warn(name, line, "unknown regexp option \"" + f + "\": skipping this rule");
                return null;
            }
        }
        try {
            Pattern compiled;
            if (pcre) {
                String src = re.toString().replace("(?P<", "(?<");
                if (anchored) {
                    src = "\\G(?:" + src + ")";
                }
                int flags = (icase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0)
                        | (multiline ? Pattern.MULTILINE : 0) | (dotall ? Pattern.DOTALL : 0)
                        | (comments ? Pattern.COMMENTS : 0);
                compiled = Pattern.compile(src, flags);
            } else {
                compiled = PosixRegex.compile(re.toString(), extended, icase, multiline);
            }
            return new Pat(compiled, match, pos);
        } catch (IllegalArgumentException e) {
            String msg = e instanceof java.util.regex.PatternSyntaxException pse ? pse.getDescription() : e.getMessage();
            diag.warn(name, line, msg);
            return new Pat(null, match, pos);
        }
    }

    /**
     * Splits replacement text into literals and group numbers (mac_parse rules); null on a
     * syntax error, which has been reported. subs[0] receives the largest group number.
     */
    static Object[] replacement(String text, int line, String name, Diagnostics diag, int[] subs) {
        List<Object> parts = new ArrayList<>();
        StringBuilder lit = new StringBuilder();
        int n = text.length();
        int i = 0;
        while (i < n) {
            char c = text.charAt(i);
            if (c != '$') {
                lit.append(c);
                i++;
                continue;
            }
            if (i + 1 < n && text.charAt(i + 1) == '$') {
                lit.append('$');
                i += 2;
                continue;
            }
            String var;
            if (i + 1 < n && (text.charAt(i + 1) == '{' || text.charAt(i + 1) == '(')) {
                char close = text.charAt(i + 1) == '{' ? '}' : ')';
                int end = text.indexOf(close, i + 2);
                if (end < 0) {
                    diag.warn(name, line, "unbalanced parenthesis in \"" + text + "\"");
                    return null;
                }
                var = text.substring(i + 2, end);
                i = end + 1;
            } else {
                int j = i + 1;
                while (j < n && (Character.isLetterOrDigit(text.charAt(j)) || text.charAt(j) == '_')) {
                    j++;
                }
                var = text.substring(i + 1, j);
                i = j;
            }
            if (var.isEmpty()) {
                diag.warn(name, line, "empty macro name in \"" + text + "\"");
                return null;
            }
            if (!var.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
                diag.warn(name, line, "non-numeric replacement index \"" + var + "\"");
                return null;
            }
            int num;
            try {
                num = Integer.parseInt(var);
            } catch (NumberFormatException e) {
                num = Integer.MAX_VALUE;
            }
            if (num < 1) {
                diag.warn(name, line, "out-of-range replacement index \"" + var + "\"");
                return null;
            }
            subs[0] = Math.max(subs[0], num);
            if (lit.length() > 0) {
                parts.add(lit.toString());
                lit.setLength(0);
            }
            parts.add(num);
        }
        if (lit.length() > 0 || parts.isEmpty()) {
            parts.add(lit.toString());
        }
        return parts.toArray();
    }

    private static String join(Object[] parts) {
        StringBuilder sb = new StringBuilder();
        for (Object o : parts) {
            sb.append(o);
        }
        return sb.toString();
    }

    @Override
    String lookup(List<Rule> rules, String key) {
        int n = rules.size();
        for (int i = 0; i < n; i++) {
            Rule r = rules.get(i);
            if (r instanceof MatchRule m) {
                Matcher matcher = m.first.matcher(key);
                if (matcher.find() != m.firstMatch) {
                    continue;
                }
                if (m.second != null && m.second.matcher(key).find() != m.secondMatch) {
                    continue;
                }
                if (m.literal != null) {
                    return m.literal;
                }
                StringBuilder sb = new StringBuilder();
                for (Object part : m.result) {
                    if (part instanceof Integer g) {
                        String s = matcher.group(g);
                        if (s != null) {
                            sb.append(s);
                        }
                    } else {
                        sb.append((String) part);
                    }
                }
                return sb.toString();
            } else if (r instanceof IfRule f) {
                if (f.pattern.matcher(key).find() == f.match) {
                    continue;
                }
                if (f.endif < 0) {
                    return null;
                }
                i = f.endif; // the loop's i++ moves past the ENDIF
            }
        }
        return null;
    }
}
