package org.jmail.fuzz;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jmail.table.LookupTable;
import org.jmail.table.TableCompiler;
import org.jmail.table.Tables;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes the lookup-table source parsers, each input used as every kind of table: texthash
 * (Postfix's {@code key value} source with continuation lines and comments), the same
 * compiled by postmap/postalias into hash: (aliases syntax {@code name: a, b} too), regexp:
 * (regexp_table with flags, {@code if}/{@code endif}, {@code $1}), cidr: (IPv4/IPv6, bad
 * masks) and inline:{...}. A few lookups follow each parse, with keys taken from the input
 * (an attacker controls lookup keys: client addresses, senders, header lines) and fixed
 * ones. Documented failures: IOException when a table can't be opened (inline: syntax).
 * Anything else escaping, a hang (a lookup included) or allocation out of proportion is a
 * failure.
 */
@org.junit.jupiter.api.extension.ExtendWith(LogWatch.Installed.class)
class TableFuzzTest {

    @TempDir
    Path dir;

    private static final List<String> FIXED_KEYS = List.of("root", "postmaster", "example.com", "sub.example.com",
            "user@example.com", "user+ext@example.com", "@example.com", "192.0.2.1", "198.51.100.7", "10.1.2.3",
            "2001:db8::1", "::1", "Subject: buy viagra now", "Received: from x ([192.0.2.9])",
            "From: <a@example.net>", "", "a".repeat(2000) + "!");

    @Test
    void tableSourcesParseAndLookUpWithinBounds() throws Exception {
        Fuzzer.of("tables", 800, in -> {
            Path src = dir.resolve("table");
            Files.write(src, in);
            List<String> keys = new ArrayList<>(FIXED_KEYS);
            String text = new String(in, StandardCharsets.UTF_8);
            int n = 0;
            for (String line : text.split("\n", 64)) { // the first words of the first lines
                String t = line.strip();
                int sp = t.indexOf(' ');
                keys.add(sp > 0 ? t.substring(0, sp) : t);
                if (++n >= 8) {
                    break;
                }
            }
            for (String type : List.of("texthash", "regexp", "cidr")) {
                lookUp(type + ":" + src, keys);
            }
            // postmap and postalias: compile the source, then look up in the result
            for (boolean aliases : new boolean[] {false, true}) {
                try {
                    TableCompiler.compile("hash", src.toString(), aliases, TableCompiler.Options.DEFAULT);
                } catch (IOException e) {
                    continue; // documented: e.g. no space for the output
                }
                lookUp("hash:" + src, keys);
            }
            if (in.length < 64 * 1024) {
                lookUp("inline:" + text, keys);
            }
        }).dictionary(List.of("\n", "\n ", "\n\t", "# comment\n", ":", ": ", ", ", ",", "\"", "\\", "|", "/",
                ":include:", "/^", "$/", "/i", "!/", "if /", "endif\n", "$1", "${1}", "(", ")", "(.*)", "+", "*",
                "[", "]", "{", "}", "{ a=b }", "=", "/24", "/128", "/33", "::", "192.0.2.", "2001:db8::",
                "REJECT", "OK", "DUNNO", "450 4.7.1 x", "smtp:[", "]:587", "error:", "local:", "\u00e9", "\r\n"))
                // each input is parsed six times (texthash, regexp, cidr, hash twice, inline); a
                // source whose every line draws a warning costs ~45 bytes per byte per parse
                // (the log lines), measured for 75,000 bad lines: linear, so 256 per byte in all
                .allocation(64L * 1024 * 1024, 256)
                .extremeSize(2 * 1024 * 1024)
                .run();
    }

    private static void lookUp(String spec, List<String> keys) throws IOException {
        LookupTable t;
        try {
            t = Tables.openUncached(spec);
        } catch (IOException e) {
            return; // documented: a table that can't be opened
        }
        for (String k : keys) {
            t.find(k);
        }
    }
}
