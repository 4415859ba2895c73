package org.jmail.auth;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToIntFunction;
import org.jmail.posix.Posix;

/**
 * Dovecot's {@code passwd-file} passdb and userdb: one file in Dovecot's format
 * <pre>user:{SCHEME}password:uid:gid:gecos:home:shell:extra_fields</pre>
 * for hosts or dev instances without Unix accounts. Lines starting with {@code #} and empty
 * lines are skipped; a password without {@code {SCHEME}} is read with the default scheme
 * ({@code CRYPT}, as Dovecot's, or {@code scheme=} in the args). Empty uid/gid/home fields
 * make a passdb-only line. Extra fields are space-separated {@code key=value} pairs;
 * {@code userdb_mail=}/{@code mail=} and {@code userdb_home=} feed the userdb record,
 * {@code nologin} and {@code nopassword} are not supported and a {@code nologin} line is
 * refused. uid/gid may be numbers or names.
 *
 * <p>Args as Dovecot's ({@code passdb_args}/{@code userdb_args}):
 * {@code [scheme=X] [username_format=%u] /path/to/file}. The file is re-read when it changes;
 * unreadable → {@link AuthUnavailableException}.
 */
public final class PasswdFileDb implements PassDb {

    /** One parsed line; uid/gid are -1 when the field is empty. */
    record Line(String user, String password, String uid, String gid, String home, Map<String, String> extra) {
    }

    private final WatchedFile<Map<String, Line>> file;
    private final String defaultScheme;
    private final UsernameFormat usernameFormat;
    private final ToIntFunction<String> userId;
    private final ToIntFunction<String> groupId;

    public PasswdFileDb(Path path, String defaultScheme, UsernameFormat usernameFormat) {
        this.file = new WatchedFile<>(path, PasswdFileDb::parse);
        this.defaultScheme = defaultScheme;
        this.usernameFormat = usernameFormat;
        this.userId = name -> {
            var u = Posix.getpwnam(name);
            return u == null ? -1 : u.uid();
        };
        this.groupId = Posix::getgrnam;
    }

    /** From Dovecot-style args: {@code [scheme=X] [username_format=F] path}. */
    public static PasswdFileDb fromArgs(String args) {
        String scheme = "CRYPT";
        UsernameFormat format = new UsernameFormat("%u");
        String path = null;
        for (String word : args.strip().split("\\s+")) {
            if (word.isEmpty()) {
                continue;
            }
            if (word.startsWith("scheme=")) {
                scheme = word.substring(7).toUpperCase(Locale.ROOT);
            } else if (word.startsWith("username_format=")) {
                format = new UsernameFormat(word.substring(16));
            } else if (path == null) {
                path = word;
            } else {
                throw new IllegalArgumentException("passwd-file: unexpected argument \"" + word + "\"");
            }
        }
        if (path == null) {
            throw new IllegalArgumentException("passwd-file: no file name given in args");
        }
        return new PasswdFileDb(Path.of(path), scheme, format);
    }

    public Path path() {
        return file.path();
    }

    @Override
    public String driver() {
        return "passwd-file";
    }

    @Override
    public Object generation() {
        return file.generation();
    }

    @Override
    public PassEntry lookup(String user) throws AuthUnavailableException {
        Line l = file.get().get(usernameFormat.apply(user));
        if (l == null) {
            return null;
        }
        if (l.extra().containsKey("nologin")) {
            return new PassEntry(l.user(), l.password(), defaultScheme, "login disabled (nologin)", null);
        }
        if (l.password().isEmpty()) {
            return new PassEntry(l.user(), "", defaultScheme, "empty password field", null);
        }
        return PassEntry.usable(l.user(), l.password(), defaultScheme);
    }

    /** The userdb record for {@code user}, or null; {@link #asUserDb()} offers it as a {@link UserDb}. */
    public AuthUser userLookup(String user) throws AuthUnavailableException {
        Line l = file.get().get(usernameFormat.apply(user));
        if (l == null) {
            return null;
        }
        String uidText = l.extra().getOrDefault("userdb_uid", l.uid());
        String gidText = l.extra().getOrDefault("userdb_gid", l.gid());
        String home = l.extra().getOrDefault("userdb_home", l.home());
        String mail = l.extra().getOrDefault("userdb_mail", l.extra().getOrDefault("mail", ""));
        if (uidText.isEmpty() || gidText.isEmpty()) {
            // Dovecot: "Couldn't drop privileges: User is missing UID (see mail_uid setting)"
            throw new AuthUnavailableException("user " + l.user() + ": Couldn't drop privileges: User is missing "
                    + (uidText.isEmpty() ? "UID (see mail_uid setting)" : "GID (see mail_gid setting)"));
        }
        int uid = id(uidText, userId, "uid");
        int gid = id(gidText, groupId, "gid");
        return new AuthUser(l.user(), uid, gid, home, mail);
    }

    private static int id(String text, ToIntFunction<String> byName, String what) throws AuthUnavailableException {
        if (!text.isEmpty() && text.chars().allMatch(Character::isDigit)) {
            return Integer.parseInt(text);
        }
        int id = byName.applyAsInt(text);
        if (id < 0) {
            throw new AuthUnavailableException("Invalid " + what + " \"" + text + "\"");
        }
        return id;
    }

    /** The UserDb view of this file. */
    public UserDb asUserDb() {
        PasswdFileDb self = this;
        return new UserDb() {
            @Override
            public String driver() {
                return "passwd-file";
            }

            @Override
            public AuthUser lookup(String user) throws AuthUnavailableException {
                return self.userLookup(user);
            }
        };
    }

    static Map<String, Line> parse(List<String> lines) {
        Map<String, Line> map = new HashMap<>(lines.size() * 2);
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.charAt(0) == '#') {
                continue;
            }
            String[] f = line.split(":", 8);
            if (f[0].isEmpty()) {
                continue;
            }
            Map<String, String> extra = new HashMap<>();
            if (f.length > 7) {
                for (String kv : f[7].split("\\s+")) {
                    if (kv.isEmpty()) {
                        continue;
                    }
                    int eq = kv.indexOf('=');
                    extra.put(eq < 0 ? kv : kv.substring(0, eq), eq < 0 ? "" : kv.substring(eq + 1));
                }
            }
            map.putIfAbsent(f[0], new Line(f[0], field(f, 1), field(f, 2), field(f, 3), field(f, 5), extra));
        }
        return map;
    }

    private static String field(String[] f, int i) {
        return i < f.length ? f[i] : "";
    }
}
