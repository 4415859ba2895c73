package org.jmail.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostmapToolTest {

    @TempDir
    Path dir;

    private Path transport;

    @BeforeEach
    void setUp() throws IOException {
        transport = dir.resolve("transport");
        Files.writeString(transport, "Example.com smtp:[relay.example.net]\nlocal.test local:\n");
        Files.writeString(dir.resolve("main.cf"), "");
    }

    private ToolRun postmap(String stdin, String... args) {
        return ToolRun.of(PostmapTool::run, stdin, args);
    }

    @Test
    void buildThenQueryPrintsTheValueAndExitsZero() {
        assertEquals(0, postmap("", "-c", dir.toString(), transport.toString()).status());
        assertTrue(Files.exists(Path.of(transport + ".db")));
        ToolRun r = postmap("", "-q", "EXAMPLE.COM", "hash:" + transport);
        assertEquals(new ToolRun(0, "smtp:[relay.example.net]\n", ""), r);
    }

    @Test
    void queryForAnAbsentKeyPrintsNothingAndExitsOne() {
        postmap("", "hash:" + transport);
        assertEquals(new ToolRun(1, "", ""), postmap("", "-q", "nope.example", "hash:" + transport));
    }

    @Test
    void queryTriesEachTableInTurn() throws IOException {
        Path other = dir.resolve("other");
        Files.writeString(other, "nope.example found-in-second\n");
        postmap("", "hash:" + transport, "hash:" + other);
        ToolRun r = postmap("", "-q", "nope.example", "hash:" + transport, "hash:" + other);
        assertEquals(new ToolRun(0, "found-in-second\n", ""), r);
    }

    @Test
    void queryFromStdinPrintsKeyTabValueForFoundKeys() {
        postmap("", "hash:" + transport);
        ToolRun r = postmap("Example.com\nmissing\nlocal.test\n", "-q", "-", "hash:" + transport);
        assertEquals(new ToolRun(0, "Example.com\tsmtp:[relay.example.net]\nlocal.test\tlocal:\n", ""), r);
        assertEquals(1, postmap("missing\n", "-q", "-", "hash:" + transport).status());
    }

    @Test
    void clusteredMinusFqQueriesWithoutFolding() {
        postmap("", "-f", "hash:" + transport);
        assertEquals(1, postmap("", "-fq", "example.com", "hash:" + transport).status());
        assertEquals("smtp:[relay.example.net]\n", postmap("", "-fq", "Example.com", "hash:" + transport).out());
    }

    @Test
    void sequenceListsEveryEntryInSourceOrder() {
        postmap("", "hash:" + transport);
        assertEquals("example.com\tsmtp:[relay.example.net]\nlocal.test\tlocal:\n",
                postmap("", "-s", "hash:" + transport).out());
    }

    @Test
    void deleteAndIncrementalAdd() {
        postmap("", "hash:" + transport);
        assertEquals(0, postmap("", "-d", "local.test", "hash:" + transport).status());
        assertEquals(1, postmap("", "-d", "local.test", "hash:" + transport).status());
        assertEquals(1, postmap("", "-q", "local.test", "hash:" + transport).status());
        assertEquals(0, postmap("new.example relay:x\n", "-i", "hash:" + transport).status());
        assertEquals("relay:x\n", postmap("", "-q", "new.example", "hash:" + transport).out());
    }

    @Test
    void missingSourceIsFatalInPostfixWords() {
        Path missing = dir.resolve("missing");
        ToolRun r = postmap("", "hash:" + missing);
        assertEquals(1, r.status());
        assertEquals("postmap: fatal: open " + missing + ": No such file or directory\n", r.err());
    }

    @Test
    void badSourceLinesAreWarnedOnStderrWithFileAndLine() throws IOException {
        Files.writeString(transport, "ok v\nlonely\n");
        ToolRun r = postmap("", "hash:" + transport);
        assertEquals(0, r.status());
        assertEquals("postmap: warning: " + transport + ", line 2: expected format: key whitespace value\n", r.err());
    }

    @Test
    void defaultTypeComesFromMainCf() throws IOException {
        Files.writeString(dir.resolve("main.cf"), "default_database_type = cdb\n");
        assertEquals(0, postmap("", "-c", dir.toString(), transport.toString()).status());
        assertTrue(Files.exists(Path.of(transport + ".cdb")));
        assertEquals("local:\n", postmap("", "-c", dir.toString(), "-q", "local.test", transport.toString()).out());
    }

    @Test
    void nonCompiledTypesCanBeQueriedButNotBuilt() throws IOException {
        Path re = dir.resolve("re");
        Files.writeString(re, "/^(.*)@example\\.com$/ user $1\n");
        assertEquals("user bob\n", postmap("", "-q", "bob@example.com", "regexp:" + re).out());
        assertEquals("postmap: fatal: unsupported dictionary type: regexp does not support bulk-mode creation.\n",
                postmap("", "regexp:" + re).err());
        assertEquals("b\n", postmap("", "-q", "A", "inline:{a=b}").out());
        assertEquals("postmap: fatal: unsupported dictionary type: mysql\n", postmap("", "-q", "x", "mysql:/x").err());
    }

    @Test
    void usageErrors() {
        assertTrue(postmap("").err().startsWith("postmap: fatal: usage: postmap"));
        assertEquals("postmap: fatal: specify only one of -s -q or -d\n",
                postmap("", "-q", "a", "-d", "b", "x").err());
        assertEquals(1, postmap("", "-Z", "x").status());
    }

    @Test
    void unreadableTableIsAFatalQueryError() throws IOException {
        Path re = dir.resolve("gone");
        ToolRun r = postmap("", "-q", "x", "regexp:" + re);
        assertEquals(1, r.status());
        assertEquals("postmap: fatal: open " + re + ": No such file or directory\n", r.err());
    }

    // The expected texts below are Postfix 3.7's for the same command lines (src/test/compat/cli_diff.sh).

    @Test
    void missingDatabaseIsAnOpenErrorNotAQueryError() {
        Path gone = dir.resolve("gone");
        assertEquals(new ToolRun(1, "", "postmap: fatal: open database " + gone + ".db: No such file or directory\n"),
                postmap("", "-q", "x", "hash:" + gone));
        assertEquals(new ToolRun(1, "", "postmap: fatal: open database " + gone + ".db: No such file or directory\n"),
                postmap("", "-s", "hash:" + gone));
        assertEquals(new ToolRun(1, "", "postmap: fatal: open database " + gone + ": No such file or directory\n"),
                postmap("", "-q", "x", "texthash:" + gone));
    }

    @Test
    void duplicateWhileBuildingNamesTheDatabaseAndTheFoldedKey() throws IOException {
        Files.writeString(transport, "Foo a\nFOO b\n");
        ToolRun r = postmap("", "hash:" + transport);
        assertEquals(new ToolRun(0, "", "postmap: warning: " + transport + ".db: duplicate entry: \"foo\"\n"), r);
    }

    @Test
    void texthashSaysItIgnoresABadLine() throws IOException {
        Files.writeString(transport, "ok v\nlonely\n");
        assertEquals(new ToolRun(0, "v\n", "postmap: warning: " + transport
                + ", line 2: expected format: key whitespace value -- ignoring this line\n"),
                postmap("", "-q", "ok", "texthash:" + transport));
    }

    @Test
    void unknownTypeCannotBeBuilt() {
        assertEquals("postmap: fatal: unsupported dictionary type: nosuch. Is the postfix-nosuch package installed?\n",
                postmap("", "nosuch:" + transport).err());
    }

    @Test
    void emptyTableNameIsFatal() {
        assertEquals(new ToolRun(1, "", "postmap: fatal: open dictionary: expecting \"type:name\" form instead of \"static:\"\n"),
                postmap("", "-q", "x", "static:"));
    }

    @Test
    void configDirectoryWithoutMainCfIsFatal() {
        Path nodir = dir.resolve("nodir");
        assertEquals(new ToolRun(1, "", "postmap: fatal: open " + nodir + "/main.cf: No such file or directory\n"),
                postmap("", "-c", nodir.toString(), transport.toString()));
    }
}
