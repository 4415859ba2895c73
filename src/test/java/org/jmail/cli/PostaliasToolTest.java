package org.jmail.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostaliasToolTest {

    @TempDir
    Path dir;

    private Path aliases;

    @BeforeEach
    void setUp() throws IOException {
        aliases = dir.resolve("aliases");
        Files.writeString(aliases, """
                # Debian-style alias file
                postmaster: root
                userA: userA, userB
                "john smith": jsmith
                team: a,
                    b
                list: :include:/etc/mail/list
                """);
    }

    private ToolRun postalias(String stdin, String... args) {
        return ToolRun.of(PostaliasTool::run, stdin, args);
    }

    @Test
    void aliasesAreBuiltAndQueried() {
        assertEquals(new ToolRun(0, "", ""), postalias("", "hash:" + aliases));
        assertEquals(new ToolRun(0, "userA, userB\n", ""), postalias("", "-q", "usera", "hash:" + aliases));
        assertEquals("jsmith\n", postalias("", "-q", "John Smith", "hash:" + aliases).out());
        assertEquals(":include:/etc/mail/list\n", postalias("", "-q", "list", "hash:" + aliases).out());
        assertEquals("a, b\n", postalias("", "-q", "team", "hash:" + aliases).out());
        assertEquals(new ToolRun(1, "", ""), postalias("", "-q", "nobody-here", "hash:" + aliases));
    }

    @Test
    void stdinQueriesAndListingUseTheColonForm() {
        postalias("", "hash:" + aliases);
        assertEquals("postmaster:\troot\n", postalias("postmaster\nzz\n", "-q", "-", "hash:" + aliases).out());
        String listing = postalias("", "-s", "hash:" + aliases).out();
        assertTrue(listing.startsWith("postmaster:\troot\nusera:\tuserA, userB\n"), listing);
        assertTrue(listing.endsWith("@:\t@\n"), "the sendmail signature closes the table: " + listing);
    }

    @Test
    void badAliasLinesAreWarned() throws IOException {
        Files.writeString(aliases, "root: admin\nnocolon\nu@example.com: x\n");
        ToolRun r = postalias("", "hash:" + aliases);
        assertEquals(0, r.status());
        assertEquals("postalias: warning: " + aliases + ", line 2: need name:value pair\n"
                + "postalias: warning: " + aliases + ", line 3: name must be local\n", r.err());
    }

    @Test
    void newaliasesRebuildsEveryAliasDatabaseOfMainCf() throws IOException {
        Path second = dir.resolve("more-aliases");
        Files.writeString(second, "extra: root\n");
        Files.writeString(dir.resolve("main.cf"),
                "alias_database = hash:" + aliases + ", hash:" + second + "\n");
        ToolRun r = ToolRun.of(NewaliasesTool::run, "", "-C", dir.toString());
        assertEquals(new ToolRun(0, "", ""), r);
        assertEquals("root\n", postalias("", "-q", "extra", "hash:" + second).out());
        assertEquals("root\n", postalias("", "-q", "postmaster", "hash:" + aliases).out());
    }

    @Test
    void newaliasesFailsWhenAnAliasFileIsMissing() throws IOException {
        Path missing = dir.resolve("absent");
        Files.writeString(dir.resolve("main.cf"), "alias_database = hash:" + missing + "\n");
        ToolRun r = ToolRun.of(NewaliasesTool::run, "", "-C", dir.toString());
        assertEquals(new ToolRun(1, "", "postalias: fatal: open " + missing + ": No such file or directory\n"), r);
    }
}
