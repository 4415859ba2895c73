package org.jmail.resolve;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.jmail.config.MainConfig;
import org.junit.jupiter.api.Test;

class LocalRecipientCheckTest {

    private static MainConfig config(String... kv) {
        Map<String, String> m = new HashMap<>();
        m.put("myhostname", "mail.example.tst");
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return MainConfig.of(Path.of("/nonexistent"), m);
    }

    private final MapTable aliases = new MapTable("hash:/etc/aliases", Map.of("root", "admin", "info", "root"));

    @Test
    void defaultMapsFindUnixAccountsThroughPasswd() throws IOException {
        // "proxy:unix:passwd.byname $alias_maps": root exists on every Unix host
        LocalRecipientCheck c = new LocalRecipientCheck(config(), MapTable.opener(aliases));
        assertTrue(c.enabled());
        assertTrue(c.isKnown("root@mail.example.tst"));
        assertTrue(c.isKnown("nobody@mail.example.tst"));
        assertTrue(c.isKnown("info@mail.example.tst"), "alias");
        assertFalse(c.isKnown("nosuchuser9@mail.example.tst"));
    }

    @Test
    void lookupIsCaseFolded() throws IOException {
        LocalRecipientCheck c = new LocalRecipientCheck(config(), MapTable.opener(aliases));
        assertTrue(c.isKnown("ROOT@Mail.Example.TST"));
        assertTrue(c.isKnown("Info@mail.example.tst"));
    }

    @Test
    void extensionIsStrippedAtRecipientDelimiter() throws IOException {
        LocalRecipientCheck plain = new LocalRecipientCheck(config(), MapTable.opener(aliases));
        assertFalse(plain.isKnown("info+tag@mail.example.tst"));
        LocalRecipientCheck c = new LocalRecipientCheck(config("recipient_delimiter", "+-"), MapTable.opener(aliases));
        assertTrue(c.isKnown("info+tag@mail.example.tst"));
        assertTrue(c.isKnown("info-tag@mail.example.tst"));
        assertFalse(c.isKnown("nosuch+info@mail.example.tst"));
    }

    @Test
    void emptyMapsAcceptEveryone() throws IOException {
        LocalRecipientCheck c = new LocalRecipientCheck(config("local_recipient_maps", ""), MapTable.opener());
        assertFalse(c.enabled());
        assertTrue(c.isKnown("anybody@mail.example.tst"));
    }

    @Test
    void postmasterAndMailerDaemonAreAlwaysKnown() throws IOException {
        MapTable empty = new MapTable("hash:/empty", Map.of());
        LocalRecipientCheck c = new LocalRecipientCheck(config("local_recipient_maps", "hash:/empty"),
                MapTable.opener(empty));
        assertTrue(c.isKnown("Postmaster@mail.example.tst"));
        assertTrue(c.isKnown("MAILER-DAEMON@mail.example.tst"));
        assertTrue(c.isKnown("double-bounce@mail.example.tst"));
        assertFalse(c.isKnown("webmaster@mail.example.tst"));
    }

    @Test
    void fullAddressAndAtDomainKeysCount() throws IOException {
        MapTable t = new MapTable("hash:/v", Map.of("sales@shop.tst", "x", "@catchall.tst", "x"));
        LocalRecipientCheck c = new LocalRecipientCheck(config("local_recipient_maps", "hash:/v"), MapTable.opener(t));
        assertTrue(c.isKnown("Sales@Shop.tst"));
        assertFalse(c.isKnown("sales@other.tst"));
        assertTrue(c.isKnown("anyone@catchall.tst"));
    }

    @Test
    void missingTableIsATemporaryFailureNotUserUnknown() {
        LocalRecipientCheck c = new LocalRecipientCheck(config("local_recipient_maps", "hash:/missing"), MapTable.opener());
        assertThrows(IOException.class, () -> c.isKnown("someone@mail.example.tst"));
    }
}
