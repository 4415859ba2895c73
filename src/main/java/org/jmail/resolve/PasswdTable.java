package org.jmail.resolve;

import org.jmail.posix.Posix;
import org.jmail.posix.UnixUser;
import org.jmail.table.LookupTable;

/**
 * Postfix's {@code unix:passwd.byname} table: the key is a login name, found when
 * getpwnam(3) knows it. The value is the passwd line's name, uid and home, as Postfix returns
 * a passwd(5)-shaped string; callers here only test for presence. Keys are looked up as given
 * (Postfix folds table keys to lower case before the lookup; so do the callers).
 */
final class PasswdTable implements LookupTable {

    static final String SPEC = "unix:passwd.byname";

    @Override
    public String find(String key) {
        if (key.isEmpty() || key.indexOf('@') >= 0) {
            return null;
        }
        UnixUser u = Posix.getpwnam(key);
        return u == null ? null : u.name() + ":*:" + u.uid() + ":" + u.gid() + ":" + u.gecos() + ":" + u.home() + ":" + u.shell();
    }

    @Override
    public String spec() {
        return SPEC;
    }
}
