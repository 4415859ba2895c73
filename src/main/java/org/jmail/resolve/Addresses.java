package org.jmail.resolve;

import java.util.Locale;

/**
 * Helpers for mail addresses in Postfix's <em>internal</em> form: the local part unquoted
 * ({@code "john doe"@x} is held as {@code john doe@x}), split at the last {@code @}.
 *
 * <p>Contract: every method is pure and total; an address without {@code @} has no domain
 * ({@link #domain} returns null). Domain comparisons are case-insensitive, so callers fold
 * with {@link #canonicalDomain}; the local part keeps its case except where a table lookup
 * folds it ({@link #lookupKey}).
 */
public final class Addresses {

    /** Characters that need quoting in an RFC 5322 local part, besides space and controls. */
    private static final String SPECIALS = "()<>@,;:\\\".[]";

    private Addresses() {
    }

    /** The local part: everything before the last '@', or the whole address. */
    public static String localPart(String address) {
        int at = address.lastIndexOf('@');
        return at < 0 ? address : address.substring(0, at);
    }

    /** The domain after the last '@' as written, or null when there is none. */
    public static String domain(String address) {
        int at = address.lastIndexOf('@');
        return at < 0 ? null : address.substring(at + 1);
    }

    /** A domain folded for comparison: lower case, trailing dots removed. */
    public static String canonicalDomain(String domain) {
        return withoutTrailingDots(domain.toLowerCase(Locale.ROOT));
    }

    /** The domain as written, without trailing dots ({@code example.org.} is example.org). */
    public static String withoutTrailingDots(String domain) {
        int end = domain.length();
        while (end > 0 && domain.charAt(end - 1) == '.') {
            end--;
        }
        return end == domain.length() ? domain : domain.substring(0, end);
    }

    /** A table lookup key as Postfix folds it (lower case). */
    public static String lookupKey(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    /**
     * The local part without its address extension, as Postfix's split_addr(3) does it:
     * split at the first of the {@code delimiters} characters, but never for postmaster,
     * MAILER-DAEMON, the double-bounce name, nor (when '-' is a delimiter) owner-foo and
     * foo-request, and never when the result would be empty.
     *
     * @return the base local part, or {@code local} unchanged when there is no extension
     */
    public static String stripExtension(String local, String delimiters, String doubleBounce) {
        if (delimiters == null || delimiters.isEmpty() || isReservedLocal(local, doubleBounce)) {
            return local;
        }
        if (delimiters.indexOf('-') >= 0) {
            String lower = local.toLowerCase(Locale.ROOT);
            if (lower.startsWith("owner-") || (lower.length() > 8 && lower.endsWith("-request"))) {
                return local;
            }
        }
        for (int i = 0; i < local.length(); i++) {
            if (delimiters.indexOf(local.charAt(i)) >= 0) {
                return i == 0 ? local : local.substring(0, i);
            }
        }
        return local;
    }

    /** postmaster, MAILER-DAEMON and the double-bounce sender name (case-insensitive). */
    public static boolean isReservedLocal(String local, String doubleBounce) {
        return local.equalsIgnoreCase("postmaster") || local.equalsIgnoreCase("MAILER-DAEMON")
                || (doubleBounce != null && !doubleBounce.isEmpty() && local.equalsIgnoreCase(doubleBounce));
    }

    /**
     * The external (RFC 5321/5322) form of an internal address: the local part is quoted
     * when it is not a dot-atom, as Postfix's quote_822_local(3) does for headers.
     */
    public static String quote(String address) {
        int at = address.lastIndexOf('@');
        String local = at < 0 ? address : address.substring(0, at);
        if (isDotAtom(local)) {
            return address;
        }
        StringBuilder sb = new StringBuilder(address.length() + 4).append('"');
        for (int i = 0; i < local.length(); i++) {
            char c = local.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
        sb.append('"');
        if (at >= 0) {
            sb.append(address, at, address.length());
        }
        return sb.toString();
    }

    private static boolean isDotAtom(String local) {
        if (local.isEmpty() || local.charAt(0) == '.' || local.charAt(local.length() - 1) == '.') {
            return local.isEmpty();
        }
        char prev = 0;
        for (int i = 0; i < local.length(); i++) {
            char c = local.charAt(i);
            if (c <= ' ' || c == 0x7f || (SPECIALS.indexOf(c) >= 0 && c != '.')) {
                return false;
            }
            if (c == '.' && prev == '.') {
                return false;
            }
            prev = c;
        }
        return true;
    }
}
