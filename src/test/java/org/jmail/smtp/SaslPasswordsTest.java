package org.jmail.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SaslPasswordsTest {

    @TempDir
    Path dir;

    @Test
    void nexthopAsWrittenThenTheHostName() throws Exception {
        Path f = dir.resolve("sasl_passwd");
        Files.writeString(f, "[relay.isp.tst]:587 alice:pw:with:colons\nmx.other.tst bob:secret\n");
        SaslPasswords p = new SaslPasswords("texthash:" + f);
        assertEquals(new SaslPasswords.Credentials("alice", "pw:with:colons"), p.find("[relay.isp.tst]:587", "relay.isp.tst"));
        assertEquals(new SaslPasswords.Credentials("bob", "secret"), p.find("other.tst", "mx.other.tst"));
        assertNull(p.find("third.tst", "mx.third.tst"));
        assertNull(new SaslPasswords("").find("[relay.isp.tst]:587", "relay.isp.tst"));
    }
}
