package org.jmail.store.mbox;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jmail.store.StoredMessage;

/**
 * System flags as bits, and their mbox spelling as Dovecot writes them: {@code Status: RO}
 * (R = \Seen, O = no longer \Recent) and {@code X-Status: AFTD} (\Answered, \Flagged, \Draft,
 * \Deleted, in that order); keywords go to {@code X-Keywords}.
 */
final class Flags {
    static final int SEEN = 1;
    static final int ANSWERED = 2;
    static final int FLAGGED = 4;
    static final int DELETED = 8;
    static final int DRAFT = 16;
    /** "O" in Status: the message was seen by a session, no longer \Recent. */
    static final int NONRECENT = 32;
    static final int SYSTEM = SEEN | ANSWERED | FLAGGED | DELETED | DRAFT;

    private Flags() {
    }

    static int bit(String flag) {
        return switch (flag.toLowerCase()) {
            case "\\seen" -> SEEN;
            case "\\answered" -> ANSWERED;
            case "\\flagged" -> FLAGGED;
            case "\\deleted" -> DELETED;
            case "\\draft" -> DRAFT;
            default -> 0;
        };
    }

    static boolean isSystem(String flag) {
        return flag.startsWith("\\");
    }

    /** The IMAP flag set of bits + keywords (never \Recent). */
    static Set<String> toSet(int flags, String[] keywords) {
        Set<String> s = new LinkedHashSet<>();
        if ((flags & SEEN) != 0) {
            s.add(StoredMessage.SEEN);
        }
        if ((flags & ANSWERED) != 0) {
            s.add(StoredMessage.ANSWERED);
        }
        if ((flags & FLAGGED) != 0) {
            s.add(StoredMessage.FLAGGED);
        }
        if ((flags & DELETED) != 0) {
            s.add(StoredMessage.DELETED);
        }
        if ((flags & DRAFT) != 0) {
            s.add(StoredMessage.DRAFT);
        }
        s.addAll(Arrays.asList(keywords));
        return java.util.Collections.unmodifiableSet(s);
    }

    static int bits(Collection<String> flags) {
        int b = 0;
        for (String f : flags) {
            b |= bit(f);
        }
        return b;
    }

    /** Keywords of a flag set (atoms not starting with a backslash), without duplicates. */
    static String[] keywords(Collection<String> flags) {
        List<String> k = new ArrayList<>();
        for (String f : flags) {
            if (!isSystem(f) && isAtom(f) && !k.contains(f)) {
                k.add(f.intern());
            }
        }
        return k.isEmpty() ? MboxEntry.NO_KEYWORDS : k.toArray(new String[0]);
    }

    /** A keyword that can live in X-Keywords: no blanks, controls or IMAP specials. */
    static boolean isAtom(String k) {
        if (k.isEmpty()) {
            return false;
        }
        for (int i = 0; i < k.length(); i++) {
            char c = k.charAt(i);
            if (c <= ' ' || c == 0x7f || c == '(' || c == ')' || c == '{' || c == '%' || c == '*' || c == '"'
                    || c == '\\' || c == ']') {
                return false;
            }
        }
        return true;
    }

    static String status(int flags) {
        StringBuilder sb = new StringBuilder(2);
        if ((flags & SEEN) != 0) {
            sb.append('R');
        }
        if ((flags & NONRECENT) != 0) {
            sb.append('O');
        }
        return sb.toString();
    }

    static String xstatus(int flags) {
        StringBuilder sb = new StringBuilder(4);
        if ((flags & ANSWERED) != 0) {
            sb.append('A');
        }
        if ((flags & FLAGGED) != 0) {
            sb.append('F');
        }
        if ((flags & DRAFT) != 0) {
            sb.append('T');
        }
        if ((flags & DELETED) != 0) {
            sb.append('D');
        }
        return sb.toString();
    }

    static int parseStatus(byte[] b, int from, int to) {
        int f = 0;
        for (int i = from; i < to; i++) {
            switch (b[i]) {
                case 'R' -> f |= SEEN;
                case 'O' -> f |= NONRECENT;
                default -> { }
            }
        }
        return f;
    }

    static int parseXStatus(byte[] b, int from, int to) {
        int f = 0;
        for (int i = from; i < to; i++) {
            switch (b[i]) {
                case 'A' -> f |= ANSWERED;
                case 'F' -> f |= FLAGGED;
                case 'T' -> f |= DRAFT;
                case 'D' -> f |= DELETED;
                default -> { }
            }
        }
        return f;
    }
}
