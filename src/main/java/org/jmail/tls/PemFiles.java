package org.jmail.tls;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads the PEM files Postfix and Dovecot take (via BouncyCastle's PEMParser): a certificate
 * chain (server certificate first, then intermediates, as {@code smtpd_tls_cert_file} wants)
 * and a private key, RSA or EC, in PKCS#1 ({@code BEGIN RSA/EC PRIVATE KEY}) or PKCS#8
 * ({@code BEGIN PRIVATE KEY}) form. Certificates and the key may share one file (Postfix
 * allows {@code smtpd_tls_key_file = $smtpd_tls_cert_file}); other PEM objects are skipped.
 *
 * <p>Every failure is a {@link TlsSetupException} naming the file: missing, unreadable,
 * no certificate / no key in it, a passphrase-protected key (not supported, as in Postfix
 * without a passphrase source), or a key that does not match the certificate.
 */
public final class PemFiles {

    private PemFiles() {
    }

    /** The certificates in {@code file}, in file order. */
    public static List<X509Certificate> readCertificates(Path file) throws TlsSetupException {
        List<X509Certificate> chain = new ArrayList<>();
        JcaX509CertificateConverter conv = new JcaX509CertificateConverter();
        for (Object o : readObjects(file, "certificate")) {
            if (o instanceof X509CertificateHolder h) {
                try {
                    chain.add(conv.getCertificate(h));
                } catch (CertificateException e) {
                    throw new TlsSetupException("bad certificate in " + file + ": " + e.getMessage(), e);
                }
            }
        }
        if (chain.isEmpty()) {
            throw new TlsSetupException("no certificate found in " + file);
        }
        return chain;
    }

    /** The (first) private key in {@code file}. */
    public static PrivateKey readPrivateKey(Path file) throws TlsSetupException {
        JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
        for (Object o : readObjects(file, "private key")) {
            try {
                if (o instanceof PEMKeyPair kp) {
                    // SEC1 EC keys may omit the public key, so convert only the private part
                    return conv.getPrivateKey(kp.getPrivateKeyInfo());
                }
                if (o instanceof PrivateKeyInfo pki) {
                    return conv.getPrivateKey(pki);
                }
            } catch (IOException e) {
                throw new TlsSetupException("unsupported private key in " + file + ": " + e.getMessage(), e);
            }
            if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
                throw new TlsSetupException("private key in " + file + " is encrypted (passphrase-protected keys are not supported)");
            }
        }
        throw new TlsSetupException("no private key found in " + file);
    }

    /** Throws unless {@code key} signs what {@code cert}'s public key verifies. */
    public static void checkMatch(PrivateKey key, X509Certificate cert, Path keyFile, Path certFile)
            throws TlsSetupException {
        String alg = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            case "RSASSA-PSS" -> null;
            default -> null;
        };
        if (alg == null) {
            return; // no cheap check for this key type; the handshake will tell
        }
        try {
            byte[] probe = "jmail key check".getBytes(StandardCharsets.US_ASCII);
            Signature s = Signature.getInstance(alg);
            s.initSign(key);
            s.update(probe);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(alg);
            v.initVerify(cert.getPublicKey());
            v.update(probe);
            if (v.verify(sig)) {
                return;
            }
        } catch (GeneralSecurityException e) {
            // a key/certificate type mismatch lands here too
        }
        throw new TlsSetupException("private key in " + keyFile + " does not match the certificate in " + certFile);
    }

    private static List<Object> readObjects(Path file, String what) throws TlsSetupException {
        List<Object> out = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
             PEMParser p = new PEMParser(r)) {
            Object o;
            while ((o = p.readObject()) != null) {
                out.add(o);
            }
        } catch (NoSuchFileException e) {
            throw new TlsSetupException("cannot read " + what + " file " + file + ": No such file or directory", e);
        } catch (AccessDeniedException e) {
            throw new TlsSetupException("cannot read " + what + " file " + file + ": Permission denied", e);
        } catch (IOException | RuntimeException e) {
            throw new TlsSetupException("cannot read " + what + " file " + file + ": " + e.getMessage(), e);
        }
        return out;
    }
}
