package org.jmail.fuzz;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.jmail.imap.ImapServer;
import org.jmail.imap.ImapSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the IMAP server: whole sessions through {@link ImapServer#handle} over an in-memory
 * socket against a real mbox store in a temp dir (reset before each input). Sessions reach
 * the parser ({@code ImapParser}/{@code ImapInput}: literals, {@code {4294967295}}, nesting,
 * quoting, invalid UTF-8), {@code SequenceSet}, SEARCH parsing, FETCH/STORE/COPY/APPEND and
 * the mailbox commands. A second target puts the fuzzed bytes into the INBOX as a message and
 * FETCHes BODYSTRUCTURE, ENVELOPE and body sections and SEARCHes the text, which drives the
 * mbox parser, {@code MimePart}, {@code Envelope} and {@code BodyText}.
 *
 * <p>Oracle: no "[SERVERBUG]"/"Internal error" reply and no internal error logged (the
 * session caught a RuntimeException), an end within the deadline, allocation bounded by the
 * input. Longer run: {@code -Djmail.fuzz.iterations=1000000}.
 */
@org.junit.jupiter.api.extension.ExtendWith(LogWatch.Installed.class)
class ImapFuzzTest {

    private ScratchMailStore store;
    private ImapServer server;

    @BeforeEach
    void setUp() throws Exception {
        store = new ScratchMailStore();
        server = new ImapServer(ImapSettings.defaults().withAuthFailureDelay(Duration.ZERO), store.auth, store.stores,
                null, false);
    }

    @AfterEach
    void tearDown() throws Exception {
        store.close();
    }

    private void session(byte[] in) throws Exception {
        MemorySocket s = new MemorySocket(in, "127.0.0.1", 143, 64 * 1024);
        LogWatch.reset();
        server.handle(s);
        LogWatch.assertClean();
        String out = s.output().text();
        if (out.contains("[SERVERBUG]") || out.contains("Internal error")) {
            throw new AssertionError("server error: " + out.substring(Math.max(0, out.indexOf("SERVERBUG") - 300)));
        }
    }

    @Test
    void imapSessionsSurviveHostileClients() throws Exception {
        Fuzzer.of("imap", 1200, in -> {
            store.reset();
            session(in);
        }).dictionary(List.of("a LOGIN fuzz secret\r\n", "b SELECT INBOX\r\n", "c EXAMINE INBOX\r\n", " FETCH ",
                " UID ", " STORE ", " +FLAGS (\\Seen \\Deleted)", " COPY ", " MOVE ", " SEARCH ", " EXPUNGE\r\n",
                " APPEND ", " CREATE ", " DELETE ", " RENAME ", " LIST \"\" *", " LSUB ", " STATUS ", " SUBSCRIBE ",
                " IDLE\r\n", "DONE\r\n", " NOOP\r\n", " CHECK\r\n", " CLOSE\r\n", " UNSELECT\r\n", " LOGOUT\r\n",
                " CAPABILITY\r\n", " AUTHENTICATE PLAIN", " ENABLE ", " NAMESPACE\r\n", " GETQUOTAROOT ", " ID ",
                "(BODY[] BODYSTRUCTURE ENVELOPE FLAGS INTERNALDATE RFC822.SIZE UID)", "BODY[1.2.HEADER]",
                "BODY.PEEK[HEADER.FIELDS (Subject From)]<0.10>", "BINARY[1]", "1:*", "*", "2,4:7", "$",
                " CHARSET UTF-8 ", " OR ", " NOT ", " BEFORE 1-Jan-2000", " SINCE 31-Feb-2026", " LARGER ",
                " HEADER Subject ", " TEXT ", " KEYWORD ", " UID 1:4294967295", "{5}\r\nhello", "{4294967295}\r\n",
                "{0+}\r\n", "~{3}\r\n", "\"quoted \\\" string\"", "NIL", "(", ")", "[", "]", "<", ">", "\\Seen",
                "INBOX", "../x", "a/b/c", "&AOk-", "\"\u00c3\u00a9\""))
                .run();
    }

    @Test
    void mimeStructureOfHostileMessages() throws Exception {
        byte[] script = ("a LOGIN fuzz secret\r\nb SELECT INBOX\r\n"
                + "c FETCH 1:* (BODYSTRUCTURE ENVELOPE FLAGS RFC822.SIZE BODY.PEEK[HEADER.FIELDS (Subject)] "
                + "BODY.PEEK[1] BODY.PEEK[1.2] BODY.PEEK[2.1.MIME] BODY.PEEK[TEXT]<5.20> BINARY.PEEK[1] BINARY.SIZE[1])\r\n"
                + "d SEARCH TEXT caf\r\ne SEARCH BODY \"inner body\" HEADER Subject x\r\n"
                + "f UID SEARCH CHARSET UTF-8 SUBJECT {5}\r\ncaf\u00c3\u00a9\r\ng LOGOUT\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        Fuzzer.of("mime", 600, in -> {
            store.reset(in);
            session(script);
        }).dictionary(List.of("From a@b Sat Nov 28 04:41:24 2026\n", "Content-Type: multipart/mixed; boundary=",
                "Content-Type: message/rfc822\n", "Content-Transfer-Encoding: base64\n",
                "Content-Transfer-Encoding: quoted-printable\n", "Content-Disposition: attachment; filename*0*=",
                "--XX\n", "--XX--\n", "\n\n", "=?utf-8?b?", "=?iso-8859-1?q?", "?=", "; charset=", "\"", "=XX",
                "boundary=\"\"", "Content-Type: text/plain; name*=utf-8''%e9", "Content-Language: ", "(comment",
                "From: ", "To: ", "Cc: ", "Sender: <@route:a@b>", "group: a@b, c@d;", "In-Reply-To: <",
                "X-UID: 4294967295\n", "X-IMAPbase: 1 4294967295\n", "Status: RO\n", "X-Keywords: ",
                "Content-Length: 99999999999\n"))
                // a 1 MB mbox of tiny messages is ~10,000 messages, each FETCHed whole: the
                // work (and allocation, ~200 bytes per mbox byte) is per message, not unbounded
                .extremeSize(1024 * 1024).allocation(64L * 1024 * 1024, 256)
                .run();
    }
}
