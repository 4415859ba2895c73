package org.jmail.fuzz;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jmail.cleanup.CleanupService;
import org.jmail.cleanup.CleanupSession;
import org.jmail.config.MainConfig;
import org.jmail.resolve.AddressResolver;
import org.jmail.resolve.LocalRecipientCheck;
import org.jmail.smtpd.Smtpd;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes smtpd: whole sessions (greeting to disconnect) through {@link Smtpd#handle} over an
 * in-memory socket, so the line reader ({@code SmtpInput}: line limits, bare LF, over-long
 * lines), UTF-8 decoding, the protocol engine ({@code SmtpSession}: command table, error
 * limits, DATA dot handling, BDAT chunk counts), path parsing ({@code SmtpPath}: brackets,
 * quotes, source routes, address literals) and xtext ({@code Xtext}: ENVID/ORCPT) all see
 * hostile bytes. Two configurations alternate: defaults, and a strict one (bare LF forbidden,
 * soft_bounce, tiny size and recipient limits, no enhanced status codes).
 *
 * <p>Oracle: the session never reaches its "Server local error" path (a RuntimeException
 * inside the engine) and logs no internal error; everything it writes is an SMTP reply line
 * ("ddd " or "ddd-"); it ends within the deadline and allocates in proportion to the input.
 * Longer run: {@code mvn test -Dtest=SmtpFuzzTest -Djmail.fuzz.iterations=1000000}.
 */
@org.junit.jupiter.api.extension.ExtendWith(LogWatch.Installed.class)
class SmtpFuzzTest {

    private static final Pattern REPLY = Pattern.compile("[2-5][0-9][0-9][ -][^\r\n]*");

    /** Accepts every message and keeps nothing but a byte count. */
    static final class CountingCleanup implements CleanupService {
        private int ids;

        @Override
        public synchronized CleanupSession open(org.jmail.cleanup.MessageOrigin origin, String sender) {
            String id = String.format("4F%06XC", ++ids);
            return new CleanupSession() {
                long size;

                @Override
                public String queueId() {
                    return id;
                }

                @Override
                public void addRecipient(String address, String original) {
                }

                @Override
                public void writeLine(byte[] line, int offset, int length) {
                    size += length + 1;
                }

                @Override
                public void commit() {
                }

                @Override
                public void abort() {
                }

                @Override
                public void prependHeader(String headerLine) {
                }

                @Override
                public long size() {
                    return size;
                }
            };
        }
    }

    private static Smtpd smtpd(Map<String, String> extra) {
        Map<String, String> m = new HashMap<>();
        m.put("myhostname", "mail.example.tst");
        m.put("mydomain", "example.tst");
        m.put("mydestination", "$myhostname, localhost.$mydomain, localhost, example.tst");
        m.put("local_recipient_maps", "");
        m.put("alias_maps", "");
        m.put("smtpd_error_sleep_time", "0");
        m.putAll(extra);
        MainConfig c = MainConfig.of(Path.of("/nonexistent"), m);
        return new Smtpd(c, new CountingCleanup(), new AddressResolver(c), new LocalRecipientCheck(c),
                a -> a.isLoopbackAddress() ? "localhost" : "client.example.net");
    }

    @Test
    void smtpSessionsSurviveHostileClients() throws Exception {
        Smtpd plain = smtpd(Map.of());
        Smtpd strict = smtpd(Map.of("smtpd_forbid_bare_newline", "yes", "soft_bounce", "yes",
                "message_size_limit", "2000", "smtpd_recipient_limit", "3", "smtpd_hard_error_limit", "5",
                "smtpd_discard_ehlo_keywords", "enhancedstatuscodes,pipelining", "smtputf8_enable", "no",
                "strict_rfc821_envelopes", "yes", "smtpd_helo_required", "yes"));
        Fuzzer.of("smtpd", 6000, in -> {
            int h = in.length == 0 ? 0 : in[in.length / 2];
            Smtpd server = (h & 1) == 0 ? plain : strict;
            MemorySocket s = new MemorySocket(in, (h & 2) == 0 ? "192.0.2.10" : "127.0.0.1", 25, 64 * 1024);
            LogWatch.reset();
            server.handle(s);
            LogWatch.assertClean();
            String out = s.output().text();
            if (out.contains("Server local error")) {
                throw new AssertionError("engine failed: " + out);
            }
            for (String line : out.split("\r\n")) {
                if (!line.isEmpty() && !REPLY.matcher(line).matches() && out.length() < 64 * 1024 - 600) {
                    throw new AssertionError("not an SMTP reply: " + Fuzzer.preview(line.getBytes()));
                }
            }
        }).dictionary(List.of("HELO ", "EHLO ", "MAIL FROM:", "RCPT TO:", "DATA\r\n", "BDAT ", " LAST", "RSET\r\n",
                "NOOP", "VRFY ", "ETRN ", "QUIT\r\n", "AUTH PLAIN ", "STARTTLS\r\n", "\r\n.\r\n", "<>", "<@a,@b:",
                "\"quoted local\"", "@[127.0.0.1]", "@[IPv6:::1]", "@[IPv6:", " SIZE=", " BODY=8BITMIME",
                " SMTPUTF8", " ENVID=", " RET=HDRS", " NOTIFY=SUCCESS,DELAY", " ORCPT=rfc822;", "+2B", "+zz", "+",
                "alice@example.tst", "postmaster", "Subject: x", "\r\n..\r\n", "BDAT 4294967296 LAST\r\n",
                "BDAT 0 LAST\r\n", "BDAT -1\r\n", "XCLIENT ", "\\", "%", "!"))
                .run();
    }
}
