package org.jmail.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegexpTableTest {

    @TempDir
    Path dir;

    private final TableTestSupport support = new TableTestSupport();

    @AfterEach
    void tearDown() {
        support.close();
    }

    private LookupTable table(String text) throws IOException {
        Path p = dir.resolve("re");
        Files.writeString(p, text);
        return Tables.openUncached("regexp:" + p);
    }

    @Test
    void firstMatchingRuleWinsCaseInsensitiveByDefault() throws IOException {
        LookupTable t = table("/^admin@/ REJECT first\n/@example\\.com$/ OK\n/^.*$/ DUNNO\n");
        assertEquals("REJECT first", t.find("ADMIN@example.com"));
        assertEquals("OK", t.find("bob@EXAMPLE.com"));
        assertEquals("DUNNO", t.find("bob@exampleXcom.org"));
    }

    @Test
    void iFlagMakesTheMatchCaseSensitive() throws IOException {
        LookupTable t = table("/^Bob$/i exact\n");
        assertEquals("exact", t.find("Bob"));
        assertNull(t.find("bob"));
    }

    @Test
    void dollarNumberTakesGroupText() throws IOException {
        LookupTable t = table("/^(.*)-(.*)@(example\\.com)$/ $2+$1@${3}x $$5\n");
        assertEquals("b+a@example.comx $5", t.find("a-b@example.com"));
    }

    @Test
    void unmatchedGroupGivesEmptyText() throws IOException {
        LookupTable t = table("/^(a)|(b)$/ [$1][$2]\n");
        assertEquals("[][b]", t.find("b"));
    }

    @Test
    void negatedRuleAndSecondaryPattern() throws IOException {
        LookupTable t = table("!/@example\\.com$/ not-ours\n/^a/!/^ab/ a-not-ab\n");
        assertEquals("not-ours", t.find("x@other.org"));
        assertEquals("a-not-ab", t.find("ac@example.com"));
        assertNull(t.find("ab@example.com"));
    }

    @Test
    void ifEndifBlocksNest() throws IOException {
        LookupTable t = table("""
                if /@example\\.com$/
                if !/^postmaster@/
                /^spam/ REJECT spam
                endif
                /./ IN-EXAMPLE
                endif
                /^spam/ OUTSIDE
                """);
        assertEquals("REJECT spam", t.find("spammer@example.com"));
        assertEquals("IN-EXAMPLE", t.find("postmaster@example.com"));
        assertEquals("OUTSIDE", t.find("spammer@other.org"));
    }

    @Test
    void ifWithoutEndifEndsTheTableWhenItDoesNotMatch() throws IOException {
        LookupTable t = table("/^x/ X\nif /^a/\n/./ A\n");
        assertEquals("A", t.find("abc"));
        assertNull(t.find("bcd"));
        assertTrue(support.warned("line 2: IF has no matching ENDIF"), support.warnings.toString());
    }

    @Test
    void continuationLinesAndCommentsAreHonoured() throws IOException {
        LookupTable t = table("# a comment\n/^x/ first\n  part\n");
        assertEquals("first  part", t.find("xyz"));
    }

    @Test
    void badRulesAreSkippedWithPostfixWarnings() throws IOException {
        Path p = dir.resolve("re");
        LookupTable t = table("/(a/ broken\n/a/q flag\n/(b)/ $2\n!/(c)/ $1\n/no-end\nwhatever\nendif\n/ok/ OK\n");
        assertEquals("OK", t.find("ok"));
        String prefix = "regexp map " + p + ", line ";
        assertTrue(support.warned(prefix + "2: unknown regexp option \"q\": skipping this rule"), support.warnings.toString());
        assertTrue(support.warned(prefix + "3: out of range replacement index \"2\": skipping this rule"));
        assertTrue(support.warned(prefix + "4: $number found in negative match replacement text"));
        assertTrue(support.warned(prefix + "5: no closing regexp delimiter \"/\""));
        assertTrue(support.warned(prefix + "6: ignoring unrecognized request"));
        assertTrue(support.warned(prefix + "7: ignoring ENDIF without matching IF"));
        assertTrue(support.warned(prefix + "1: "));
        assertEquals(7, TableChecker.check("regexp:" + p).size());
    }

    @Test
    void otherDelimiterAndEscapedDelimiter() throws IOException {
        LookupTable t = table("|^/var/|  var\n/^a\\/b$/ slash\n");
        assertEquals("var", t.find("/var/mail"));
        assertEquals("slash", t.find("a/b"));
    }

    @Test
    void multilineFlagAnchorsPerLine() throws IOException {
        LookupTable t = table("/^Subject: x$/m M\n/^Subject: y$/ S\n");
        assertEquals("M", t.find("From: a\nSubject: x\nTo: b"));
        assertNull(t.find("Subject: y\n"), "without m, $ matches only at the very end");
        assertEquals("S", t.find("Subject: y"));
    }

    @Test
    void tableReloadsWhenTheFileChanges() throws IOException {
        Path p = dir.resolve("live");
        Files.writeString(p, "/a/ one\n");
        LookupTable t = Tables.open("regexp:" + p);
        assertEquals("one", t.find("a"));
        Files.writeString(p, "/a/ two and more\n");
        assertEquals("two and more", t.find("a"));
    }

    @Test
    void pcreTablesTakeJavaSyntaxAndFlags() throws IOException {
        Path p = dir.resolve("pcre");
        Files.writeString(p, "/^(?P<user>\\w+)\\d{2}@/ user=$1\n/^a.b$/s dotall\n");
        LookupTable t = Tables.openUncached("pcre:" + p);
        assertEquals("user=bob", t.find("bob42@x"));
        assertEquals("dotall", t.find("a\nb"));
    }
}
