package org.jmail.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HashDbTest {

    @TempDir
    Path dir;

    @Test
    void everyStoredKeyIsFoundAndOthersAreNot() throws IOException {
        HashDbWriter w = new HashDbWriter(true, false, DuplicatePolicy.WARN, null, "src");
        Random r = new Random(42);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            String k = "user" + r.nextInt(1_000_000_000) + "@Example.ORG";
            keys.add(k);
            w.add(k, "value-" + i);
        }
        Path db = dir.resolve("t.db");
        w.write(db, null);
        HashDb h = HashDb.open(db);
        for (String k : keys) {
            assertTrue(h.find(k) != null, k);
        }
        assertEquals(h.find(keys.get(7)), h.find(keys.get(7).toUpperCase()));
        for (int i = 0; i < 1000; i++) {
            assertNull(h.find("absent" + i + "@example.org"));
        }
    }

    @Test
    void valuesKeepUtf8AndEmptyTableWorks() throws IOException {
        HashDbWriter w = new HashDbWriter(true, false, DuplicatePolicy.WARN, null, "src");
        w.add("Grüße", "häuser ✓");
        Path db = dir.resolve("u.db");
        w.write(db, null);
        assertEquals("häuser ✓", HashDb.open(db).find("GRÜßE"));
        HashDbWriter empty = new HashDbWriter(true, false, DuplicatePolicy.WARN, null, "src");
        Path e = dir.resolve("e.db");
        empty.write(e, null);
        assertNull(HashDb.open(e).find("anything"));
    }

    @Test
    void foreignTruncatedAndMissingFilesAreTold() throws IOException {
        Path foreign = dir.resolve("bdb.db");
        byte[] bdb = new byte[4096];
        bdb[12] = 0x61; // Berkeley DB hash magic lives at offset 12
        Files.write(foreign, bdb);
        assertThrows(HashDb.ForeignFormatException.class, () -> HashDb.open(foreign));
        assertThrows(NoSuchFileException.class, () -> HashDb.open(dir.resolve("none.db")));

        HashDbWriter w = new HashDbWriter(true, false, DuplicatePolicy.WARN, null, "src");
        w.add("a", "b");
        Path db = dir.resolve("t.db");
        w.write(db, null);
        byte[] whole = Files.readAllBytes(db);
        Files.write(db, java.util.Arrays.copyOf(whole, whole.length - 8));
        IOException e = assertThrows(IOException.class, () -> HashDb.open(db));
        assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
    }
}
