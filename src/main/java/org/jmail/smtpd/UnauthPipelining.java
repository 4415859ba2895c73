package org.jmail.smtpd;

/**
 * {@code reject_unauth_pipelining}: once the client has sent commands ahead of replies without
 * PIPELINING (or past a command that ends a group), Postfix's reply
 * {@code 503 5.5.0 <name>: Client host rejected: Improper use of SMTP command pipelining}
 * (the reply class follows the list being evaluated).
 */
final class UnauthPipelining implements Restriction {

    @Override
    public Verdict check(CheckContext ctx) {
        if (!ctx.facts().illegalPipelining()) {
            return Verdict.DUNNO;
        }
        return ctx.rejectClass(503, "5.5.0", "Improper use of SMTP command pipelining");
    }
}
