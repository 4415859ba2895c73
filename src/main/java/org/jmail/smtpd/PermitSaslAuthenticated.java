package org.jmail.smtpd;

/**
 * {@code permit_sasl_authenticated}: PERMIT when the client authenticated with AUTH (PLAIN or
 * LOGIN, see {@link AuthCommand}); DUNNO otherwise. jmail offers no ANONYMOUS mechanism, so
 * every SASL login is a real one (Postfix excludes "anonymous" here).
 */
final class PermitSaslAuthenticated implements Restriction {

    @Override
    public Verdict check(CheckContext ctx) {
        return ctx.facts().saslUser() != null ? Verdict.PERMIT : Verdict.DUNNO;
    }
}
