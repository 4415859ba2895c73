package org.jmail.smtpd;

import java.io.IOException;
import org.jmail.resolve.AddressClass;
import org.jmail.resolve.Resolution;
import org.jmail.util.EnhancedStatus;

/**
 * {@code reject_unlisted_recipient} (alias {@code check_recipient_maps}), also applied
 * implicitly after the recipient restrictions when {@code smtpd_reject_unlisted_recipient =
 * yes}, as Postfix's check_rcpt_maps:
 * <ul>
 * <li>an address that resolves to the {@code error} transport is refused with its text:
 *     {@code 550 5.1.1 <x@y>: Recipient address rejected: text};</li>
 * <li>an address in a local domain that {@code local_recipient_maps} does not list is refused:
 *     {@code 550 5.1.1 <x@y>: Recipient address rejected: User unknown in local recipient
 *     table} (code {@code unknown_local_recipient_reject_code}).</li>
 * </ul>
 * Runs once per recipient; DUNNO outside RCPT checks.
 */
final class RejectUnlistedRecipient implements Restriction {

    @Override
    public Verdict check(CheckContext ctx) throws IOException {
        if (ctx.recipient() == null || ctx.markRecipientMapsChecked()) {
            return Verdict.DUNNO;
        }
        Resolution r = ctx.resolution();
        if (r.transport().equals("error")) {
            String text = r.nexthop();
            String dsn = "5.1.1";
            int n = EnhancedStatus.length(text, 0);
            if (text.length() > 6 && n > 0 && n < text.length() && text.charAt(n) == ' ') {
                dsn = text.substring(0, n);
                text = text.substring(n + 1);
            }
            return ctx.rejectClass(550, dsn, text);
        }
        if (r.addressClass() == AddressClass.LOCAL && ctx.localRecipients() != null
                && ctx.localRecipients().enabled() && !ctx.localRecipients().isKnown(r.recipient())) {
            return ctx.rejectClass(ctx.settings().unknownLocalRecipientRejectCode, "5.1.1",
                    "User unknown in local recipient table");
        }
        return Verdict.DUNNO;
    }
}
