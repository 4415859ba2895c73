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
                if (root) {
                    setPassword(n); // an account left locked by an earlier run can't log in over IMAP
                }
                continue;
            }
            Assumptions.assumeTrue(root, "needs root to create test account " + n);
            JmailInstance.Result r = JmailInstance.run(List.of("useradd", "-m", "-s", "/bin/bash", n), null);
            if (r.status() != 0 && JmailInstance.run(List.of("id", n), null).status() != 0) {
                throw new AssertionError("useradd " + n + ": " + r.output());
            }
            setPassword(n);
        }
    }

    /** Password "testpass", hashed the way Debian's chpasswd does (yescrypt). */
    private static void setPassword(String name) throws Exception {
        JmailInstance.Result r = JmailInstance.run(List.of("chpasswd"), name + ":testpass\n");
        if (r.status() != 0) {
            throw new AssertionError("chpasswd " + name + ": " + r.output());
        }
    }
}
