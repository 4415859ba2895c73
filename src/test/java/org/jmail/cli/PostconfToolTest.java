package org.jmail.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The expected texts are Postfix 3.7's for the same command lines (src/test/compat/cli_diff.sh). */
class PostconfToolTest {

    @TempDir
    Path dir;

    private Path mainCf;

    @BeforeEach
    void setUp() throws IOException {
        mainCf = dir.resolve("main.cf");
        Files.writeString(mainCf, "myhostname = h.example\nfoo_bar = 1\n  2\n# note\nlonely_one = x\n"
                + "relayhost = [$foo_bar]\n");
    }

    private ToolRun postconf(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "-c";
        all[1] = dir.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return ToolRun.of((a, in, out, err) -> {
            try {
                return PostconfTool.run(a, out, err);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }, "", all);
    }

    @Test
    void aSettingNothingUsesIsAnUnknownAndUnusedParameter() {
        assertEquals(new ToolRun(0, "myhostname = h.example\nfoo_bar = 1 2\n",
                "postconf: warning: lonely_one: unknown parameter\n"
                        + "postconf: warning: " + mainCf + ": unused parameter: lonely_one=x\n"),
                postconf("myhostname", "lonely_one", "foo_bar"));
    }

    @Test
    void nonDefaultListingLeavesUnusedOutAndShowsTheNamedConfigDirectory() {
        assertEquals(new ToolRun(0, "config_directory = " + dir + "\nfoo_bar = 1 2\nmyhostname = h.example\n"
                + "relayhost = [$foo_bar]\n", "postconf: warning: " + mainCf + ": unused parameter: lonely_one=x\n"),
                postconf("-n"));
    }

    @Test
    void missingMainCfIsFatalExceptForDefaults() {
        Path nodir = dir.resolve("nodir");
        assertEquals(new ToolRun(1, "", "postconf: fatal: open " + nodir + "/main.cf: No such file or directory\n"),
                postconf("-c", nodir.toString(), "myhostname"));
        assertEquals(0, postconf("-c", nodir.toString(), "-d", "myhostname").status());
    }

    @Test
    void editWithoutEqualsIsFatalInPostfixWords() {
        assertEquals(new ToolRun(1, "", "postconf: fatal: missing '=' after attribute name: \"relayhost\"\n"),
                postconf("-e", "relayhost"));
        assertEquals(new ToolRun(1, "", "postconf: fatal: -e requires name=value argument\n"), postconf("-e"));
    }

    @Test
    void unknownOptionIsNamedBeforeTheUsage() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Main.UsageException e = assertThrows(Main.UsageException.class,
                () -> PostconfTool.run(new String[] {"-Z"}, System.out, new PrintStream(err, true)));
        assertEquals("postconf: invalid option -- 'Z'\n", err.toString());
        assertTrue(e.getMessage().startsWith("usage: postconf"), e.getMessage());
    }

    @Test
    void minusXRemovesAndMinusHashCommentsOutWithContinuationLines() throws IOException {
        assertEquals(0, postconf("-#", "foo_bar").status());
        assertEquals("myhostname = h.example\n#foo_bar = 1\n#  2\n# note\nlonely_one = x\nrelayhost = [$foo_bar]\n",
                Files.readString(mainCf));
        assertEquals(0, postconf("-X", "lonely_one", "myhostname", "nosuch").status());
        assertEquals("#foo_bar = 1\n#  2\n# note\nrelayhost = [$foo_bar]\n", Files.readString(mainCf));
    }
}
