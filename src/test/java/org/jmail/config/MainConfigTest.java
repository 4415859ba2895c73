package org.jmail.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainConfigTest {

    @TempDir
    Path dir;

    private MainConfig load(String text) throws Exception {
        Files.writeString(dir.resolve("main.cf"), text);
        return MainConfig.load(dir);
    }

    @Test
    void continuationLinesJoinAndCommentsAreSkipped() throws Exception {
        MainConfig c = load("# comment\nmydestination = a.tst,\n    b.tst,\n  # indented comment\n\tc.tst\nmyhostname = h.example.tst\n");
        assertEquals("a.tst, b.tst, c.tst", c.get("mydestination"));
        assertEquals(List.of("a.tst", "b.tst", "c.tst"), c.list("mydestination"));
    }

    @Test
    void laterDefinitionsWin() throws Exception {
        MainConfig c = load("relayhost = [a.tst]\nrelayhost = [b.tst]:587\n");
        assertEquals("[b.tst]:587", c.get("relayhost"));
    }

    @Test
    void dollarNamesExpandLazilyInEveryForm() throws Exception {
        MainConfig c = load("myhostname = mail.example.tst\nmydestination = $myhostname, ${mydomain}, $(myorigin)\n"
                + "smtpd_banner = ${relayhost?via $relayhost}${relayhost:direct} $$5\n");
        assertEquals("mail.example.tst, example.tst, mail.example.tst", c.get("mydestination"));
        assertEquals("direct $5", c.get("smtpd_banner"));
        assertEquals("$myhostname, ${mydomain}, $(myorigin)", c.raw("mydestination"));
    }

    @Test
    void postfix3ConditionalBracesExpand() throws Exception {
        MainConfig c = load("relayhost = [r.tst]\nsmtpd_banner = ${relayhost?{relayed via $relayhost}:{direct}}\n");
        assertEquals("relayed via [r.tst]", c.get("smtpd_banner"));
    }

    @Test
    void mydomainDefaultsToMyhostnameLessItsFirstLabel() throws Exception {
        MainConfig c = load("myhostname = mx1.corp.example.tst\n");
        assertEquals("corp.example.tst", c.get("mydomain"));
        assertEquals("mx1.corp.example.tst, localhost.corp.example.tst, localhost", c.get("mydestination"));
    }

    @Test
    void unknownKeysAreReportedWithLineButNotFatal() throws Exception {
        MainConfig c = load("myhostname = h.tst\n\nbogus_key = 1\n");
        assertEquals(1, c.problems().size());
        assertEquals(3, c.problems().get(0).line());
        assertTrue(c.problems().get(0).toString().endsWith("main.cf:3: unused parameter: bogus_key=1"));
        assertEquals("1", c.get("bogus_key"));
    }

    @Test
    void lineWithoutEqualsIsAProblem() throws Exception {
        MainConfig c = load("myhostname h.tst\n");
        assertTrue(c.problems().get(0).message().startsWith("missing '='"));
    }

    @Test
    void postfixDefaultsApply() throws Exception {
        MainConfig c = load("");
        assertEquals("51200000", c.get("mailbox_size_limit"));
        assertEquals(10240000, c.getInt("message_size_limit"));
        assertEquals("hash:/etc/aliases", c.get("alias_maps"));
        assertEquals(Duration.ofSeconds(300), c.getTime("smtpd_timeout"));
        assertEquals(Duration.ofDays(5), c.getTime("maximal_queue_lifetime"));
        assertFalse(c.getBoolean("smtpd_helo_required"));
        assertTrue(c.get("local_recipient_maps").startsWith("proxy:unix:passwd.byname hash:/etc/aliases"));
    }

    @Test
    void expansionLoopsEndInsteadOfOverflowing() throws Exception {
        MainConfig c = load("relayhost = $smtpd_banner\nsmtpd_banner = $relayhost\n");
        try {
            c.get("relayhost");
        } catch (IllegalStateException e) {
            assertTrue(e.getMessage().contains("loop"), e.getMessage());
            return;
        }
        throw new AssertionError("loop not detected");
    }

    @Test
    void myoriginNamingAFileTakesItsFirstLineAsDebiansPostfixDoes() throws Exception {
        Path mailname = Files.createTempFile("mailname", "");
        Files.writeString(mailname, "  example.org \nignored\n");
        MainConfig c = load("myhostname = mx.example.org\nmyorigin = " + mailname + "\n");
        assertEquals("example.org", c.get("myorigin"));
        MainConfig missing = load("myhostname = mx.example.org\nmyorigin = /nonexistent/mailname\n");
        assertEquals("mx.example.org", missing.get("myorigin"));
        assertTrue(missing.problems().toString().contains("myorigin: cannot read a name from /nonexistent/mailname"),
                missing.problems().toString());
        Files.delete(mailname);
    }

    @Test
    void nestedReferencesAreExpandedOnceEach() throws Exception {
        // 8 levels of 8 references: 16 Mi characters if expanded as written, and a tree of
        // 8^8 expansions; each name is expanded once and the value is bounded
        StringBuilder cf = new StringBuilder();
        for (char n = 'a'; n < 'h'; n++) {
            cf.append(n).append(" = ").append(("$" + (char) (n + 1)).repeat(8)).append('\n');
        }
        cf.append("h = 0123456789abcdef\n");
        cf.append("g2 = $g\n");
        MainConfig c = load(cf.toString());
        assertEquals(16 * 8 * 8, c.get("f").length());
        assertEquals(c.get("g"), c.get("g2"));
        long t = System.nanoTime();
        try {
            c.get("a");
            throw new AssertionError("a 16 Mi-character value must be refused");
        } catch (IllegalStateException e) {
            assertTrue(e.getMessage().contains("longer than"), e.getMessage());
        }
        assertTrue(System.nanoTime() - t < 2_000_000_000L, "bounded time");
        // ${x?...} tests reuse the known value
        MainConfig d = load("t1 = ${t2?x}${t2?x}${t2?x}${t2?x}\nt2 = ${t3?y}${t3?y}${t3?y}${t3?y}\nt3 = z\n");
        assertEquals("xxxx", d.get("t1"));
        assertEquals("yyyy", d.get("t2"));
    }

    @Test
    void overridesFromMasterCfApplyOnTop() throws Exception {
        MainConfig c = load("smtpd_banner = base\n").withOverrides(Map.of("smtpd_banner", "override $myhostname"));
        assertTrue(c.get("smtpd_banner").startsWith("override "));
    }
}
