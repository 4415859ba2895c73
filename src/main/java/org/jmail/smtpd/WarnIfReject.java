package org.jmail.smtpd;

import java.io.IOException;

/**
 * {@code warn_if_reject restriction}: the following restriction runs as usual, but a reject
 * is only logged, as Postfix's {@code NOQUEUE: reject_warning: ...} line, and the list goes on
 * (DUNNO).
 */
final class WarnIfReject implements Restriction {

    private final Restriction inner;

    WarnIfReject(Restriction inner) {
        this.inner = inner;
    }

    @Override
    public Verdict check(CheckContext ctx) throws IOException {
        boolean was = ctx.warnIfReject(true);
        try {
            Verdict v = inner.check(ctx);
            return v.isReject() ? Verdict.DUNNO : v;
        } finally {
            ctx.warnIfReject(was);
        }
    }
}
