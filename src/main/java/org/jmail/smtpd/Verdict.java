package org.jmail.smtpd;

/**
 * The outcome of one restriction, as Postfix's generic_checks knows it: DUNNO (no opinion,
 * go on with the next restriction), PERMIT (stop this list, accept for now) or a reject with
 * its full SMTP reply (already logged by {@link CheckContext#reject}).
 */
record Verdict(Kind kind, String reply) {

    enum Kind { DUNNO, PERMIT, REJECT }

    static final Verdict DUNNO = new Verdict(Kind.DUNNO, null);
    static final Verdict PERMIT = new Verdict(Kind.PERMIT, null);

    static Verdict rejected(String reply) {
        return new Verdict(Kind.REJECT, reply);
    }

    boolean isReject() {
        return kind == Kind.REJECT;
    }
}
