package org.jmail.it;

import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * Unix accounts for the integration tests (jmtest1, jmtest2, …). Created with useradd when the
 * tests run as root (CI does); without root the tests that need them are skipped, since
 * delivery to another user's mailbox needs root by design.
 */
final class TestUsers {

    private TestUsers() {
    }

    static void ensure(String... names) throws Exception {
        boolean root = "root".equals(System.getProperty("user.name"));
        for (String n : names) {
            if (JmailInstance.run(List.of("id", n), null).status() == 0) {
                continue;
            }
            Assumptions.assumeTrue(root, "needs root to create test account " + n);
            JmailInstance.Result r = JmailInstance.run(List.of("useradd", "-m", "-s", "/bin/bash", n), null);
            if (r.status() != 0 && JmailInstance.run(List.of("id", n), null).status() != 0) {
                throw new AssertionError("useradd " + n + ": " + r.output());
            }
            JmailInstance.run(List.of("chpasswd"), n + ":testpass\n");
        }
    }
}
