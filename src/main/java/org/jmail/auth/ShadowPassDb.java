package org.jmail.auth;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The {@code unix} passdb (Dovecot's {@code shadow}; Debian's Dovecot reaches the same data
 * through {@code pam}): the user's hash from shadow(5), verified with crypt(3), so every
 * hash Debian writes works.
 *
 * <p>Refusals follow what pam_unix would decide: an empty password field or one starting with
 * {@code !} or {@code *} (locked, {@code passwd -l}, system accounts) is refused before any
 * hashing (Dovecot: "invalid password field"); after a correct password, an account past its
 * expire date, a password older than its maximum age (field 5), or a last-change of 0
 * ("must change password") is refused as pam_acct_mgmt() would refuse it.
 *
 * <p>The file is read directly (the daemon runs as root) and re-parsed only when it changes;
 * its path is a constructor argument so tests use their own file. Unreadable shadow →
 * {@link AuthUnavailableException}.
 */
public final class ShadowPassDb implements PassDb {

    public static final Path SHADOW = Path.of("/etc/shadow");

    /** One shadow(5) line; numeric fields are -1 when empty. */
    record ShadowEntry(String name, String password, long lastChange, long maxDays, long inactiveDays,
                       long expireDay) {
    }

    private final String driver;
    private final WatchedFile<Map<String, ShadowEntry>> file;
    private final LongSupplier today;

    /**
     * @param driver the name logs use ("unix", "shadow", "pam")
     * @param shadowPath normally {@link #SHADOW}
     * @param today the current day since the epoch (UTC), as pam_unix computes it
     */
    public ShadowPassDb(String driver, Path shadowPath, LongSupplier today) {
        this.driver = driver;
        this.file = new WatchedFile<>(shadowPath, ShadowPassDb::parse);
        this.today = today;
    }

    /** The system's shadow file and clock. */
    public ShadowPassDb(String driver) {
        this(driver, SHADOW, () -> System.currentTimeMillis() / 86_400_000L);
    }

    @Override
    public String driver() {
        return driver;
    }

    @Override
    public Object generation() {
        return file.generation();
    }

    @Override
    public PassEntry lookup(String user) throws AuthUnavailableException {
        ShadowEntry e = file.get().get(user);
        if (e == null) {
            return null;
        }
        String pw = e.password();
        if (pw.isEmpty() || pw.charAt(0) == '!' || pw.charAt(0) == '*') {
            return new PassEntry(e.name(), pw, "CRYPT", "invalid password field", null);
        }
        return new PassEntry(e.name(), pw, "CRYPT", null, expiry(e, today.getAsLong()));
    }

    /** pam_unix's check_shadow_expiry(): null when the account may log in. */
    static String expiry(ShadowEntry e, long curDays) {
        if (e.expireDay() != -1 && curDays >= e.expireDay()) {
            return "account expired";
        }
        if (e.lastChange() == 0) {
            return "password change required";
        }
        if (e.lastChange() > 0 && e.maxDays() != -1 && e.inactiveDays() != -1
                && curDays - e.lastChange() > e.maxDays() + e.inactiveDays()) {
            return "account expired (password inactive)";
        }
        if (e.lastChange() > 0 && e.maxDays() != -1 && curDays - e.lastChange() > e.maxDays()) {
            return "password expired";
        }
        return null;
    }

    static Map<String, ShadowEntry> parse(List<String> lines) {
        Map<String, ShadowEntry> map = new HashMap<>(lines.size() * 2);
        for (String line : lines) {
            if (line.isEmpty() || line.charAt(0) == '#') {
                continue;
            }
            String[] f = line.split(":", -1);
            if (f.length < 2 || f[0].isEmpty()) {
                continue; // malformed line: getspnam(3) skips it too
            }
            map.putIfAbsent(f[0], new ShadowEntry(f[0], f[1], num(f, 2), num(f, 4), num(f, 6), num(f, 7)));
        }
        return map;
    }

    private static long num(String[] f, int i) {
        if (i >= f.length || f[i].isEmpty()) {
            return -1;
        }
        try {
            return Long.parseLong(f[i].strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
