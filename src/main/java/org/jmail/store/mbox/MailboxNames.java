package org.jmail.store.mbox;

import org.jmail.store.StoreException;
import org.jmail.store.StoreException.Kind;

/**
 * Mailbox name rules: "INBOX" in any case is the inbox; other names are relative paths under
 * the mail root with {@code /} as separator. Refused (CANNOT): empty names or components
 * ({@code a//b}), absolute names, {@code .} and {@code ..}, components starting with a dot
 * (those are the store's own files: {@code .imap}, {@code .subscriptions}), control
 * characters and DEL. A trailing {@code /} (CREATE of a directory) is kept.
 */
final class MailboxNames {

    private MailboxNames() {
    }

    static String canonical(String name) throws StoreException {
        if (name == null || name.isEmpty()) {
            throw invalid();
        }
        if (name.equalsIgnoreCase("INBOX")) {
            return "INBOX";
        }
        if (name.startsWith("/") || name.startsWith("~")) {
            throw invalid();
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw invalid();
            }
        }
        String body = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
        if (body.isEmpty()) {
            throw invalid();
        }
        for (String comp : body.split("/", -1)) {
            if (!isValidComponent(comp)) {
                throw invalid();
            }
        }
        return name;
    }

    static boolean isValidComponent(String comp) {
        if (comp.isEmpty() || comp.startsWith(".")) {
            return false;
        }
        for (int i = 0; i < comp.length(); i++) {
            char c = comp.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return false;
            }
        }
        return true;
    }

    private static StoreException invalid() {
        return new StoreException(Kind.CANNOT, "Invalid mailbox name");
    }
}
