package org.jmail.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class CryptTest {

    @Test
    void everyDebianHashMethodRoundTrips() {
        for (String prefix : new String[] {"$y$", "$6$", "$5$", "$1$", "$2b$"}) {
            String setting = Crypt.gensalt(prefix);
            assertNotNull(setting, prefix);
            assertTrue(setting.startsWith(prefix), setting);
            String hash = Crypt.crypt("s3cret pässword", setting);
            assertNotNull(hash, prefix);
            assertEquals(hash, Crypt.crypt("s3cret pässword", hash), prefix);
            assertNotEquals(hash, Crypt.crypt("s3cret passwort", hash), prefix);
        }
    }

    @Test
    void knownSha512VectorFromOpenssl() {
        // openssl passwd -6 -salt saltsalt secret
        String hash = "$6$saltsalt$TVLlQcbpFVof5W3Yz4DTP6gRstiNuHwwTt6GLc1E5n0U0aDehy0S5knV8wiOQSpT0Y77vwPZN.Pq.H91p5hVO1";
        assertEquals(hash, Crypt.crypt("secret", hash));
    }

    @Test
    void malformedSettingGivesNull() {
        assertNull(Crypt.crypt("x", "$9999$nonsense"));
        assertNull(Crypt.crypt("x", "!locked"));
    }

    @Test
    void concurrentHashingGivesConsistentResults() throws Exception {
        String hash = Crypt.crypt("pw", Crypt.gensalt("$6$"));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String pw = i % 2 == 0 ? "pw" : "other" + i;
                results.add(pool.submit(() -> Crypt.crypt(pw, hash)));
            }
            for (int i = 0; i < 40; i++) {
                assertEquals(i % 2 == 0, hash.equals(results.get(i).get()), "attempt " + i);
            }
        } finally {
            pool.shutdown();
        }
    }
}
