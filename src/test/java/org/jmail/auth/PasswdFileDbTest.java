package org.jmail.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.jmail.posix.Crypt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PasswdFileDbTest {

    @TempDir
    Path dir;

    private PasswdFileDb db(String text) throws IOException {
        Path f = dir.resolve("users");
        Files.writeString(f, text);
        return PasswdFileDb.fromArgs(f.toString());
    }

    private static boolean verify(PassEntry e, String password) {
        return PasswordSchemes.verify(password, e.credential(), e.defaultScheme());
    }

    @Test
    void schemesPrefixedAndBare() throws Exception {
        String y = Crypt.crypt("yes", Crypt.gensalt("$y$"));
        PasswdFileDb db = db("""
                # comment
                plain:{PLAIN}open sesame:1000:1000::/home/plain::
                sha512:{SHA512-CRYPT}%s:1001:1001::/home/sha512::
                bare:%s:1002:1002::/home/bare::
                md5:{MD5-CRYPT}$1$abcdefgh$CSewKYDMd6dmHkTqkKYk60:1003:1003::/home/md5::
                """.formatted(Crypt.crypt("six", Crypt.gensalt("$6$")), y));
        assertTrue(verify(db.lookup("plain"), "open sesame"));
        assertFalse(verify(db.lookup("plain"), "open sesame "));
        assertTrue(verify(db.lookup("sha512"), "six"));
        assertTrue(verify(db.lookup("bare"), "yes"));
        assertFalse(verify(db.lookup("bare"), "no"));
        assertTrue(verify(db.lookup("md5"), "pw1"));
        assertNull(db.lookup("nobody"));
    }

    @Test
    void userdbFieldsAndExtraFields() throws Exception {
        PasswdFileDb db = db("""
                u1:{PLAIN}x:1500:1600:Gecos Name:/srv/u1:/bin/false:userdb_mail=mbox:~/mail:INBOX=/srv/mail/u1 quota=1G
                u2:{PLAIN}x:::::
                """);
        assertEquals(new AuthUser("u1", 1500, 1600, "/srv/u1", "mbox:~/mail:INBOX=/srv/mail/u1"),
                db.asUserDb().lookup("u1"));
        // passdb-only line: Dovecot can't drop privileges without a uid
        AuthUnavailableException e = assertThrows(AuthUnavailableException.class, () -> db.asUserDb().lookup("u2"));
        assertTrue(e.getMessage().contains("User is missing UID"), e.getMessage());
        assertTrue(verify(db.lookup("u2"), "x"));
    }

    @Test
    void nologinAndEmptyPasswordAreDisabled() throws Exception {
        PasswdFileDb db = db("a:{PLAIN}x:1000:1000::/h::nologin\nb::1000:1000::/h::\n");
        assertEquals("login disabled (nologin)", db.lookup("a").disabled());
        assertEquals("empty password field", db.lookup("b").disabled());
    }

    @Test
    void defaultSchemeFromArgs() throws Exception {
        Path f = dir.resolve("plainusers");
        Files.writeString(f, "p:secret:1000:1000::/h::\n");
        PasswdFileDb db = PasswdFileDb.fromArgs("scheme=PLAIN " + f);
        assertTrue(verify(db.lookup("p"), "secret"));
        assertThrows(IllegalArgumentException.class, () -> PasswdFileDb.fromArgs("scheme=PLAIN"));
    }

    @Test
    void changedFileIsReread() throws Exception {
        PasswdFileDb db = db("a:{PLAIN}one:1000:1000::/h::\n");
        assertTrue(verify(db.lookup("a"), "one"));
        Path f = db.path();
        Files.writeString(f, "a:{PLAIN}two:1000:1000::/h::\n");
        Files.setLastModifiedTime(f, FileTime.fromMillis(System.currentTimeMillis() + 3000));
        assertTrue(verify(db.lookup("a"), "two"));
    }

    @Test
    void missingFileIsUnavailableNotUnknown() {
        PasswdFileDb db = PasswdFileDb.fromArgs(dir.resolve("nope").toString());
        AuthUnavailableException e = assertThrows(AuthUnavailableException.class, () -> db.lookup("a"));
        assertTrue(e.getMessage().endsWith("No such file or directory"), e.getMessage());
    }
}
