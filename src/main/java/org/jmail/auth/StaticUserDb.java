package org.jmail.auth;

import java.util.Locale;
import org.jmail.posix.Posix;

/**
 * Dovecot's {@code static} userdb, the usual companion of a passwd-file passdb for virtual
 * users: every user gets the same uid/gid and a home (and optionally mail location) built from
 * a template: {@code userdb_args = uid=vmail gid=vmail home=/var/vmail/%d/%n}. Templates take
 * {@code %u}, {@code %n}, {@code %d} with {@code L}/{@code U} modifiers
 * ({@link UsernameFormat}); uid/gid may be numbers or account/group names.
 *
 * <p>Only consulted after the passdb accepted the user, so (as Dovecot without
 * {@code allow_all_users}) it cannot invent users. A missing uid or gid or an unknown
 * account name is an {@link IllegalArgumentException} at construction.
 */
public final class StaticUserDb implements UserDb {

    private final int uid;
    private final int gid;
    private final UsernameFormat home;
    private final UsernameFormat mail;

    public StaticUserDb(int uid, int gid, String homeTemplate, String mailTemplate) {
        this.uid = uid;
        this.gid = gid;
        this.home = new UsernameFormat(homeTemplate);
        this.mail = new UsernameFormat(mailTemplate);
    }

    /** From Dovecot-style args: {@code uid=X gid=Y [home=T] [mail=T]}. */
    public static StaticUserDb fromArgs(String args) {
        Integer uid = null;
        Integer gid = null;
        String home = "";
        String mail = "";
        for (String word : args.strip().split("\\s+")) {
            if (word.isEmpty()) {
                continue;
            }
            int eq = word.indexOf('=');
            String key = eq < 0 ? word : word.substring(0, eq).toLowerCase(Locale.ROOT);
            String value = eq < 0 ? "" : word.substring(eq + 1);
            switch (key) {
                case "uid", "userdb_uid" -> uid = id(value, true);
                case "gid", "userdb_gid" -> gid = id(value, false);
                case "home", "userdb_home" -> home = value;
                case "mail", "userdb_mail" -> mail = value;
                case "allow_all_users" -> { } // only matters for passdb-less lookups, which jmail doesn't do
                default -> throw new IllegalArgumentException("static userdb: unknown setting \"" + word + "\"");
            }
        }
        if (uid == null || gid == null) {
            throw new IllegalArgumentException("static userdb: uid and gid are required in userdb_args");
        }
        return new StaticUserDb(uid, gid, home, mail);
    }

    private static int id(String value, boolean user) {
        if (!value.isEmpty() && value.chars().allMatch(Character::isDigit)) {
            return Integer.parseInt(value);
        }
        int id;
        if (user) {
            var u = Posix.getpwnam(value);
            id = u == null ? -1 : u.uid();
        } else {
            id = Posix.getgrnam(value);
        }
        if (id < 0) {
            throw new IllegalArgumentException("static userdb: unknown " + (user ? "user" : "group") + " \"" + value + "\"");
        }
        return id;
    }

    @Override
    public String driver() {
        return "static";
    }

    @Override
    public AuthUser lookup(String user) {
        return new AuthUser(user, uid, gid, home.apply(user), mail.apply(user));
    }
}
