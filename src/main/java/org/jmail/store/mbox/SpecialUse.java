package org.jmail.store.mbox;

import java.util.List;

/**
 * The special-use folders of Dovecot's default configuration (15-mailboxes.conf): Drafts,
 * Junk, Trash and Sent with their RFC 6154 attributes. jmail creates them at the first login
 * (the issue asks for it; Dovecot does with {@code auto = create}).
 */
final class SpecialUse {
    static final List<String> NAMES = List.of("Drafts", "Junk", "Trash", "Sent");

    private SpecialUse() {
    }

    /** The attribute of a top-level folder name, or null. */
    static String attribute(String name) {
        return switch (name) {
            case "Drafts" -> "\\Drafts";
            case "Junk" -> "\\Junk";
            case "Trash" -> "\\Trash";
            case "Sent" -> "\\Sent";
            default -> null;
        };
    }
}
