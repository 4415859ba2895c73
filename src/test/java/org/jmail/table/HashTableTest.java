package org.jmail.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HashTableTest {

    @TempDir
    Path dir;

    private final TableTestSupport support = new TableTestSupport();

    @AfterEach
    void tearDown() {
        support.close();
    }

    private Path source(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private void compile(Path src, TableCompiler.Options o) throws IOException {
        TableCompiler.compile("hash", src.toString(), false, o);
    }

    @Test
    void compiledTableAnswersWithFoldedKeys() throws IOException {
        Path src = source("transport", "Example.COM smtp:[relay.example.net]\nother.org local:\n");
        compile(src, TableCompiler.Options.DEFAULT);
        LookupTable t = Tables.open("hash:" + src);
        assertEquals("smtp:[relay.example.net]", t.find("example.com"));
        assertEquals("smtp:[relay.example.net]", t.find("EXAMPLE.com"));
        assertEquals("local:", t.find("Other.Org"));
        assertNull(t.find("missing.org"));
        assertTrue(((HashTable) t).compiled());
    }

    @Test
    void minusFKeepsCaseInTheFileAndInLookups() throws IOException {
        Path src = source("map", "MixedCase v1\n");
        compile(src, new TableCompiler.Options(false, DuplicatePolicy.WARN, true));
        LookupTable t = Tables.open("hash:" + src);
        assertEquals("v1", t.find("MixedCase"));
        assertNull(t.find("mixedcase"));
        assertFalse(HashDb.open(Path.of(src + ".db")).folded());
    }

    @Test
    void firstDuplicateWinsWithAWarningNamingTheDatabaseAsPostfixDoes() throws IOException {
        Path src = source("dups", "a first\nb x\nA second\n");
        compile(src, TableCompiler.Options.DEFAULT);
        assertEquals("first", Tables.open("hash:" + src).find("a"));
        // Postfix 3.7: "postmap: warning: /x/dups.db: duplicate entry: "a"" (the folded key, no line)
        assertTrue(support.warnings.contains(src + ".db: duplicate entry: \"a\""), support.warnings.toString());
    }

    @Test
    void minusRReplacesAndMinusWIgnoresSilently() throws IOException {
        Path src = source("dups", "a first\nA second\n");
        compile(src, new TableCompiler.Options(true, DuplicatePolicy.REPLACE, true));
        assertEquals("second", Tables.openUncached("hash:" + src).find("a"));
        compile(src, new TableCompiler.Options(true, DuplicatePolicy.IGNORE, true));
        assertEquals("first", Tables.openUncached("hash:" + src).find("a"));
        assertFalse(support.warned("duplicate entry"));
    }

    @Test
    void rebuildReplacesTheFileByRenameAndLeavesNoTemporaryFile() throws IOException {
        Path src = source("t", "k v1\n");
        compile(src, TableCompiler.Options.DEFAULT);
        Path db = Path.of(src + ".db");
        Object before = Files.readAttributes(db, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        Files.writeString(src, "k v2\n");
        compile(src, TableCompiler.Options.DEFAULT);
        Object after = Files.readAttributes(db, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        assertNotEquals(before, after, "a new inode: the file was renamed into place, not rewritten");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(2, files.count(), "only the source and the .db");
        }
    }

    @Test
    void failedBuildLeavesTheOldTableAndNoTemporaryFile() throws IOException {
        Path src = source("t", "k v1\n");
        compile(src, TableCompiler.Options.DEFAULT);
        Files.delete(src);
        assertThrows(IOException.class, () -> compile(src, TableCompiler.Options.DEFAULT));
        assertEquals("v1", Tables.open("hash:" + src).find("k"));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void liveTableSeesARebuildWithoutBeingReopened() throws IOException {
        Path src = source("t", "k v1\n");
        compile(src, TableCompiler.Options.DEFAULT);
        LookupTable t = Tables.open("hash:" + src);
        assertEquals("v1", t.find("k"));
        Files.writeString(src, "k v2\nnew yes\n");
        compile(src, TableCompiler.Options.DEFAULT);
        assertEquals("v2", t.find("k"));
        assertEquals("yes", t.find("new"));
        assertSame(t, Tables.open("hash:" + src));
    }

    @Test
    void reloadWaitsForTheCheckInterval() throws IOException {
        ReloadingTable.checkIntervalNanos = 3_600_000_000_000L;
        Path src = source("t", "k v1\n");
        compile(src, TableCompiler.Options.DEFAULT);
        LookupTable t = Tables.open("hash:" + src);
        assertEquals("v1", t.find("k"));
        Files.writeString(src, "k v2\n");
        compile(src, TableCompiler.Options.DEFAULT);
        assertEquals("v1", t.find("k"), "no stat before the interval is over");
    }

    @Test
    void olderThanSourceIsWarnedOncePerChangeInPostfixWords() throws IOException {
        Path src = source("transport", "k v1\n");
        compile(src, TableCompiler.Options.DEFAULT);
        Path db = Path.of(src + ".db");
        Files.setLastModifiedTime(db, FileTime.fromMillis(1_000_000_000_000L));
        Files.setLastModifiedTime(src, FileTime.fromMillis(1_000_000_100_000L));
        LookupTable t = Tables.open("hash:" + src);
        assertEquals("v1", t.find("k"), "the compiled file still answers");
        t.find("k");
        t.find("k");
        String expected = "database " + db + " is older than source file " + src;
        assertEquals(1, support.count(expected), support.warnings.toString());
        Files.setLastModifiedTime(src, FileTime.fromMillis(1_000_000_200_000L));
        t.find("k");
        assertEquals(2, support.count(expected), "a new source change warns again");
        assertTrue(TableChecker.check("hash:" + src).stream().anyMatch(p -> p.message().equals(expected)));
    }

    @Test
    void missingCompiledFileFallsBackToTheSourceWithAWarning() throws IOException {
        Path src = source("transport", "Example.com smtp:x\n");
        LookupTable t = Tables.open("hash:" + src);
        assertEquals("smtp:x", t.find("example.COM"));
        assertTrue(support.warned("database " + src + ".db does not exist; using source file " + src + " directly"),
                support.warnings.toString());
        compile(src, TableCompiler.Options.DEFAULT);
        assertEquals("smtp:x", t.find("example.com"));
        assertTrue(((HashTable) t).compiled(), "switches to the compiled file once it appears");
    }

    @Test
    void foreignCompiledFileFallsBackToTheSourceAndSaysSo() throws IOException {
        Path src = source("aliases", "root: admin\npostmaster: root\n");
        Files.write(Path.of(src + ".db"), new byte[8192]);
        LookupTable t = Tables.open("hash:" + src);
        assertEquals("admin", t.find("root"), "aliases(5) syntax is recognised in the fallback");
        assertTrue(support.warned("is not in jmail format"), support.warnings.toString());
        assertTrue(support.warned("postalias " + src), support.warnings.toString());
    }

    @Test
    void unreadableTableIsATemporaryFailureNotNotFound() throws IOException {
        LookupTable t = Tables.open("hash:" + dir.resolve("nothing"));
        IOException e = assertThrows(IOException.class, () -> t.find("k"));
        assertTrue(e.getMessage().contains("open database " + dir.resolve("nothing") + ".db"), e.getMessage());
        Files.writeString(dir.resolve("nothing"), "k v\n");
        assertEquals("v", t.find("k"), "recovers once the file exists");
    }

    @Test
    void compiledFileCopiesTheSourceReadPermissionsAndOwner() throws IOException {
        Path src = source("secret", "k v\n");
        Files.setPosixFilePermissions(src, PosixFilePermissions.fromString("rw-r-----"));
        compile(src, TableCompiler.Options.DEFAULT);
        Path db = Path.of(src + ".db");
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(db)));
        assertEquals(Files.getAttribute(src, "unix:uid"), Files.getAttribute(db, "unix:uid"));
        assertEquals(Files.getAttribute(src, "unix:gid"), Files.getAttribute(db, "unix:gid"));

        Files.setPosixFilePermissions(src, PosixFilePermissions.fromString("rw-rw-r--"));
        compile(src, TableCompiler.Options.DEFAULT);
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(db)));

        Files.setPosixFilePermissions(src, PosixFilePermissions.fromString("rw-------"));
        compile(src, new TableCompiler.Options(true, DuplicatePolicy.WARN, false));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(db)), "-p");
    }

    @Test
    void compiledFileTakesTheSourceOwnerWhenRunAsRoot() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(org.jmail.posix.Posix.isRoot());
        org.jmail.posix.UnixUser nobody = org.jmail.posix.Posix.getpwnam("nobody");
        org.junit.jupiter.api.Assumptions.assumeTrue(nobody != null);
        Path src = source("owned", "k v\n");
        Files.setAttribute(src, "unix:uid", nobody.uid());
        Files.setAttribute(src, "unix:gid", nobody.gid());
        compile(src, TableCompiler.Options.DEFAULT);
        Path db = Path.of(src + ".db");
        assertEquals(nobody.uid(), Files.getAttribute(db, "unix:uid"));
        assertEquals(nobody.gid(), Files.getAttribute(db, "unix:gid"));
    }

    @Test
    void incrementalAddAndDeleteRewriteTheCompiledFile() throws IOException {
        Path src = source("t", "a 1\nb 2\n");
        compile(src, TableCompiler.Options.DEFAULT);
        TableCompiler.add("hash", src.toString(), "C 3\na other\n", false, TableCompiler.Options.DEFAULT);
        LookupTable t = Tables.open("hash:" + src);
        assertEquals("3", t.find("c"));
        assertEquals("1", t.find("a"), "existing entries win over duplicates by default");
        assertEquals(1, TableCompiler.delete("hash", src.toString(), java.util.List.of("B", "zz"),
                TableCompiler.Options.DEFAULT));
        assertNull(t.find("b"));
        assertEquals("3", t.find("c"));
    }

    @Test
    void checkerReportsSourceProblemsWithFileAndLine() throws IOException {
        Path src = source("map", "good v\nbad\ngood again\n");
        compile(src, TableCompiler.Options.DEFAULT);
        var problems = Tables.problems("hash:" + src);
        assertTrue(problems.stream().anyMatch(p -> p.toString().equals(src + ":2: expected format: key whitespace value")),
                problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.toString().equals(src + ":3: duplicate entry: \"good\"")),
                problems.toString());
        assertTrue(Tables.problems("hash:" + dir.resolve("nope")).stream()
                .anyMatch(p -> p.message().contains("No such file or directory")));
    }

    @Test
    void concurrentLookupsDuringRebuildsAlwaysSeeAWholeTable() throws Exception {
        Path src = source("busy", "stable yes\nv 0\n");
        compile(src, TableCompiler.Options.DEFAULT);
        LookupTable t = Tables.open("hash:" + src);
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread[] readers = new Thread[3];
        for (int i = 0; i < readers.length; i++) {
            readers[i] = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        if (!"yes".equals(t.find("stable"))) {
                            throw new AssertionError("lost the stable key");
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            readers[i].start();
        }
        for (int round = 1; round <= 30; round++) {
            Files.writeString(src, "stable yes\nv " + round + "\n");
            compile(src, TableCompiler.Options.DEFAULT);
        }
        stop.set(true);
        for (Thread r : readers) {
            r.join();
        }
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        assertEquals("30", t.find("v"));
    }

    @Test
    void checkerWalksATableList() throws IOException {
        Path src = source("map", "k v\n");
        compile(src, TableCompiler.Options.DEFAULT);
        assertTrue(TableChecker.checkList("hash:" + src + ", inline:{a=b}").isEmpty());
        var problems = TableChecker.checkList("hash:" + src + " bogus:x");
        assertEquals(1, problems.size());
        assertEquals("unsupported dictionary type: bogus", problems.get(0).message());
    }
}
