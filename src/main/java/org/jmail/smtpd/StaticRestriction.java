package org.jmail.smtpd;

/**
 * {@code permit}, {@code reject} and {@code defer}: unconditional answers, typically at the end
 * of a list. Replies as Postfix: {@code 554 5.7.1 <x@y>: Recipient address rejected: Access
 * denied} ({@code reject_code}), {@code 450 4.7.1 <x@y>: Recipient address rejected: Try again
 * later} ({@code defer_code}).
 */
final class StaticRestriction implements Restriction {

    enum Action { PERMIT, REJECT, DEFER }

    private final Action action;

    StaticRestriction(Action action) {
        this.action = action;
    }

    @Override
    public Verdict check(CheckContext ctx) {
        return switch (action) {
            case PERMIT -> Verdict.PERMIT;
            case REJECT -> ctx.rejectClass(ctx.settings().rejectCode, "5.7.1", "Access denied");
            case DEFER -> ctx.rejectClass(ctx.settings().deferCode, "4.7.1", "Try again later");
        };
    }
}
