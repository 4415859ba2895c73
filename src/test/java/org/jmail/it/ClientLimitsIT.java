package org.jmail.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** anvil's limits on the running daemon, with real clients: 421 for connections, 450 for mail. */
class ClientLimitsIT {

    @Test
    void connectionAndMessageRateLimitsAnswerAsPostfix() throws Exception {
        TestUsers.ensure("jmtest1");
        try (JmailInstance j = new JmailInstance()) {
            j.set("smtpd_client_event_limit_exceptions", "") // loopback is counted too
                    .set("smtpd_client_connection_count_limit", "2")
                    .set("smtpd_client_message_rate_limit", "2");
            j.start();
            try (Socket a = new Socket("127.0.0.1", j.smtpPort); Socket b = new Socket("127.0.0.1", j.smtpPort)) {
                assertTrue(greeting(a).startsWith("220 "));
                assertTrue(greeting(b).startsWith("220 "));
                try (Socket c = new Socket("127.0.0.1", j.smtpPort)) {
                    assertEquals("421 4.7.0 mail.example.tst Error: too many connections from 127.0.0.1", greeting(c));
                }
            }
            assertTrue(j.logShows("warning: Connection concurrency limit exceeded: 3 from localhost[127.0.0.1]"
                    + " for service 127.0.0.1:" + j.smtpPort), j.logText());
            for (int i = 1; i <= 3; i++) {
                JmailInstance.Result r = JmailInstance.run(List.of("swaks", "--server", "127.0.0.1", "--port",
                        Integer.toString(j.smtpPort), "--from", "s@remote.tst", "--to", "jmtest1@example.tst"), null);
                if (i < 3) {
                    assertEquals(0, r.status(), r.output());
                } else {
                    assertTrue(r.output().contains("<** 450 4.7.1 Error: too much mail from 127.0.0.1"), r.output());
                }
            }
            assertTrue(j.logShows("warning: Message delivery request rate limit exceeded: 3 from "
                    + "localhost[127.0.0.1]"), j.logText());
        }
    }

    /** The other three of anvil's limits: connection rate (421), recipient rate and AUTH rate (450). */
    @Test
    void connectionRecipientAndAuthRateLimitsAnswerAsPostfix() throws Exception {
        TestUsers.ensure("jmtest1");
        try (JmailInstance j = new JmailInstance()) {
            j.set("smtpd_client_event_limit_exceptions", "")
                    .set("smtpd_client_connection_rate_limit", "4")
                    .set("smtpd_client_recipient_rate_limit", "3")
                    .set("smtpd_client_auth_rate_limit", "2")
                    .set("smtpd_sasl_auth_enable", "yes")
                    .set("passdb_driver", "static")
                    .set("passdb_args", "password=limitpass")
                    .set("userdb_driver", "passwd");
            j.start();
            String py = String.join("\n",
                    "import smtplib,base64",
                    "s=smtplib.SMTP('127.0.0.1'," + j.smtpPort + ",timeout=20)",
                    "s.ehlo('client.example.tst')",
                    "s.mail('s@remote.tst')",
                    "for i in range(5): print('RCPT', i + 1, *s.rcpt('jmtest1@example.tst'))",
                    "s.rset()",
                    "tok=base64.b64encode(b'\\0jmtest1\\0wrong').decode()",
                    "for i in range(3): print('AUTH', i + 1, *s.docmd('AUTH PLAIN', tok))",
                    "s.quit()");
            JmailInstance.Result r = JmailInstance.run(List.of("/usr/bin/python3", "-c", py), null);
            String out = r.output();
            assertTrue(out.contains("RCPT 3 250 "), out);
            assertTrue(out.contains("RCPT 4 450 b'4.7.1 Error: too many recipients from 127.0.0.1'"), out);
            assertTrue(out.contains("AUTH 1 535 ") && out.contains("AUTH 2 535 "), out);
            assertTrue(out.contains("AUTH 3 450 b'4.7.1 Error: too many AUTH commands from 127.0.0.1'"), out);
            assertTrue(j.logShows("warning: Recipient address rate limit exceeded: 4 from localhost[127.0.0.1]"), j.logText());
            assertTrue(j.logShows("warning: AUTH command rate limit exceeded: 3 from localhost[127.0.0.1]"), j.logText());
            // that was connection 1 of the minute; 2, 3, 4 are served, 5 is refused
            for (int i = 2; i <= 5; i++) {
                try (Socket c = new Socket("127.0.0.1", j.smtpPort)) {
                    String g = greeting(c);
                    if (i <= 4) {
                        assertTrue(g.startsWith("220 "), i + ": " + g);
                    } else {
                        assertEquals("421 4.7.0 mail.example.tst Error: too many connections from 127.0.0.1", g);
                    }
                }
            }
            assertTrue(j.logShows("warning: Connection rate limit exceeded: 5 from localhost[127.0.0.1]"
                    + " for service 127.0.0.1:" + j.smtpPort), j.logText());
        }
    }

    private static String greeting(Socket s) throws Exception {
        s.setSoTimeout(10_000);
        return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
    }
}
