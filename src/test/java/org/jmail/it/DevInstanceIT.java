package org.jmail.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * README's quick start works for a developer without root: the dev instance in {@code etc/dev}
 * started by an ordinary account delivers over SMTP and serves the mail over IMAP and POP3.
 */
class DevInstanceIT {

    @Test
    void readmeQuickStartAsAnOrdinaryUser() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to act as an ordinary user");
        for (int port : new int[] {2525, 1143, 1110}) {
            assumeTrue(free(port), "dev port " + port + " is in use");
        }
        TestUsers.ensure("jmtest1");
        JmailInstance.Result r = JmailInstance.run(List.of("bash", Mbox.script("dev_instance.sh").toString(),
                Path.of("").toAbsolutePath().toString(), "jmtest1"), null);
        assertEquals(0, r.status(), r.output());
        String out = r.output();
        assertTrue(out.contains("mbox_owner=jmtest1"), out);
        assertTrue(out.contains("imap_Subject: dev hello"), out);
        assertTrue(out.contains("pop3_count=1"), out);
        assertTrue(out.contains("Drafts Junk Sent Trash"), out);
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
