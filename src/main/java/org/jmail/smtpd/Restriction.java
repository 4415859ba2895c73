package org.jmail.smtpd;

import java.io.IOException;

/**
 * One keyword of an {@code smtpd_*_restrictions} list ({@code permit_mynetworks},
 * {@code reject_unauth_destination}, ...). A restriction looks at the session through the
 * {@link CheckContext} and answers {@link Verdict#DUNNO}, {@link Verdict#PERMIT}, or a reject
 * made with {@link CheckContext#reject}.
 *
 * <p>Failure modes: {@link IOException} means a table could not be read; the caller turns it
 * into Postfix's {@code 451 4.3.0 <name>: Temporary lookup failure}.
 * {@link ConfigurationError} means the restriction cannot work as configured; the caller
 * answers {@code 451 4.3.5 Server configuration error}. Implementations are stateless and
 * shared by all sessions of a service.
 */
interface Restriction {

    Verdict check(CheckContext ctx) throws IOException;

    /** A restriction that cannot be evaluated (unknown name, missing argument, ...). */
    final class ConfigurationError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ConfigurationError(String warning) {
            super(warning);
        }
    }
}
