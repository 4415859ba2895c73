package org.jmail.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Makes a self-signed server certificate the way Debian's make-ssl-cert does for the snakeoil
 * pair: RSA 2048, SHA-256, CN and subjectAltName = the host name, valid ten years. Used for
 * tests, the dev instance, the package's postinst when ssl-cert is absent, and
 * {@code jmail tls new-cert}.
 *
 * <p>{@link #write} writes the certificate (mode 0644) and the PKCS#8 key (mode 0600, created
 * with that mode so it is never readable by others, even briefly) through temporary files
 * renamed into place, so a reader never sees half a file. Parent directories must exist.
 */
public final class SelfSignedCertificate {

    private static final Duration VALIDITY = Duration.ofDays(3650);

    private SelfSignedCertificate() {
    }

    /** A fresh key pair and certificate for {@code hostname}. */
    public static KeyPairAndCertificate generate(String hostname) throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048, new SecureRandom());
        KeyPair kp = g.generateKeyPair();
        X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, hostname).build();
        Instant now = Instant.now();
        BigInteger serial = new BigInteger(64, new SecureRandom()).abs().add(BigInteger.ONE);
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial,
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(VALIDITY)), name, kp.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            b.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.dNSName, hostname)));
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withRSA").build(kp.getPrivate())));
            return new KeyPairAndCertificate(kp, cert);
        } catch (OperatorCreationException | IOException e) {
            throw new GeneralSecurityException("cannot build certificate: " + e.getMessage(), e);
        }
    }

    /** The generated material. */
    public record KeyPairAndCertificate(KeyPair keyPair, X509Certificate certificate) {
    }

    /** Generates a pair for {@code hostname} and writes it to {@code certPath} and {@code keyPath}. */
    public static X509Certificate write(String hostname, Path certPath, Path keyPath) throws IOException {
        KeyPairAndCertificate k;
        try {
            k = generate(hostname);
        } catch (GeneralSecurityException e) {
            throw new IOException(e.getMessage(), e);
        }
        writeAtomically(keyPath, pem(new JcaPKCS8Generator(k.keyPair().getPrivate(), null).generate()), "rw-------");
        writeAtomically(certPath, pem(k.certificate()), "rw-r--r--");
        return k.certificate();
    }

    private static String pem(Object o) throws IOException {
        StringWriter sw = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            w.writeObject(o);
        }
        return sw.toString();
    }

    private static void writeAtomically(Path target, String text, String mode) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode)));
        try {
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.US_ASCII)) {
                w.write(text);
            }
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString(mode)); // umask may have cut it
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
