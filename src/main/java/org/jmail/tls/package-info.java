/**
 * Server-side TLS shared by all jmail services: {@link org.jmail.tls.ServerTlsContext} (the
 * {@link org.jmail.tls.ServerTls} built from main.cf's certificate keys via
 * {@link org.jmail.tls.TlsSettings} and {@link org.jmail.tls.PemFiles}), and
 * {@link org.jmail.tls.SelfSignedCertificate} for the package's and the dev instance's
 * certificate.
 */
package org.jmail.tls;
