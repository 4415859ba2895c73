package org.jmail.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SourceSyntaxTest {

    private final Diagnostics diag = new Diagnostics(null, false);

    private List<String> parse(SourceSyntax syntax, String text) throws IOException {
        List<String> out = new ArrayList<>();
        syntax.parseText(text, "src", diag, (k, v, line) -> out.add(line + "|" + k + "|" + v));
        return out;
    }

    @Test
    void postmapLinesSplitOnFirstWhitespaceAndTrimTheValue() throws IOException {
        assertEquals(List.of("1|example.com|smtp:[relay.example.net]:25"),
                parse(SourceSyntax.POSTMAP, "example.com \t smtp:[relay.example.net]:25  \n"));
    }

    @Test
    void commentsAndBlankLinesAreSkippedAndIndentedLinesContinue() throws IOException {
        String text = "# head\n\nkey first\n  second\n# inside\n\tthird\n   \nnext v\n";
        assertEquals(List.of("3|key|first  second\tthird", "8|next|v"), parse(SourceSyntax.POSTMAP, text));
    }

    @Test
    void keyWithoutValueIsReportedWithFileAndLine() throws IOException {
        assertEquals(List.of("2|ok|v"), parse(SourceSyntax.POSTMAP, "lonely\nok v\n"));
        assertEquals("src:1: expected format: key whitespace value", diag.problems().get(0).toString());
    }

    @Test
    void quotedKeysMayHoldWhitespaceAndStayQuoted() throws IOException {
        assertEquals(List.of("1|\"a b\"|value"), parse(SourceSyntax.POSTMAP, "\"a b\" value\n"));
    }

    @Test
    void aliasFileRecordInPostmapSyntaxIsFlagged() throws IOException {
        parse(SourceSyntax.POSTMAP, "root: admin\n");
        assertTrue(diag.problems().get(0).message().contains("is this an alias file?"));
    }

    @Test
    void continuationWithoutALogicalLineIsReported() throws IOException {
        assertEquals(List.of("2|a|b"), parse(SourceSyntax.POSTMAP, "  orphan\na b\n"));
        assertTrue(diag.problems().get(0).message().contains("logical line must not start with whitespace"));
    }

    @Test
    void aliasKeepsACopyListAsWritten() throws IOException {
        assertEquals(List.of("1|userA|userA, userB"), parse(SourceSyntax.ALIASES, "userA: userA, userB\n"));
    }

    @Test
    void aliasNameMayBeQuotedAndIsStoredUnquoted() throws IOException {
        assertEquals(List.of("1|john smith|jsmith"), parse(SourceSyntax.ALIASES, "\"john smith\": jsmith\n"));
    }

    @Test
    void includeCommandAndFileValuesAreKeptVerbatim() throws IOException {
        String text = "list: :include:/etc/mail/list\npipe: \"|/usr/bin/procmail -a x\"\nfile: /var/log/all\n";
        assertEquals(List.of("1|list|:include:/etc/mail/list", "2|pipe|\"|/usr/bin/procmail -a x\"",
                "3|file|/var/log/all"), parse(SourceSyntax.ALIASES, text));
    }

    @Test
    void aliasValueContinuesOnIndentedLines() throws IOException {
        assertEquals(List.of("1|staff|a, b, c"), parse(SourceSyntax.ALIASES, "staff: a,\n\tb  ,c\n"));
    }

    @Test
    void aliasValueWhitespaceIsNormalizedButQuotesAndCommentsAreNot() {
        assertEquals("x, y", SourceSyntax.externalize(" x ,  y "));
        assertEquals("|/usr/bin/cmd arg", SourceSyntax.externalize("|/usr/bin/cmd   arg"));
        assertEquals("\"|cmd  two\", x", SourceSyntax.externalize("\"|cmd  two\",x"));
        assertEquals("x (a  comment)", SourceSyntax.externalize("x   (a  comment)"));
        assertEquals("x@example.com, \"Some One\" <y@example.com>",
                SourceSyntax.externalize("x@example.com,   \"Some One\" <y@example.com>"));
    }

    @Test
    void aliasWithoutColonOrValueOrWithRemoteNameIsSkipped() throws IOException {
        assertEquals(List.of("4|ok|x"), parse(SourceSyntax.ALIASES, "nocolon\nempty:\nu@example.com: x\nok: x\n"));
        assertEquals("need name:value pair", diag.problems().get(0).message());
        assertEquals(2, diag.problems().get(1).line());
        assertEquals("name must be local", diag.problems().get(2).message());
    }

    @Test
    void syntaxGuessRecognisesAliasFiles() {
        assertEquals(SourceSyntax.ALIASES,
                SourceSyntax.guess(java.nio.file.Path.of("/x/mylist"), "root: a\npostmaster: root\n"));
        assertEquals(SourceSyntax.POSTMAP,
                SourceSyntax.guess(java.nio.file.Path.of("/x/access"), "2001:db8::1 REJECT\nexample.com OK\n"));
        assertEquals(SourceSyntax.ALIASES, SourceSyntax.guess(java.nio.file.Path.of("/etc/aliases"), "x y\n"));
    }
}
