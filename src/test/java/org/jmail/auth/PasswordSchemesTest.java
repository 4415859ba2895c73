package org.jmail.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PasswordSchemesTest {

    @Test
    void digestSchemesMatchDovecotEncodings() {
        // doveadm pw -s SHA -p password / -s SHA256 / -s PLAIN-MD5 (well-known digests of "password")
        assertTrue(PasswordSchemes.verify("password", "{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=", "CRYPT"));
        assertTrue(PasswordSchemes.verify("password",
                "{SHA256}XohImNooBHFR0OVvjcYpJ3NgPQ1qq73WKhHvch0VQtg=", "CRYPT"));
        assertTrue(PasswordSchemes.verify("password", "{PLAIN-MD5}5f4dcc3b5aa765d61d8327deb882cf99", "CRYPT"));
        assertFalse(PasswordSchemes.verify("Password", "{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=", "CRYPT"));
    }

    @Test
    void saltedShaUsesTheTrailingSalt() throws Exception {
        byte[] salt = {1, 2, 3, 4};
        var md = java.security.MessageDigest.getInstance("SHA-512");
        md.update("pw".getBytes());
        md.update(salt);
        byte[] d = md.digest();
        byte[] all = new byte[d.length + salt.length];
        System.arraycopy(d, 0, all, 0, d.length);
        System.arraycopy(salt, 0, all, d.length, salt.length);
        String cred = "{SSHA512}" + java.util.Base64.getEncoder().encodeToString(all);
        assertTrue(PasswordSchemes.verify("pw", cred, "CRYPT"));
        assertFalse(PasswordSchemes.verify("pW", cred, "CRYPT"));
    }

    @Test
    void schemeNamesAreCaseInsensitiveAndDefaultApplies() {
        assertEquals("PLAIN", PasswordSchemes.schemeOf("{plain}x", "CRYPT"));
        assertEquals("CRYPT", PasswordSchemes.schemeOf("$6$abc$def", "crypt"));
        assertTrue(PasswordSchemes.verify("x", "{plain}x", "CRYPT"));
        assertTrue(PasswordSchemes.verify("x", "x", "PLAIN"));
    }

    @Test
    void unknownSchemeIsAConfigurationError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PasswordSchemes.verify("x", "{ARGON2ID}$argon2id$v=19$...", "CRYPT"));
        assertEquals("Unknown scheme ARGON2ID", e.getMessage());
    }

    @Test
    void emptyOrGarbageCryptNeverMatches() {
        assertFalse(PasswordSchemes.verify("", "{CRYPT}", "CRYPT"));
        assertFalse(PasswordSchemes.verify("x", "{CRYPT}!", "CRYPT"));
    }
}
