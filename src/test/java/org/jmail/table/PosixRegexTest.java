package org.jmail.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class PosixRegexTest {

    private static boolean ere(String re, String s) {
        return PosixRegex.compile(re, true, false, false).matcher(s).find();
    }

    private static boolean bre(String re, String s) {
        return PosixRegex.compile(re, false, false, false).matcher(s).find();
    }

    @Test
    void bracketExpressionsFollowPosixRules() {
        assertTrue(ere("^[]a]+$", "]a]"));
        assertTrue(ere("^[^]a]$", "b"));
        assertFalse(ere("^[^]a]$", "]"));
        assertTrue(ere("^[[:alpha:][:digit:]_-]+$", "ab_9-"));
        assertTrue(ere("^[\\w]$", "\\"), "a backslash is literal inside brackets");
        assertTrue(ere("^[a&&b]$", "&"), "no Java class intersection");
        assertTrue(ere("^[[.-.]x]$", "-"));
    }

    @Test
    void intervalsAndBadBracesAsGlibcReadsThem() {
        assertTrue(ere("^a{2}$", "aa"));
        assertTrue(ere("^x{1,}$", "xxx"));
        assertTrue(ere("^x{1}{2}$", "xx"));
        assertEquals("Unmatched \\{", assertThrows(IllegalArgumentException.class,
                () -> PosixRegex.compile("a{2", true, false, false)).getMessage());
        assertEquals("Invalid content of \\{\\}", assertThrows(IllegalArgumentException.class,
                () -> PosixRegex.compile("a{x}", true, false, false)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> PosixRegex.compile("a{2,1}", true, false, false));
        assertTrue(ere("^a\\{$", "a{"));
    }

    @Test
    void quantifierWithNothingToRepeatIsAnErrorInExtendedSyntax() {
        for (String re : new String[] {"*a", "+a", "a|*b", "(*a)", "^*a", "{1}a"}) {
            assertEquals("Invalid preceding regular expression", assertThrows(IllegalArgumentException.class,
                    () -> PosixRegex.compile(re, true, false, false)).getMessage(), re);
        }
        assertTrue(ere("^a**$", "aaa"));
    }

    @Test
    void stackedQuantifiersAreGreedyNotLazy() {
        Matcher m = PosixRegex.compile("^(a+?)", true, false, false).matcher("aaa");
        assertTrue(m.find());
        assertEquals("aaa", m.group(1), "POSIX a+? is (a+)?, greedy");
    }

    @Test
    void gnuAndPcreEscapes() {
        assertTrue(ere("\\<word\\>", "a word here"));
        assertFalse(ere("\\<ord", "word"));
        assertTrue(ere("^\\d+\\s\\w+$", "42 abc"));
        assertTrue(ere("^a\\.b$", "a.b"));
        assertFalse(ere("^a\\.b$", "axb"));
        assertTrue(ere("^(x)\\1$", "xx"));
    }

    @Test
    void basicSyntaxUsesEscapedGroupsAndLiteralMetacharacters() {
        assertTrue(bre("^\\(ab\\)*c$", "ababc"));
        assertTrue(bre("^a+b?(c)|d$", "a+b?(c)|d"));
        assertTrue(bre("^a\\{2\\}$", "aa"));
        assertTrue(bre("a^b$c", "a^b$c"));
        assertTrue(bre("^*x", "*x"));
    }

    @Test
    void dotMatchesNewlineUnlessNewlineSensitive() {
        assertTrue(ere("a.b", "a\nb"));
        assertFalse(PosixRegex.compile("a.b", true, false, true).matcher("a\nb").find());
        assertFalse(PosixRegex.compile("a[^x]b", true, false, true).matcher("a\nb").find());
    }

    @Test
    void caseInsensitivityFlag() {
        Pattern p = PosixRegex.compile("^abc$", true, true, false);
        assertTrue(p.matcher("ABC").find());
    }

    @Test
    void syntaxErrorsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> PosixRegex.compile("(a", true, false, false));
        assertThrows(IllegalArgumentException.class, () -> PosixRegex.compile("a)", true, false, false));
        assertThrows(IllegalArgumentException.class, () -> PosixRegex.compile("[a", true, false, false));
        assertThrows(IllegalArgumentException.class, () -> PosixRegex.compile("a\\", true, false, false));
        assertThrows(IllegalArgumentException.class, () -> PosixRegex.compile("[z-a]", true, false, false));
    }
}
