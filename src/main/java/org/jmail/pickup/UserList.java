package org.jmail.pickup;

import java.util.List;
import org.jmail.config.MainConfig;
import org.jmail.log.MailLog;

/**
 * Postfix's user access lists ({@code authorized_submit_users}, {@code authorized_mailq_users},
 * {@code authorized_flush_users}): login names and {@code !name} exclusions, first match
 * wins, {@code static:anyone} matches everybody (the default when the key is empty), no
 * match denies. Lookup tables other than {@code static:anyone} are not supported: they are
 * warned about once and never match.
 */
final class UserList {

    private static final MailLog LOG = MailLog.of("pickup");

    private final List<String> entries;

    private UserList(List<String> entries) {
        this.entries = entries;
    }

    static UserList of(String key, String value) {
        List<String> e = value == null || value.isBlank() ? List.of("static:anyone") : MainConfig.splitList(value);
        for (String s : e) {
            String n = s.startsWith("!") ? s.substring(1) : s;
            if (n.indexOf(':') > 0 && !n.equalsIgnoreCase("static:anyone")) {
                LOG.warn(key + ": unsupported lookup table \"" + n + "\" is ignored");
            }
        }
        return new UserList(e);
    }

    boolean permits(String login) {
        for (String s : entries) {
            boolean negate = s.startsWith("!");
            String n = negate ? s.substring(1) : s;
            if (n.equalsIgnoreCase("static:anyone") || n.equals(login)) {
                return !negate;
            }
        }
        return false;
    }
}
