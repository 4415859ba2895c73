package org.jmail.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** {@code jmail reload}: new settings for new connections; a session in progress is not dropped. */
class ReloadIT {

    private static String reply(BufferedReader in) throws Exception {
        StringBuilder sb = new StringBuilder();
        String line;
        do {
            line = in.readLine();
            sb.append(line).append('\n');
        } while (line != null && line.length() > 3 && line.charAt(3) == '-');
        return sb.toString();
    }

    @Test
    void reloadKeepsOpenSessionsAndAppliesNewSettingsToNewOnes() throws Exception {
        TestUsers.ensure("jmtest1");
        try (JmailInstance j = new JmailInstance()) {
            j.set("smtpd_banner", "$myhostname ESMTP before-reload");
            j.start();
            try (Socket s = new Socket("127.0.0.1", j.smtpPort)) {
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                Writer out = new OutputStreamWriter(s.getOutputStream(), StandardCharsets.US_ASCII);
                assertTrue(reply(in).contains("before-reload"));
                out.write("EHLO client.remote.tst\r\nMAIL FROM:<a@remote.tst>\r\nRCPT TO:<jmtest1@example.tst>\r\n");
                out.flush();
                reply(in);
                reply(in);
                assertTrue(reply(in).startsWith("250"));
                // mid-transaction: change the banner and reload
                j.set("smtpd_banner", "$myhostname ESMTP after-reload");
                j.writeConfig();
                JmailInstance.Result r = j.jmail("reload");
                assertEquals(0, r.status(), r.output());
                assertTrue(JmailInstance.waitFor(10_000, () -> {
                    try {
                        return j.logText().contains("reload -- version");
                    } catch (Exception e) {
                        return false;
                    }
                }));
                // the reload line is logged when SIGHUP arrives; listeners get the new handler just after
                assertTrue(JmailInstance.waitFor(5_000, () -> {
                    try (Socket s2 = new Socket("127.0.0.1", j.smtpPort)) {
                        BufferedReader in2 = new BufferedReader(new InputStreamReader(s2.getInputStream(), StandardCharsets.US_ASCII));
                        return reply(in2).contains("after-reload");
                    } catch (Exception e) {
                        return false;
                    }
                }));
                // the old session goes on to deliver
                out.write("DATA\r\n");
                out.flush();
                assertTrue(reply(in).startsWith("354"));
                out.write("Subject: across-reload\r\n\r\nbody\r\n.\r\nQUIT\r\n");
                out.flush();
                String queued = reply(in);
                assertTrue(queued.startsWith("250 2.0.0 Ok: queued as"), queued);
            }
            assertTrue(JmailInstance.waitFor(15_000, () -> {
                try {
                    return Files.exists(j.mailbox("jmtest1"))
                            && Files.readString(j.mailbox("jmtest1")).contains("Subject: across-reload");
                } catch (Exception e) {
                    return false;
                }
            }), j.logText());
        }
    }
}
