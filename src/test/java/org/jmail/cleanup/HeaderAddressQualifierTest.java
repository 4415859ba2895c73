package org.jmail.cleanup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class HeaderAddressQualifierTest {

    private static String q(String value) {
        return HeaderAddressQualifier.qualify(value, "mail.example.com");
    }

    @Test
    void bareAndBracketedLocalPartsGetTheDomain() {
        assertEquals(" alex@mail.example.com", q(" alex"));
        assertEquals(" Alex Smith <alex@mail.example.com>", q(" Alex Smith <alex>"));
        assertEquals(" alex@mail.example.com, bob@example.org, Carol <carol@mail.example.com>",
                q(" alex, bob@example.org, Carol <carol>"));
        assertEquals(" alex@mail.example.com (Alex Smith)", q(" alex (Alex Smith)"));
        assertEquals(" \"Smith, Alex\" <alex@mail.example.com>,\n\tbob@mail.example.com", q(" \"Smith, Alex\" <alex>,\n\tbob"));
        assertEquals(" \"a b\"@mail.example.com", q(" \"a b\""));
        assertEquals(" team: alex@mail.example.com, bob@example.org;", q(" team: alex, bob@example.org;"));
    }

    @Test
    void qualifiedAddressesGroupsAndPhrasesAreLeftAlone() {
        String[] same = {" alex@example.org", " Alex <alex@example.org>", " undisclosed-recipients:;",
            " <>", " John Smith", " \"x <y>\" <z@example.org>", " =?utf-8?q?J=C3=B6rg?= <j@example.org>",
            " (just a comment)", " <@route.example:u@example.org>", " u@[192.0.2.1]", ""};
        for (String v : same) {
            assertSame(v, q(v), v);
        }
    }
}
