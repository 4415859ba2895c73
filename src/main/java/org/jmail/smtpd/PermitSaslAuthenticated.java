package org.jmail.smtpd;

/**
 * {@code permit_sasl_authenticated}: PERMIT when the client authenticated with AUTH. Until
 * jmail's smtpd speaks SASL no session is authenticated, so this never matches.
 */
final class PermitSaslAuthenticated implements Restriction {

    @Override
    public Verdict check(CheckContext ctx) {
        return ctx.facts().saslUser() != null ? Verdict.PERMIT : Verdict.DUNNO;
    }
}
