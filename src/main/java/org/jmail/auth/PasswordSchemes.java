package org.jmail.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import org.jmail.posix.Crypt;

/**
 * Verifies a plaintext password against a stored credential in Dovecot's notation:
 * {@code {SCHEME}data}, or bare data read with the passdb's default scheme.
 *
 * <p>Schemes: the crypt family ({@code CRYPT}, {@code SHA512-CRYPT}, {@code SHA256-CRYPT},
 * {@code MD5-CRYPT}, {@code BLF-CRYPT}, {@code DES-CRYPT}; anything libxcrypt understands,
 * yescrypt {@code $y$} included, since all go through crypt(3)); {@code PLAIN} /
 * {@code CLEARTEXT}; {@code SHA}/{@code SHA1}, {@code SHA256}, {@code SHA512} and their salted
 * {@code SSHA*} forms (base64, or hex by length, as Dovecot accepts); {@code PLAIN-MD5}
 * and {@code LDAP-MD5}. Comparisons are constant-time.
 *
 * <p>An unknown scheme is an {@link IllegalArgumentException} ("Unknown scheme X"): a
 * configuration problem the caller turns into a temporary failure, never a mismatch.
 */
public final class PasswordSchemes {

    private PasswordSchemes() {
    }

    /** The scheme a credential names, upper-case, or {@code defaultScheme} when it has no prefix. */
    public static String schemeOf(String credential, String defaultScheme) {
        if (credential.startsWith("{")) {
            int end = credential.indexOf('}');
            if (end > 1) {
                return credential.substring(1, end).toUpperCase(Locale.ROOT);
            }
        }
        return defaultScheme.toUpperCase(Locale.ROOT);
    }

    private static String dataOf(String credential) {
        if (credential.startsWith("{")) {
            int end = credential.indexOf('}');
            if (end > 1) {
                return credential.substring(end + 1);
            }
        }
        return credential;
    }

    /** True when {@code password} matches {@code credential}. */
    public static boolean verify(String password, String credential, String defaultScheme) {
        String scheme = schemeOf(credential, defaultScheme);
        String data = dataOf(credential);
        return switch (scheme) {
            case "CRYPT", "SHA512-CRYPT", "SHA256-CRYPT", "MD5-CRYPT", "BLF-CRYPT", "DES-CRYPT", "YESCRYPT" -> {
                if (data.isEmpty()) {
                    yield false;
                }
                String hash = Crypt.crypt(password, data);
                yield hash != null && constantEquals(hash.getBytes(StandardCharsets.US_ASCII),
                        data.getBytes(StandardCharsets.US_ASCII));
            }
            case "PLAIN", "CLEARTEXT" -> constantEquals(utf8(password), utf8(data));
            case "SHA", "SHA1" -> digestEquals("SHA-1", password, data, false);
            case "SHA256" -> digestEquals("SHA-256", password, data, false);
            case "SHA512" -> digestEquals("SHA-512", password, data, false);
            case "SSHA" -> digestEquals("SHA-1", password, data, true);
            case "SSHA256" -> digestEquals("SHA-256", password, data, true);
            case "SSHA512" -> digestEquals("SHA-512", password, data, true);
            case "PLAIN-MD5", "LDAP-MD5" -> digestEquals("MD5", password, data, false);
            default -> throw new IllegalArgumentException("Unknown scheme " + scheme);
        };
    }

    private static boolean digestEquals(String algorithm, String password, String data, boolean salted) {
        byte[] stored = decode(data, digestLength(algorithm), salted);
        if (stored == null) {
            return false;
        }
        int len = digestLength(algorithm);
        if (salted ? stored.length <= len : stored.length != len) {
            return false;
        }
        MessageDigest md = digest(algorithm);
        md.update(utf8(password));
        if (salted) {
            md.update(stored, len, stored.length - len);
        }
        return MessageDigest.isEqual(md.digest(), Arrays.copyOf(stored, len));
    }

    /** Dovecot writes these base64; hex is accepted when the length says it is hex. */
    private static byte[] decode(String data, int digestLength, boolean salted) {
        try {
            if (!salted && data.length() == digestLength * 2 && data.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                return HexFormat.of().parseHex(data);
            }
            return Base64.getDecoder().decode(data.strip());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static int digestLength(String algorithm) {
        return switch (algorithm) {
            case "SHA-1" -> 20;
            case "SHA-256" -> 32;
            case "SHA-512" -> 64;
            default -> 16;
        };
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean constantEquals(byte[] a, byte[] b) {
        return MessageDigest.isEqual(a, b);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
