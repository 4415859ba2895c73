package org.jmail.smtpd;

import java.io.IOException;

/** {@code permit_mynetworks}: PERMIT when the client matches {@code mynetworks}. */
final class PermitMynetworks implements Restriction {

    @Override
    public Verdict check(CheckContext ctx) throws IOException {
        return ctx.mynetworks().matches(ctx.client()) ? Verdict.PERMIT : Verdict.DUNNO;
    }
}
