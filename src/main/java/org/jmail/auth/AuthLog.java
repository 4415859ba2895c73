package org.jmail.auth;

import java.net.InetSocketAddress;
import org.jmail.log.MailLog;

/**
 * The auth process's log lines in Dovecot's words, tagged {@code jmail/auth}:
 * {@code <driver>(<user>,<rip>): unknown user}, {@code ...: Password mismatch},
 * {@code ...: invalid password field}; with the {@code pam} driver the texts Dovecot's pam
 * passdb writes ({@code pam_authenticate() failed: Authentication failure (password
 * mismatch?)}, {@code pam_acct_mgmt() failed: ...}). fail2ban's dovecot filter matches both
 * shapes. As in Dovecot, login failures are logged only with {@code auth_verbose = yes};
 * internal errors always are.
 */
final class AuthLog {

    private final MailLog log;
    private final boolean verbose;

    AuthLog(MailLog log, boolean verbose) {
        this.log = log;
        this.verbose = verbose;
    }

    static String prefix(String driver, String user, InetSocketAddress remote) {
        StringBuilder b = new StringBuilder(driver).append('(').append(user);
        if (remote != null && remote.getAddress() != null) {
            b.append(',').append(remote.getAddress().getHostAddress());
        }
        return b.append("): ").toString();
    }

    void unknownUser(String driver, String user, InetSocketAddress remote) {
        info(driver, user, remote, "unknown user");
    }

    void mismatch(String driver, String user, InetSocketAddress remote) {
        info(driver, user, remote, driver.equals("pam")
                ? "pam_authenticate() failed: Authentication failure (password mismatch?)" : "Password mismatch");
    }

    void disabled(String driver, String user, InetSocketAddress remote, String why) {
        // pam_unix answers a locked account like a wrong password
        info(driver, user, remote, driver.equals("pam")
                ? "pam_authenticate() failed: Authentication failure (password mismatch?)" : why);
    }

    void expired(String driver, String user, InetSocketAddress remote, String why) {
        if (driver.equals("pam")) {
            why = why.startsWith("account expired") ? "pam_acct_mgmt() failed: User account has expired"
                    : "pam_acct_mgmt() failed: Authentication token is no longer valid; new one required";
        }
        info(driver, user, remote, why);
    }

    void info(String driver, String user, InetSocketAddress remote, String message) {
        if (verbose) {
            log.info(prefix(driver, user, remote) + message);
        }
    }

    void error(String driver, String user, InetSocketAddress remote, String message) {
        log.error(prefix(driver, user, remote) + message);
    }

    void error(String message) {
        log.error(message);
    }
}
