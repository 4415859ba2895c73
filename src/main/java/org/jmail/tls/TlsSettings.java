package org.jmail.tls;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.jmail.config.MainConfig;

/**
 * The TLS keys of main.cf, shared by every jmail service.
 *
 * <table>
 * <caption>keys</caption>
 * <tr><td>smtpd_tls_cert_file</td><td>/etc/ssl/certs/ssl-cert-snakeoil.pem (Debian's main.cf)</td>
 *   <td>Postfix</td></tr>
 * <tr><td>smtpd_tls_key_file</td><td>/etc/ssl/private/ssl-cert-snakeoil.key with the snakeoil
 *   certificate, else $smtpd_tls_cert_file (Postfix's default)</td><td>Postfix</td></tr>
 * <tr><td>ssl_cert / ssl_key</td><td>"" = use the two above</td><td>Dovecot ({@code ssl_cert =
 *   </path}; the {@code <} is optional here)</td></tr>
 * <tr><td>ssl_min_protocol</td><td>TLSv1.2</td><td>Dovecot (TLSv1.2 or TLSv1.3; older values
 *   are raised to TLSv1.2: jmail never speaks TLS 1.0/1.1)</td></tr>
 * <tr><td>ssl_cipher_list</td><td>"" = {@link ServerTlsContext#MODERN_CIPHERS}</td><td>Dovecot;
 *   only IANA/JSSE suite names ({@code TLS_ECDHE_...}) are understood; an OpenSSL-syntax
 *   value falls back to the modern list</td></tr>
 * <tr><td>ssl_prefer_server_ciphers</td><td>yes (Dovecot: no)</td><td>Dovecot</td></tr>
 * </table>
 */
public record TlsSettings(Path certFile, Path keyFile, String minProtocol, List<String> cipherSuites,
                          boolean preferServerCiphers) {

    public static final Path SNAKEOIL_CERT = Path.of("/etc/ssl/certs/ssl-cert-snakeoil.pem");
    public static final Path SNAKEOIL_KEY = Path.of("/etc/ssl/private/ssl-cert-snakeoil.key");

    public static TlsSettings fromConfig(MainConfig c) {
        String cert = dovecotPath(c.get("ssl_cert"));
        String key = dovecotPath(c.get("ssl_key"));
        if (cert.isEmpty()) {
            cert = c.get("smtpd_tls_cert_file").strip();
            if (key.isEmpty()) {
                key = c.get("smtpd_tls_key_file").strip();
            }
        }
        if (cert.isEmpty()) {
            cert = SNAKEOIL_CERT.toString();
        }
        if (key.isEmpty()) {
            key = cert.equals(SNAKEOIL_CERT.toString()) ? SNAKEOIL_KEY.toString() : cert;
        }
        String min = c.get("ssl_min_protocol").strip();
        min = switch (min.toUpperCase(Locale.ROOT)) {
            case "TLSV1.3" -> "TLSv1.3";
            default -> "TLSv1.2"; // "", ANY, SSLv3, TLSv1, TLSv1.1, TLSv1.2: never below 1.2
        };
        List<String> ciphers = MainConfig.splitList(c.get("ssl_cipher_list").replace(':', ' '));
        if (ciphers.isEmpty() || !ciphers.stream().allMatch(s -> s.startsWith("TLS_"))) {
            ciphers = ServerTlsContext.MODERN_CIPHERS;
        }
        String prefer = c.get("ssl_prefer_server_ciphers").strip().toLowerCase(Locale.ROOT);
        boolean preferServer = prefer.isEmpty() || prefer.equals("yes") || prefer.equals("true");
        return new TlsSettings(Path.of(cert), Path.of(key), min, List.copyOf(ciphers), preferServer);
    }

    /** Dovecot writes {@code ssl_cert = </etc/ssl/x.pem} (read the file); accept it with or without the {@code <}. */
    static String dovecotPath(String value) {
        String v = value.strip();
        return v.startsWith("<") ? v.substring(1).strip() : v;
    }
}
