package org.jmail.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.jmail.config.MainConfig;
import org.jmail.posix.Crypt;
import org.jmail.posix.UnixUser;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthServiceTest {

    private static final long TODAY = 20_000; // days since the epoch (2024-10-04)
    private static final InetSocketAddress RIP = new InetSocketAddress("192.0.2.7", 40000);
    private static final InetSocketAddress LIP = new InetSocketAddress("192.0.2.1", 143);

    @TempDir
    Path dir;
    private Path shadow;
    private final Map<String, UnixUser> passwd = new HashMap<>();
    private final StringBuilder shadowText = new StringBuilder();

    @BeforeEach
    void setUp() {
        shadow = dir.resolve("shadow");
        passwd.put("alice", new UnixUser("alice", 1001, 1001, "Alice", "/home/alice", "/bin/bash"));
        passwd.put("bob", new UnixUser("bob", 1002, 100, "", "/home/bob", "/bin/sh"));
        passwd.put("daemonish", new UnixUser("daemonish", 105, 105, "", "/var/lib/d", "/usr/sbin/nologin"));
    }

    private void shadowLine(String user, String hash, String rest) throws IOException {
        shadowText.append(user).append(':').append(hash).append(':').append(rest).append('\n');
        Files.writeString(shadow, shadowText);
    }

    private static String hash(String prefix, String password) {
        return Crypt.crypt(password, Crypt.gensalt(prefix));
    }

    private AuthService service(Map<String, String> extra) {
        Map<String, String> cfg = new HashMap<>(extra);
        // no auth penalty between the many failures of these tests (AuthPenaltyTest covers it)
        cfg.putIfAbsent("auth_failure_delay", "0");
        AuthSettings s = AuthSettings.fromConfig(MainConfig.of(dir, cfg));
        return new AuthService(s, new ShadowPassDb("unix", shadow, () -> TODAY),
                new UnixUserDb("unix", passwd::get),
                new CredentialCache(s.cacheSize(), s.cacheTtl(), s.cacheNegativeTtl()));
    }

    private AuthService service() {
        return service(Map.of());
    }

    private static AuthRequest login(String user, String password) {
        return new AuthRequest(user, password, "", "imap", "PLAIN", RIP, LIP, true);
    }

    @Test
    void everyShadowHashMethodLogsIn() throws IOException {
        shadowLine("alice", hash("$y$", "wonder land"), "19000:0:99999:7:::");
        shadowLine("bob", hash("$6$", "builder"), "19000:0:99999:7:::");
        AuthService auth = service();
        AuthResult a = auth.authenticate(login("alice", "wonder land"));
        assertTrue(a.success(), a.reason());
        assertEquals(new AuthUser("alice", 1001, 1001, "/home/alice", ""), a.user());
        assertTrue(auth.authenticate(login("bob", "builder")).success());
        assertFalse(auth.authenticate(login("bob", "Builder")).success());
    }

    @Test
    void sha256AndMd5CryptFromOpensslVerify() throws IOException {
        // openssl passwd -5 -salt abcdefgh pw5 / openssl passwd -1 -salt abcdefgh pw1
        shadowLine("alice", "$5$abcdefgh$Q3HL3fyO1X2phL4HcbLKrQIvNmLlASe4ayT3RIc4ZbD", "19000::::::");
        shadowLine("bob", "$1$abcdefgh$CSewKYDMd6dmHkTqkKYk60", "19000::::::");
        AuthService auth = service();
        assertTrue(auth.authenticate(login("alice", "pw5")).success());
        assertTrue(auth.authenticate(login("bob", "pw1")).success());
        assertFalse(auth.authenticate(login("bob", "pw5")).success());
    }

    @Test
    void wrongPasswordAndUnknownUserFailWithoutTempfail() throws IOException {
        shadowLine("alice", hash("$6$", "right"), "19000::::::");
        AuthService auth = service();
        AuthResult wrong = auth.authenticate(login("alice", "wrong"));
        assertFalse(wrong.success());
        assertFalse(wrong.temporary());
        assertEquals("Password mismatch", wrong.reason());
        AuthResult unknown = auth.authenticate(login("nobody", "x"));
        assertFalse(unknown.success());
        assertFalse(unknown.temporary());
        assertEquals("unknown user", unknown.reason());
    }

    @Test
    void lockedAccountsAreRefusedEvenWithTheRightPassword() throws IOException {
        shadowLine("alice", "!" + hash("$6$", "pw"), "19000::::::");
        shadowLine("bob", "*", "19000::::::");
        AuthService auth = service();
        AuthResult a = auth.authenticate(login("alice", "pw"));
        assertFalse(a.success());
        assertEquals("invalid password field", a.reason());
        assertFalse(auth.authenticate(login("bob", "")).success());
        assertFalse(auth.authenticate(login("bob", "*")).success());
    }

    @Test
    void expiredAccountsAreRefusedAsPamWould() throws IOException {
        String h = hash("$6$", "pw");
        shadowLine("alice", h, "19000:0:99999:7::" + (TODAY - 1) + ":"); // expire date passed
        shadowLine("bob", h, (TODAY - 100) + ":0:90:7:::");               // password older than max
        AuthService auth = service();
        assertEquals("account expired", auth.authenticate(login("alice", "pw")).reason());
        assertEquals("password expired", auth.authenticate(login("bob", "pw")).reason());
    }

    @Test
    void accountsWithinTheirDatesLogIn() throws IOException {
        String h = hash("$6$", "pw");
        shadowLine("alice", h, "19000:0:99999:7::" + (TODAY + 1) + ":");
        shadowLine("bob", h, (TODAY - 10) + ":0:90:7:::");
        AuthService auth = service();
        assertTrue(auth.authenticate(login("alice", "pw")).success());
        assertTrue(auth.authenticate(login("bob", "pw")).success());
    }

    @Test
    void passwordChangeRequiredRefused() throws IOException {
        shadowLine("alice", hash("$6$", "pw"), "0:0:99999:7:::");
        assertEquals("password change required", service().authenticate(login("alice", "pw")).reason());
    }

    @Test
    void uidAndGidLimitsApplyToTheUserdbResult() throws IOException {
        String h = hash("$6$", "pw");
        shadowLine("daemonish", h, "19000::::::");
        shadowLine("alice", h, "19000::::::");
        shadowLine("bob", h, "19000::::::");
        AuthResult low = service().authenticate(login("daemonish", "pw"));
        assertFalse(low.success());
        assertTrue(low.temporary());
        assertTrue(low.reason().contains("Mail access for users with UID 105 not permitted"), low.reason());

        AuthService capped = service(Map.of("last_valid_uid", "1001", "first_valid_uid", "100"));
        assertTrue(capped.authenticate(login("daemonish", "pw")).success());
        assertTrue(capped.authenticate(login("alice", "pw")).success());
        assertFalse(capped.authenticate(login("bob", "pw")).success());

        AuthService gid = service(Map.of("first_valid_gid", "1000"));
        assertTrue(gid.authenticate(login("alice", "pw")).success());
        assertTrue(gid.authenticate(login("bob", "pw")).reason().contains("GID 100 not permitted"));
    }

    @Test
    void cacheHitSkipsCryptAndIsTenTimesFaster() throws IOException {
        shadowLine("alice", hash("$y$", "slow hash"), "19000::::::");
        shadowLine("bob", hash("$y$", "warm"), "19000::::::");
        AuthService auth = service();
        for (int i = 0; i < 3; i++) { // warm both paths (class loading, JIT) on another user
            assertTrue(auth.authenticate(login("bob", "warm")).success());
        }
        long t0 = System.nanoTime();
        assertTrue(auth.authenticate(login("alice", "slow hash")).success());
        long first = System.nanoTime() - t0;
        long cached = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) { // best of five: a GC pause is not the cache's cost
            long t1 = System.nanoTime();
            assertTrue(auth.authenticate(login("alice", "slow hash")).success());
            cached = Math.min(cached, System.nanoTime() - t1);
        }
        assertEquals(2 + 5, auth.cache().hits());
        assertTrue(cached * 10 <= first, "first " + first / 1000 + " µs, cached " + cached / 1000 + " µs");
    }

    @Test
    void cachedSuccessNeverAdmitsAnotherPassword() throws IOException {
        shadowLine("alice", hash("$6$", "right"), "19000::::::");
        AuthService auth = service();
        assertTrue(auth.authenticate(login("alice", "right")).success());
        assertFalse(auth.authenticate(login("alice", "wrong")).success());
        assertTrue(auth.authenticate(login("alice", "right")).success());
    }

    @Test
    void changedHashInvalidatesTheCache() throws IOException {
        shadowLine("alice", hash("$6$", "old"), "19000::::::");
        AuthService auth = service();
        assertTrue(auth.authenticate(login("alice", "old")).success());
        shadowText.setLength(0);
        shadowLine("alice", hash("$6$", "new"), "19000::::::");
        Files.setLastModifiedTime(shadow, FileTime.fromMillis(System.currentTimeMillis() + 5000));
        assertFalse(auth.authenticate(login("alice", "old")).success());
        assertTrue(auth.authenticate(login("alice", "new")).success());
    }

    @Test
    void lockingAnAccountOverridesACachedSuccess() throws IOException {
        String h = hash("$6$", "pw");
        shadowLine("alice", h, "19000::::::");
        AuthService auth = service();
        assertTrue(auth.authenticate(login("alice", "pw")).success());
        shadowText.setLength(0);
        shadowLine("alice", "!" + h, "19000::::::"); // passwd -l
        Files.setLastModifiedTime(shadow, FileTime.fromMillis(System.currentTimeMillis() + 5000));
        assertFalse(auth.authenticate(login("alice", "pw")).success());
    }

    @Test
    void concurrentLoginsGetTheirOwnVerdicts() throws Exception {
        shadowLine("alice", hash("$y$", "a-pw"), "19000::::::");
        shadowLine("bob", hash("$6$", "b-pw"), "19000::::::");
        AuthService auth = service(Map.of("auth_cache_size", "0"));
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(6);
        try {
            java.util.List<java.util.concurrent.Future<Boolean>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 24; i++) {
                String user = i % 2 == 0 ? "alice" : "bob";
                String pw = (i % 4 < 2 ? user.charAt(0) + "-pw" : "wrong");
                results.add(pool.submit(() -> auth.authenticate(login(user, pw)).success()));
            }
            for (int i = 0; i < 24; i++) {
                assertEquals(i % 4 < 2, results.get(i).get(), "attempt " + i);
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(0, auth.cache().hits());
    }

    @Test
    void userdbLookupAppliesFormatAndLimits() throws Exception {
        AuthService auth = service();
        assertEquals(1001, auth.userdbLookup("ALICE").uid());
        assertEquals(null, auth.userdbLookup("nobody"));
        org.junit.jupiter.api.Assertions.assertThrows(AuthUnavailableException.class,
                () -> auth.userdbLookup("daemonish"));
    }

    @Test
    void fixedTypoIsAcceptedAtOnce() throws IOException {
        shadowLine("alice", hash("$6$", "correct horse"), "19000::::::");
        AuthService auth = service();
        assertFalse(auth.authenticate(login("alice", "correct hose")).success());
        assertTrue(auth.authenticate(login("alice", "correct horse")).success());
    }

    @Test
    void unknownUserIsCachedUntilTheFileChanges() throws IOException {
        shadowLine("bob", hash("$6$", "b"), "19000::::::");
        AuthService auth = service();
        assertEquals("unknown user", auth.authenticate(login("alice", "pw")).reason());
        shadowLine("alice", hash("$6$", "pw"), "19000::::::");
        Files.setLastModifiedTime(shadow, FileTime.fromMillis(System.currentTimeMillis() + 5000));
        assertTrue(auth.authenticate(login("alice", "pw")).success());
    }

    @Test
    void usernameIsLowercasedByDefaultFormat() throws IOException {
        shadowLine("alice", hash("$6$", "pw"), "19000::::::");
        AuthService auth = service();
        AuthResult r = auth.authenticate(login("ALice", "pw"));
        assertTrue(r.success());
        assertEquals("alice", r.user().name());
        AuthService exact = service(Map.of("auth_username_format", "%u"));
        assertFalse(exact.authenticate(login("ALice", "pw")).success());
    }

    @Test
    void disallowedUsernameCharactersAreRefused() throws IOException {
        shadowLine("alice", hash("$6$", "pw"), "19000::::::");
        AuthResult r = service().authenticate(login("alice/../x", "pw"));
        assertFalse(r.success());
        assertTrue(r.reason().startsWith("Username character disallowed by auth_username_chars: 0x2f"), r.reason());
    }

    @Test
    void unreadableShadowIsATemporaryFailure() {
        AuthResult r = service().authenticate(login("alice", "pw")); // shadow never written
        assertTrue(r.temporary());
        assertTrue(r.reason().contains("No such file or directory"), r.reason());
    }

    @Test
    void plaintextRefusedOnInsecureConnections() throws IOException {
        shadowLine("alice", hash("$6$", "pw"), "19000::::::");
        AuthService auth = service();
        AuthRequest insecure = new AuthRequest("alice", "pw", "", "imap", "PLAIN", RIP, LIP, false);
        assertFalse(auth.authenticate(insecure).success());
        assertFalse(auth.plaintextAllowed(false));
        assertTrue(auth.plaintextAllowed(true));
        AuthService open = service(Map.of("disable_plaintext_auth", "no"));
        assertTrue(open.plaintextAllowed(false));
        assertTrue(open.authenticate(insecure).success());
    }

    @Test
    void securedFollowsDovecotsRule() {
        AuthService auth = service(Map.of("login_trusted_networks", "198.51.100.0/24"));
        assertTrue(auth.isSecured(RIP, LIP, true));
        assertFalse(auth.isSecured(RIP, LIP, false));
        assertTrue(auth.isSecured(new InetSocketAddress("127.0.0.1", 5), new InetSocketAddress("127.0.0.1", 143), false));
        assertTrue(auth.isSecured(new InetSocketAddress("::1", 5), new InetSocketAddress("::1", 143), false));
        assertTrue(auth.isSecured(new InetSocketAddress("192.0.2.1", 5), LIP, false)); // same IP as local
        assertTrue(auth.isSecured(new InetSocketAddress("198.51.100.9", 5), LIP, false));
    }

    @Test
    void settingsCarryDovecotDefaults() {
        AuthService auth = AuthService.fromConfig(MainConfig.of(dir, Map.of()));
        assertEquals(Duration.ofSeconds(2), auth.failureDelay());
        assertTrue(auth.mechanismEnabled("plain"));
        assertFalse(auth.mechanismEnabled("LOGIN"));
        AuthService both = service(Map.of("auth_mechanisms", "plain login", "auth_failure_delay", "3 secs"));
        assertEquals(java.util.List.of("PLAIN", "LOGIN"), both.mechanisms());
        assertEquals(Duration.ofSeconds(3), both.failureDelay());
        assertTrue(auth.cache().enabled());
    }

    @Test
    void fromConfigBuildsAPasswdFileService() throws IOException {
        Path users = dir.resolve("users");
        Files.writeString(users, "carol:{SHA512-CRYPT}" + hash("$6$", "c") + ":2000:2000::/home/carol::userdb_mail=mbox:~/Mail\n");
        AuthService auth = AuthService.fromConfig(MainConfig.of(dir, Map.of(
                "passdb_driver", "passwd-file", "passdb_args", users.toString(),
                "userdb_driver", "passwd-file")));
        AuthResult r = auth.authenticate(login("carol", "c"));
        assertTrue(r.success(), r.reason());
        assertEquals(new AuthUser("carol", 2000, 2000, "/home/carol", "mbox:~/Mail"), r.user());
        assertNotNull(auth.settings());
    }

    @Test
    void staticUserdbForVirtualUsers() throws IOException {
        Path users = dir.resolve("vusers");
        Files.writeString(users, "dave@example.org:{PLAIN}d\n");
        AuthService auth = AuthService.fromConfig(MainConfig.of(dir, Map.of(
                "passdb_driver", "passwd-file", "passdb_args", users.toString(),
                "userdb_driver", "static", "userdb_args", "uid=5000 gid=5000 home=/var/vmail/%d/%n")));
        AuthResult r = auth.authenticate(login("Dave@Example.org", "d"));
        assertTrue(r.success(), r.reason());
        assertEquals(new AuthUser("dave@example.org", 5000, 5000, "/var/vmail/example.org/dave", ""), r.user());
    }

    @Test
    void failuresFromOneAddressMakeItsNextAttemptWait() throws IOException {
        shadowLine("alice", hash("$6$", "right"), "19000:0:99999:7:::");
        AuthService auth = service(Map.of("auth_failure_delay", "2s"));
        assertFalse(auth.authenticate(login("alice", "wrong")).success());
        long t = System.nanoTime();
        assertTrue(auth.authenticate(login("alice", "right")).success());
        assertTrue(System.nanoTime() - t >= 3_900_000_000L, "penalty 1 = 4 s before the check");
        t = System.nanoTime();
        assertTrue(auth.authenticate(login("alice", "right")).success());
        assertTrue(System.nanoTime() - t < 2_000_000_000L, "a success clears the penalty");
    }

    /** The dev instance's setup: one password for every real account, the userdb decides who exists. */
    @Test
    void staticPassdbWithPasswdUserdb() {
        AuthService auth = AuthService.fromConfig(MainConfig.of(dir, Map.of(
                "passdb_driver", "static", "passdb_args", "password=devpass", "userdb_driver", "passwd",
                "first_valid_uid", "0", "first_valid_gid", "0")));
        String me = System.getProperty("user.name");
        AuthResult ok = auth.authenticate(login(me, "devpass"));
        assertTrue(ok.success(), ok.reason());
        assertEquals(me, ok.user().name());
        assertFalse(auth.authenticate(login(me, "wrong")).success());
        AuthResult unknown = auth.authenticate(login("no-such-user-xyz", "devpass"));
        assertFalse(unknown.success());
        assertThrows(IllegalArgumentException.class, () -> StaticPassDb.fromArgs(""));
        assertThrows(IllegalArgumentException.class, () -> StaticPassDb.fromArgs("pass=x"));
    }
}
