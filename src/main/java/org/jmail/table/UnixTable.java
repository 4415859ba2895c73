package org.jmail.table;

import java.io.IOException;
import org.jmail.posix.Posix;
import org.jmail.posix.UnixUser;

/**
 * {@code unix:passwd.byname} (getpwnam(3): the value is the passwd line
 * {@code name:x:uid:gid:gecos:home:shell}) and {@code unix:group.byname} (getgrnam(3):
 * {@code name:x:gid:}, without the member list). Keys fold to lower case, as Postfix's do.
 * No such account: null. Any other map name is refused at open ("unknown table").
 */
final class UnixTable implements LookupTable {

    private final String spec;
    private final boolean passwd;

    private UnixTable(String spec, boolean passwd) {
        this.spec = spec;
        this.passwd = passwd;
    }

    static UnixTable open(String spec, String name) throws IOException {
        return switch (name) {
            case "passwd.byname" -> new UnixTable(spec, true);
            case "group.byname" -> new UnixTable(spec, false);
            default -> throw new IOException("unknown table: unix:" + name);
        };
    }

    @Override
    public String find(String key) throws IOException {
        String name = HashDb.fold(key);
        try {
            if (passwd) {
                UnixUser u = Posix.getpwnam(name);
                return u == null ? null
                        : u.name() + ":x:" + u.uid() + ":" + u.gid() + ":" + nz(u.gecos()) + ":" + nz(u.home()) + ":"
                                + nz(u.shell());
            }
            int gid = name.isEmpty() || name.indexOf('/') >= 0 ? -1 : Posix.getgrnam(name);
            return gid < 0 ? null : name + ":x:" + gid + ":";
        } catch (RuntimeException e) {
            throw new IOException(spec + ": lookup of " + key + " failed: " + e.getMessage(), e);
        }
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    @Override
    public String spec() {
        return spec;
    }
}
