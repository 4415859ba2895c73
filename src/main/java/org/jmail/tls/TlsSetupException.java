package org.jmail.tls;

import java.io.IOException;

/**
 * The TLS material can't be used: a certificate or key file missing, unreadable, not PEM,
 * encrypted, or not matching. The message names the file. The daemon logs it as a
 * {@code warning:} and serves the affected service without TLS (Postfix's behaviour).
 */
public class TlsSetupException extends IOException {
    private static final long serialVersionUID = 1L;

    public TlsSetupException(String message) {
        super(message);
    }

    public TlsSetupException(String message, Throwable cause) {
        super(message, cause);
    }
}
