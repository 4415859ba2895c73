package org.jmail.auth;

import java.util.Locale;

/**
 * Dovecot's {@code static} passdb: one password for every user name,
 * {@code passdb_args = password=secret} (a {@code {SCHEME}} prefix is honoured, plain text
 * otherwise, as Dovecot's). Whether the user exists is the userdb's answer: with
 * {@code userdb_driver = passwd} only Unix accounts get in. jmail's development instance
 * uses it so that a developer logs in as themselves without root or shadow access.
 */
public final class StaticPassDb implements PassDb {

    private final String password;

    public StaticPassDb(String password) {
        this.password = password;
    }

    /** From Dovecot-style args: {@code password=X}; anything else is refused. */
    public static StaticPassDb fromArgs(String args) {
        String password = null;
        for (String word : args.strip().split("\\s+")) {
            if (word.isEmpty()) {
                continue;
            }
            int eq = word.indexOf('=');
            String key = eq < 0 ? word : word.substring(0, eq).toLowerCase(Locale.ROOT);
            if (!key.equals("password")) {
                throw new IllegalArgumentException("static passdb: unknown setting \"" + word + "\"");
            }
            password = word.substring(eq + 1);
        }
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("static passdb: password= is required in passdb_args");
        }
        return new StaticPassDb(password);
    }

    @Override
    public String driver() {
        return "static";
    }

    @Override
    public PassEntry lookup(String user) {
        return PassEntry.usable(user, password, "PLAIN");
    }
}
