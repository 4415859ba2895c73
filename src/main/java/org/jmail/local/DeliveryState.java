package org.jmail.local;

/**
 * The attributes of one step of recipient expansion (Postfix's DELIVER_ATTR), passed by value:
 * each step derives a changed copy, so that nothing a nested alias or .forward does leaks back
 * into its caller.
 *
 * @param level     recursion depth, to stop loops Postfix-style at 100
 * @param address   the recipient being delivered, e.g. {@code alex+foo@host.example}
 * @param original  the top-level original recipient (X-Original-To, ORIGINAL_RECIPIENT)
 * @param delivered the address for Delivered-To when forwarding/piping/filing; null until set
 * @param local     lower-cased local part of {@code address}
 * @param user      {@code local} without the extension
 * @param extension address extension, or null
 * @param delimiter the delimiter character that separated the extension, or null
 * @param domain    the domain of {@code address}, or null
 * @param expFrom   the name last expanded (an alias naming itself means "the user")
 * @param expType   0 (the recipient itself) or an EXP_* bit: where this destination came from
 * @param owner     the owner-/forwarding owner; when set, local addresses are resubmitted
 * @param sender    the envelope sender (an owner- alias replaces it)
 * @param unmatched extension to splice into expansion results, or null
 */
record DeliveryState(int level, String address, String original, String delivered, String local, String user,
                     String extension, String delimiter, String domain, String expFrom, int expType, String owner,
                     String sender, String unmatched) {

    DeliveryState deeper() {
        return new DeliveryState(level + 1, address, original, delivered, local, user, extension, delimiter, domain,
                expFrom, expType, owner, sender, unmatched);
    }

    DeliveryState withAddress(String a) {
        return new DeliveryState(level, a, original, delivered, local, user, extension, delimiter, domain, expFrom,
                expType, owner, sender, unmatched);
    }

    DeliveryState withParts(String newLocal, String newUser, String ext, String delim, String dom) {
        return new DeliveryState(level, address, original, delivered, newLocal, newUser, ext, delim, dom, expFrom,
                expType, owner, sender, unmatched);
    }

    DeliveryState withDelivered(String d) {
        return new DeliveryState(level, address, original, d, local, user, extension, delimiter, domain, expFrom,
                expType, owner, sender, unmatched);
    }

    DeliveryState withExpFrom(String e) {
        return new DeliveryState(level, address, original, delivered, local, user, extension, delimiter, domain, e,
                expType, owner, sender, unmatched);
    }

    DeliveryState withExpType(int t) {
        return new DeliveryState(level, address, original, delivered, local, user, extension, delimiter, domain,
                expFrom, t, owner, sender, unmatched);
    }

    DeliveryState withOwner(String o, String newSender) {
        return new DeliveryState(level, address, original, delivered, local, user, extension, delimiter, domain,
                expFrom, expType, o, newSender, unmatched);
    }

    DeliveryState withUnmatched(String u) {
        return new DeliveryState(level, address, original, delivered, local, user, extension, delimiter, domain,
                expFrom, expType, owner, sender, u);
    }
}
