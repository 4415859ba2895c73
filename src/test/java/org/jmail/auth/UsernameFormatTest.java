package org.jmail.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class UsernameFormatTest {

    @Test
    void dovecotDefaultLowercases() {
        assertEquals("alice@example.org", new UsernameFormat("%Lu").apply("Alice@Example.ORG"));
    }

    @Test
    void userAndDomainParts() {
        assertEquals("alice", new UsernameFormat("%Ln").apply("Alice@Example.org"));
        assertEquals("EXAMPLE.ORG/alice", new UsernameFormat("%Ud/%n").apply("alice@example.org"));
        assertEquals("bob", new UsernameFormat("%n").apply("bob"));
        assertEquals("bob@", new UsernameFormat("%{username}@%{domain}").apply("bob"));
        assertEquals("100%-bob", new UsernameFormat("100%%-%u").apply("bob"));
    }

    @Test
    void unknownVariableIsRefusedAtConstruction() {
        assertThrows(IllegalArgumentException.class, () -> new UsernameFormat("%x"));
        assertThrows(IllegalArgumentException.class, () -> new UsernameFormat("%{nope}"));
        assertThrows(IllegalArgumentException.class, () -> new UsernameFormat("abc%"));
    }
}
