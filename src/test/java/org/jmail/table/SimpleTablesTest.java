package org.jmail.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jmail.posix.Posix;
import org.jmail.posix.UnixUser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** texthash, inline, static, unix, fail, proxy, the cache and table lists. */
class SimpleTablesTest {

    @TempDir
    Path dir;

    private final TableTestSupport support = new TableTestSupport();

    @AfterEach
    void tearDown() {
        support.close();
    }

    @Test
    void texthashReadsTheSourceFoldsKeysAndReloads() throws IOException {
        Path src = dir.resolve("th");
        Files.writeString(src, "# c\nUser@Example.com  a\n  b\nx y\nuser@example.com dup\n");
        LookupTable t = Tables.open("texthash:" + src);
        assertEquals("a  b", t.find("USER@example.COM"));
        assertTrue(support.warned("line 5: duplicate entry"), support.warnings.toString());
        Files.writeString(src, "x z\n");
        assertEquals("z", t.find("x"));
        assertNull(t.find("user@example.com"));
        Files.delete(src);
        assertThrows(IOException.class, () -> t.find("x"));
    }

    @Test
    void inlineTableWithBracesAndSpaces() throws IOException {
        LookupTable t = Tables.open("inline:{ Key1=value1, key2=v2 , { key3 = text with spaces, and comma } }");
        assertEquals("value1", t.find("KEY1"));
        assertEquals("v2", t.find("key2"));
        assertEquals("text with spaces, and comma", t.find("key3"));
        assertNull(t.find("key4"));
        LookupTable u = Tables.open("inline:{a=1,b=2}");
        assertEquals("2", u.find("b"));
    }

    @Test
    void inlineSyntaxErrorsFailAtOpenInPostfixWords() {
        IOException e = assertThrows(IOException.class, () -> Tables.open("inline:a=b"));
        assertTrue(e.getMessage().contains("need \"inline:{name=value...}\""), e.getMessage());
        e = assertThrows(IOException.class, () -> Tables.open("inline:{ novalue }"));
        assertTrue(e.getMessage().startsWith("missing '=' after attribute name"), e.getMessage());
        assertThrows(IOException.class, () -> Tables.open("inline:{}"));
        e = assertThrows(IOException.class, () -> Tables.open("inline:{ key = spaced }"));
        assertTrue(e.getMessage().startsWith("missing '=' after attribute name"), "spaces need inner braces");
    }

    @Test
    void staticAnswersEveryKey() throws IOException {
        assertEquals("OK", Tables.open("static:OK").find("anything"));
        assertEquals("550 go away", Tables.open("static:{ 550 go away }").find("x"));
    }

    @Test
    void unixPasswdGivesThePasswdLineOrNull() throws IOException {
        LookupTable t = Tables.open("unix:passwd.byname");
        UnixUser root = Posix.getpwnam("root");
        assertEquals("root:x:0:0:" + root.gecos() + ":" + root.home() + ":" + root.shell(), t.find("root"));
        assertEquals(t.find("root"), t.find("ROOT"));
        assertNull(t.find("no-such-user-jmail-test"));
        assertSame(t, Tables.open("proxy:unix:passwd.byname"), "proxy: is the same table");
        assertThrows(IOException.class, () -> Tables.open("unix:shadow.byname"));
    }

    @Test
    void unknownTypeIsRefusedInPostfixWords() {
        IOException e = assertThrows(IOException.class, () -> Tables.open("mysql:/etc/x.cf"));
        assertEquals("unsupported dictionary type: mysql", e.getMessage());
        assertThrows(IOException.class, () -> Tables.open("/etc/aliases"));
        assertThrows(IOException.class, () -> Tables.open("fail:x").find("k"));
    }

    @Test
    void sameSpecGivesTheSameInstance() throws IOException {
        Path src = dir.resolve("m");
        Files.writeString(src, "a b\n");
        assertSame(Tables.open("texthash:" + src), Tables.open(" texthash:" + src + " "));
        assertNotSame(Tables.open("texthash:" + src), Tables.openUncached("texthash:" + src));
    }

    @Test
    void listSplitsOnCommasAndSpacesButNotInsideBraces() throws IOException {
        Path src = dir.resolve("m");
        Files.writeString(src, "a b\n");
        List<LookupTable> l = Tables.openList("texthash:" + src + ", inline:{ x=1, {y = 2 3} }  static:{s t}");
        assertEquals(3, l.size());
        assertEquals("2 3", l.get(1).find("y"));
        assertEquals("s t", l.get(2).find("q"));
        assertTrue(Tables.openList("").isEmpty());
        assertThrows(IOException.class, () -> Tables.openList("hash:/x, bogus:/y"));
    }
}
