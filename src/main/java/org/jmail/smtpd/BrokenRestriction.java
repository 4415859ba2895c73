package org.jmail.smtpd;

/**
 * A restriction whose arguments were unusable at parse time (e.g. {@code check_client_access}
 * at the end of the list): like Postfix, the problem shows when it is reached, as a warning
 * and {@code 451 4.3.5 Server configuration error}.
 */
final class BrokenRestriction implements Restriction {

    private final String warning;

    BrokenRestriction(String warning) {
        this.warning = warning;
    }

    @Override
    public Verdict check(CheckContext ctx) {
        throw new ConfigurationError(warning);
    }
}
