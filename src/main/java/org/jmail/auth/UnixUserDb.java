package org.jmail.auth;

import java.util.function.Function;
import org.jmail.posix.Posix;
import org.jmail.posix.UnixUser;

/**
 * The {@code unix} userdb (Dovecot's {@code passwd}): getpwnam(3) gives uid, gid and home.
 * The lookup function is a constructor argument so tests never need real accounts.
 */
public final class UnixUserDb implements UserDb {

    private final String driver;
    private final Function<String, UnixUser> getpwnam;

    public UnixUserDb(String driver, Function<String, UnixUser> getpwnam) {
        this.driver = driver;
        this.getpwnam = getpwnam;
    }

    /** The system's passwd database through NSS. */
    public UnixUserDb(String driver) {
        this(driver, Posix::getpwnam);
    }

    @Override
    public String driver() {
        return driver;
    }

    @Override
    public AuthUser lookup(String user) {
        UnixUser u = getpwnam.apply(user);
        return u == null ? null : new AuthUser(u.name(), u.uid(), u.gid(), u.home(), "");
    }
}
