package org.jmail.auth;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jmail.config.MainConfig;
import org.jmail.util.InetCidr;

/**
 * The auth keys of main.cf, with Dovecot's names and defaults (jmail reads Dovecot's keys from
 * main.cf rather than from a dovecot.conf). Values use Dovecot's syntax ({@link DovecotValues}).
 *
 * <table>
 * <caption>keys</caption>
 * <tr><td>passdb_driver</td><td>unix</td><td>Dovecot passdb { driver }; unix/shadow/pam all
 *   read shadow(5) and crypt(3); passwd-file</td></tr>
 * <tr><td>passdb_args</td><td>""</td><td>passdb { args } (passwd-file: [scheme=X] path)</td></tr>
 * <tr><td>userdb_driver</td><td>unix</td><td>userdb { driver }; unix/passwd, passwd-file, static</td></tr>
 * <tr><td>userdb_args</td><td>""</td><td>userdb { args } (passwd-file: the path, default passdb_args;
 *   static: uid=X gid=Y home=T [mail=T])</td></tr>
 * <tr><td>auth_username_format</td><td>%Lu</td><td>same</td></tr>
 * <tr><td>auth_username_chars</td><td>a-zA-Z0-9 . - _ @</td><td>same ("" = any)</td></tr>
 * <tr><td>auth_mechanisms</td><td>plain</td><td>same (jmail ships "plain login")</td></tr>
 * <tr><td>disable_plaintext_auth</td><td>yes</td><td>same</td></tr>
 * <tr><td>login_trusted_networks</td><td>""</td><td>same</td></tr>
 * <tr><td>auth_failure_delay</td><td>2 secs</td><td>same</td></tr>
 * <tr><td>auth_verbose</td><td>no</td><td>same: log unknown user / Password mismatch</td></tr>
 * <tr><td>first_valid_uid / last_valid_uid</td><td>500 / 0</td><td>same (0 = no limit)</td></tr>
 * <tr><td>first_valid_gid / last_valid_gid</td><td>1 / 0</td><td>same</td></tr>
 * <tr><td>auth_cache_size</td><td>10M (Dovecot: 0)</td><td>same</td></tr>
 * <tr><td>auth_cache_ttl</td><td>1 hour</td><td>same</td></tr>
 * <tr><td>auth_cache_negative_ttl</td><td>1 hour</td><td>same</td></tr>
 * </table>
 *
 * <p>A malformed value is an {@link IllegalArgumentException} naming the key.
 */
public record AuthSettings(String passdbDriver, String passdbArgs, String userdbDriver, String userdbArgs,
                           UsernameFormat usernameFormat, String usernameChars, List<String> mechanisms,
                           boolean disablePlaintextAuth, List<InetCidr> trustedNetworks, Duration failureDelay,
                           boolean verbose, int firstValidUid, int lastValidUid, int firstValidGid,
                           int lastValidGid, long cacheSize, Duration cacheTtl, Duration cacheNegativeTtl) {

    public static final String DEFAULT_USERNAME_CHARS =
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ01234567890.-_@";

    /** jmail's default for auth_cache_size (Dovecot's is 0: no cache). */
    public static final String DEFAULT_CACHE_SIZE = "10M";

    public static AuthSettings fromConfig(MainConfig c) {
        List<String> mechs = new ArrayList<>();
        for (String m : MainConfig.splitList(or(c, "auth_mechanisms", "plain"))) {
            mechs.add(m.toUpperCase(Locale.ROOT));
        }
        List<InetCidr> trusted = new ArrayList<>();
        for (String net : MainConfig.splitList(c.get("login_trusted_networks"))) {
            try {
                trusted.add(InetCidr.parse(net));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("login_trusted_networks: " + e.getMessage(), e);
            }
        }
        return new AuthSettings(
                or(c, "passdb_driver", "unix").toLowerCase(Locale.ROOT), c.get("passdb_args").strip(),
                or(c, "userdb_driver", "unix").toLowerCase(Locale.ROOT), c.get("userdb_args").strip(),
                new UsernameFormat(or(c, "auth_username_format", "%Lu")),
                c.isExplicit("auth_username_chars") ? c.get("auth_username_chars")
                        : or(c, "auth_username_chars", DEFAULT_USERNAME_CHARS),
                List.copyOf(mechs),
                bool(c, "disable_plaintext_auth", true), List.copyOf(trusted),
                time(c, "auth_failure_delay", Duration.ofSeconds(2)),
                bool(c, "auth_verbose", false),
                integer(c, "first_valid_uid", 500), integer(c, "last_valid_uid", 0),
                integer(c, "first_valid_gid", 1), integer(c, "last_valid_gid", 0),
                size(c, "auth_cache_size", DovecotValues.parseSize(DEFAULT_CACHE_SIZE, 0)),
                time(c, "auth_cache_ttl", Duration.ofHours(1)),
                time(c, "auth_cache_negative_ttl", Duration.ofHours(1)));
    }

    private static String or(MainConfig c, String key, String fallback) {
        String v = c.get(key).strip();
        return v.isEmpty() ? fallback : v;
    }

    private static boolean bool(MainConfig c, String key, boolean fallback) {
        try {
            return DovecotValues.parseBool(c.get(key), fallback);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage());
        }
    }

    private static int integer(MainConfig c, String key, int fallback) {
        try {
            return DovecotValues.parseInt(c.get(key), fallback);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage());
        }
    }

    private static Duration time(MainConfig c, String key, Duration fallback) {
        try {
            return DovecotValues.parseTime(c.get(key), fallback);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage());
        }
    }

    private static long size(MainConfig c, String key, long fallback) {
        try {
            return DovecotValues.parseSize(c.get(key), fallback);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage());
        }
    }
}
