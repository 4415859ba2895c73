package org.jmail.smtpd;

import java.util.Locale;

/**
 * {@code smtpd_tls_security_level}, as Postfix reads it: {@code none} (no STARTTLS offered),
 * {@code may} (STARTTLS offered, plaintext allowed) or {@code encrypt} (every command except
 * EHLO/HELO, STARTTLS, NOOP and QUIT answered {@code 530 5.7.0 Must issue a STARTTLS command
 * first} until TLS is up). An empty value falls back to the pre-2.3 booleans
 * {@code smtpd_enforce_tls} (encrypt) and {@code smtpd_use_tls} (may), then to Postfix's
 * default {@code none}. Any other value ({@code verify}, {@code secure}, a typo) means
 * {@code encrypt}: a mistake must never silently drop an encryption requirement.
 */
enum TlsLevel {
    NONE, MAY, ENCRYPT;

    static TlsLevel of(String value, boolean useTls, boolean enforceTls) {
        String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        if (v.isEmpty()) {
            return enforceTls ? ENCRYPT : useTls ? MAY : NONE;
        }
        return switch (v) {
            case "none" -> NONE;
            case "may" -> MAY;
            default -> ENCRYPT;
        };
    }
}
