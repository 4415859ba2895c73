package org.jmail.smtpd;

import java.io.IOException;
import org.jmail.resolve.AddressClass;
import org.jmail.resolve.Addresses;
import org.jmail.resolve.Resolution;

/**
 * Relay control on the recipient's address class: {@code reject_unauth_destination}
 * ({@code 554 5.7.1 <x@y>: Relay access denied}, code {@code relay_domains_reject_code}),
 * {@code defer_unauth_destination} (the same with a 4xx code, {@code 454 4.7.1} by default)
 * and {@code permit_auth_destination} (PERMIT instead of DUNNO for our own destinations).
 *
 * <p>An authorized destination is a local or relay_domains address that does not try to route
 * onwards through us ({@code user%elsewhere@local}, {@code elsewhere!user@local},
 * {@code "user@elsewhere"@local} count as relaying, as Postfix's RESOLVE_FLAG_ROUTED does).
 * Outside RCPT checks (no recipient) these restrictions say DUNNO.
 */
final class UnauthDestination implements Restriction {

    enum Mode { REJECT, DEFER, PERMIT }

    private final Mode mode;

    UnauthDestination(Mode mode) {
        this.mode = mode;
    }

    @Override
    public Verdict check(CheckContext ctx) throws IOException {
        if (ctx.recipient() == null) {
            return Verdict.DUNNO;
        }
        Resolution r = ctx.resolution();
        boolean authorized = (r.addressClass() == AddressClass.LOCAL || r.addressClass() == AddressClass.RELAY)
                && !routed(r.recipient());
        if (mode == Mode.PERMIT) {
            return authorized ? Verdict.PERMIT : Verdict.DUNNO;
        }
        if (authorized) {
            return Verdict.DUNNO;
        }
        int code = ctx.settings().relayDomainsRejectCode;
        if (mode == Mode.DEFER) {
            code = code >= 500 ? code - 100 : code;
            return ctx.reject(code, "4.7.1", "<" + ctx.recipient() + ">: Relay access denied");
        }
        return ctx.reject(code, "5.7.1", "<" + ctx.recipient() + ">: Relay access denied");
    }

    private static boolean routed(String address) {
        String local = Addresses.localPart(address);
        return Addresses.domain(address) != null
                && (local.indexOf('@') >= 0 || local.indexOf('%') >= 0 || local.indexOf('!') >= 0);
    }
}
