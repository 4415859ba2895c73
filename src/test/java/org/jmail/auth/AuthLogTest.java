package org.jmail.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jmail.config.MainConfig;
import org.jmail.log.MailLog;
import org.jmail.log.StderrSink;
import org.jmail.posix.Crypt;
import org.jmail.posix.UnixUser;
import org.jmail.queue.CapturedLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthLogTest {

    /** fail2ban's filter.d/dovecot.conf failregex for auth-process lines (the part after the prefix). */
    private static final Pattern FAIL2BAN = Pattern.compile(
            "^[a-z\\-]{3,15}\\(\\S*,(?<host>[0-9.]+)(?:,\\S*)?\\): (?:unknown user|invalid credentials|Password mismatch)\\s*$");
    private static final Pattern FAIL2BAN_PAM = Pattern.compile(
            "^pam\\(\\S+,(?<host>[0-9.]+)(?:,\\S*)?\\): pam_authenticate\\(\\) failed: "
                    + "(?:User not known to the underlying authentication module: \\d+ Time\\(s\\)"
                    + "|Authentication failure \\(password mismatch\\?\\)|Permission denied)\\s*$");

    @TempDir
    Path dir;

    @AfterEach
    void restore() {
        MailLog.setSink(new StderrSink(), "postfix");
    }

    private AuthService service(String driver, boolean verbose) throws IOException {
        Path shadow = dir.resolve("shadow");
        Files.writeString(shadow, "alice:" + Crypt.crypt("pw", Crypt.gensalt("$6$")) + ":19000::::::\n");
        Map<String, String> cfg = new HashMap<>();
        cfg.put("auth_verbose", verbose ? "yes" : "no");
        AuthSettings s = AuthSettings.fromConfig(MainConfig.of(dir, cfg));
        return new AuthService(s, new ShadowPassDb(driver, shadow, () -> 20_000),
                new UnixUserDb("passwd", Map.of("alice", new UnixUser("alice", 1000, 1000, "", "/h", "/bin/sh"))::get),
                new CredentialCache(0, s.cacheTtl(), s.cacheNegativeTtl()));
    }

    private static AuthRequest login(String user, String pw) {
        return new AuthRequest(user, pw, "", "imap", "PLAIN", new InetSocketAddress("203.0.113.9", 5555),
                new InetSocketAddress("192.0.2.1", 143), true);
    }

    /** The text after "dovecot: auth: " (fail2ban's prefix line takes the tag and the auth worker name). */
    private static String text(String line) {
        return line.substring(line.indexOf("auth: ") + 6);
    }

    @Test
    void verboseFailuresAreLoggedInDovecotsWordsAndMatchFail2ban() throws IOException {
        CapturedLog log = CapturedLog.install();
        AuthService auth = service("unix", true);
        auth.authenticate(login("alice", "bad"));
        auth.authenticate(login("mallory", "x"));
        List<String> lines = log.lines();
        assertEquals(List.of("dovecot: auth: unix(alice,203.0.113.9): Password mismatch",
                "dovecot: auth: unix(mallory,203.0.113.9): unknown user"), lines);
        for (String l : lines) {
            assertTrue(FAIL2BAN.matcher(text(l)).matches(), l);
        }
    }

    @Test
    void pamDriverUsesPamTexts() throws IOException {
        CapturedLog log = CapturedLog.install();
        service("pam", true).authenticate(login("alice", "bad"));
        String line = log.lines().get(0);
        assertEquals("dovecot: auth: pam(alice,203.0.113.9): pam_authenticate() failed: "
                + "Authentication failure (password mismatch?)", line);
        assertTrue(FAIL2BAN_PAM.matcher(text(line)).matches(), line);
    }

    @Test
    void quietUnlessAuthVerbose() throws IOException {
        CapturedLog log = CapturedLog.install();
        service("unix", false).authenticate(login("alice", "bad"));
        assertEquals(List.of(), log.lines());
    }

    @Test
    void internalErrorsAreAlwaysLogged() throws IOException {
        CapturedLog log = CapturedLog.install();
        AuthService auth = service("unix", false);
        Files.delete(dir.resolve("shadow"));
        AuthResult r = auth.authenticate(login("alice", "pw"));
        assertTrue(r.temporary());
        assertEquals(List.of("dovecot: auth: Error: unix(alice,203.0.113.9): open(" + dir.resolve("shadow")
                + ") failed: No such file or directory"), log.lines());
    }
}
