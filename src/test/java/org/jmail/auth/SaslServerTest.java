package org.jmail.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SaslServerTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void plainInitialResponseGivesCredentials() {
        SaslServer s = SaslServer.create("plain");
        assertEquals("PLAIN", s.mechanism());
        SaslServer.Step st = s.step(b("admin\0alice\0pässword"));
        assertTrue(st.done());
        assertEquals("admin", st.authzid());
        assertEquals("alice", st.user());
        assertEquals("pässword", st.password());
    }

    @Test
    void plainWithoutInitialResponseStartsWithEmptyChallenge() {
        SaslServer s = SaslServer.create("PLAIN");
        assertArrayEquals(new byte[0], s.initialChallenge());
        assertTrue(s.step(b("\0bob\0pw")).done());
    }

    @Test
    void malformedPlainIsAnError() {
        assertTrue(SaslServer.create("PLAIN").step(b("nonuls")).failed());
        assertTrue(SaslServer.create("PLAIN").step(b("\0\0pw")).failed());
        assertTrue(SaslServer.create("PLAIN").step(b("a\0b\0c\0d")).failed());
    }

    @Test
    void loginAsksUsernameThenPassword() {
        SaslServer s = SaslServer.create("LOGIN");
        assertEquals("Username:", new String(s.initialChallenge(), StandardCharsets.US_ASCII));
        SaslServer.Step st = s.step(b("carol"));
        assertFalse(st.done());
        assertEquals("Password:", new String(st.challenge(), StandardCharsets.US_ASCII));
        st = s.step(b("pw"));
        assertTrue(st.done());
        assertEquals("carol", st.user());
        assertEquals("pw", st.password());
    }

    @Test
    void loginWithInitialResponseSkipsUsernamePrompt() {
        SaslServer s = SaslServer.create("LOGIN");
        SaslServer.Step st = s.step(b("dave"));
        assertEquals("Password:", new String(st.challenge(), StandardCharsets.US_ASCII));
        assertEquals("dave", s.step(b("pw")).user());
    }

    @Test
    void unsupportedMechanismIsNull() {
        assertNull(SaslServer.create("CRAM-MD5"));
    }
}
