package org.jmail.smtpd;

import java.io.IOException;
import java.util.Locale;
import org.jmail.config.MainConfig;

/**
 * The {@code reject_*_sender_login_mismatch} restrictions (Postfix's smtpd_check.c), which keep
 * an authenticated user from sending as someone else, with the owners of each MAIL FROM address
 * in {@code smtpd_sender_login_maps} ({@code alex@example.com  alex}, {@code @example.com
 * admin}; several owners separated by commas or spaces, compared case-insensitively).
 *
 * <ul>
 * <li>authenticated check ({@link Mode#ALL}, {@link Mode#AUTHENTICATED}, {@link Mode#KNOWN}):
 *     the SASL login is not among the sender's owners: {@code 553 5.7.1 <x@y>: Sender address
 *     rejected: not owned by user alex}. A sender no table lists is refused too, except with
 *     {@code reject_known_sender_login_mismatch}.</li>
 * <li>unauthenticated check ({@link Mode#ALL}, {@link Mode#KNOWN}, {@link Mode#UNAUTHENTICATED}):
 *     the sender has an owner but the client did not log in: {@code 553 5.7.1 <x@y>: Sender
 *     address rejected: not logged in}.</li>
 * </ul>
 * DUNNO when smtpd_sender_login_maps is empty, before MAIL FROM, and for the null sender. An
 * unreadable table is a temporary failure (451 4.3.0).
 */
final class SenderLoginMismatch implements Restriction {

    enum Mode {
        /** reject_sender_login_mismatch */
        ALL(true, true, false),
        /** reject_authenticated_sender_login_mismatch */
        AUTHENTICATED(true, false, false),
        /** reject_known_sender_login_mismatch */
        KNOWN(true, true, true),
        /** reject_unauthenticated_sender_login_mismatch */
        UNAUTHENTICATED(false, true, false);

        final boolean checkAuthenticated;
        final boolean checkUnauthenticated;
        final boolean allowUnknownSender;

        Mode(boolean checkAuthenticated, boolean checkUnauthenticated, boolean allowUnknownSender) {
            this.checkAuthenticated = checkAuthenticated;
            this.checkUnauthenticated = checkUnauthenticated;
            this.allowUnknownSender = allowUnknownSender;
        }
    }

    private final Mode mode;

    SenderLoginMismatch(Mode mode) {
        this.mode = mode;
    }

    @Override
    public Verdict check(CheckContext ctx) throws IOException {
        String sender = ctx.sender();
        if (sender == null || sender.isEmpty() || !ctx.checks().hasSenderLoginMaps()) {
            return Verdict.DUNNO;
        }
        String login = ctx.facts().saslUser();
        if (login != null && mode.checkAuthenticated) {
            String owners = ctx.checks().senderLoginOwners(sender);
            if (owners == null && mode.allowUnknownSender) {
                return Verdict.DUNNO;
            }
            if (owners == null || !owns(owners, login)) {
                return ctx.reject(553, "5.7.1", "<" + sender + ">: Sender address rejected: not owned by user "
                        + login);
            }
        } else if (login == null && mode.checkUnauthenticated) {
            if (ctx.checks().senderLoginOwners(sender) != null) {
                return ctx.reject(553, "5.7.1", "<" + sender + ">: Sender address rejected: not logged in");
            }
        }
        return Verdict.DUNNO;
    }

    private static boolean owns(String owners, String login) {
        String l = login.toLowerCase(Locale.ROOT);
        for (String name : MainConfig.splitList(owners)) {
            if (name.toLowerCase(Locale.ROOT).equals(l)) {
                return true;
            }
        }
        return false;
    }
}
