package org.jmail.fuzz;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.jmail.pop3.Pop3Server;
import org.jmail.pop3.Pop3Settings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the POP3 server: whole sessions through {@link Pop3Server#handle} over an in-memory
 * socket against a scratch mbox store (reset before each input), so the line reader
 * ({@code Pop3Input}: line limit, bare LF, NUL), the login state ({@code Pop3Login}: USER/PASS,
 * APOP, AUTH PLAIN with initial response and continuation, STLS without TLS) and the
 * transaction commands (message numbers at int/long limits, TOP with odd line counts, DELE
 * then QUIT) see hostile bytes.
 *
 * <p>Oracle: no "Internal error" reply and no internal error logged, every status line the
 * server writes starts "+OK", "-ERR" or "+ " (a SASL continuation), an end within the
 * deadline, allocation bounded by the input. Longer run: {@code -Djmail.fuzz.iterations=1000000}.
 */
@org.junit.jupiter.api.extension.ExtendWith(LogWatch.Installed.class)
class Pop3FuzzTest {

    private static final Pattern STATUS = Pattern.compile("(\\+OK|-ERR|\\+ ).*");
    private ScratchMailStore store;
    private Pop3Server server;

    @BeforeEach
    void setUp() throws Exception {
        store = new ScratchMailStore();
        server = new Pop3Server(Pop3Settings.defaults().withAuthFailureDelay(Duration.ZERO), store.auth, store.stores,
                null, false);
    }

    @AfterEach
    void tearDown() throws Exception {
        store.close();
    }

    @Test
    void pop3SessionsSurviveHostileClients() throws Exception {
        Fuzzer.of("pop3", 2000, in -> {
            store.reset();
            MemorySocket s = new MemorySocket(in, "127.0.0.1", 110, 64 * 1024);
            LogWatch.reset();
            server.handle(s);
            LogWatch.assertClean();
            String out = s.output().text();
            if (out.contains("Internal error")) {
                throw new AssertionError("server error: " + out);
            }
            String first = out.isEmpty() ? "" : out.substring(0, Math.max(0, out.indexOf("\r\n")));
            if (!STATUS.matcher(first).matches()) {
                throw new AssertionError("not a POP3 status line: " + first);
            }
        }).dictionary(List.of("USER fuzz\r\n", "PASS secret\r\n", "APOP fuzz 0123456789abcdef\r\n", "AUTH PLAIN ",
                "AUTH PLAIN\r\n", "AGZ1enoAc2VjcmV0\r\n", "AUTH LOGIN\r\n", "*\r\n", "=\r\n", "CAPA\r\n", "STLS\r\n",
                "STAT\r\n", "LIST", "UIDL", "RETR ", "TOP ", "DELE ", "NOOP\r\n", "RSET\r\n", "QUIT\r\n", "LAST\r\n",
                " 1", " 2", " 0", " 3", " -1", " 4294967297", " 2 0", " 1 2147483648", "\r\n"))
                // "RETR 1" (8 bytes) sends a whole message (~5 KB of work each): allocation
                // grows with the commands, so the per-byte bound is generous; the base
                // bound still catches any size taken from a number in the input
                .allocation(64L * 1024 * 1024, 1024)
                .run();
    }
}
