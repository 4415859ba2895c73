package org.jmail.imap;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One parsed argument of an IMAP command: an atom (also NIL, numbers, flags, sequence sets and
 * FETCH's {@code BODY[...]<...>} items, which the parser keeps whole), a string (quoted or
 * literal) or a parenthesised list.
 */
sealed interface ImapArg {

    record Atom(String value) implements ImapArg {
        @Override
        public String toString() {
            return value;
        }
    }

    record Str(byte[] bytes, boolean literal) implements ImapArg {
        String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return text();
        }
    }

    record ListArg(List<ImapArg> items) implements ImapArg {
        @Override
        public String toString() {
            return items.toString();
        }
    }

    default boolean isNil() {
        return this instanceof Atom a && a.value().equalsIgnoreCase("NIL");
    }

    /** atom or string as text ("astring"); null for a list. */
    default String astring() {
        if (this instanceof Atom a) {
            return a.value();
        }
        if (this instanceof Str s) {
            return s.text();
        }
        return null;
    }
}
