package org.jmail.smtpd;

import java.io.IOException;
import org.jmail.resolve.Addresses;
import org.jmail.resolve.LocalRecipientCheck;
import org.jmail.resolve.Resolution;
import org.jmail.resolve.Resolver;

/**
 * Everything one evaluation of restriction lists may use: the session facts, the stage being
 * checked (which decides what {@code reject} names in its reply, as Postfix's reply_name and
 * reply_class), the recipient under test, and shared services (resolver, mynetworks, local
 * recipient tables). Also the one place that formats and logs rejects in Postfix's shape:
 * {@code NOQUEUE: reject: RCPT from name[addr]: 554 5.7.1 <x@y>: Relay access denied;
 * from=<s> to=<x@y> proto=ESMTP helo=<h>}.
 *
 * <p>One instance per check (per RCPT, MAIL, ...); not shared between threads.
 */
final class CheckContext {

    /** Which restriction list is being evaluated, with Postfix's reply class text. */
    enum Stage {
        CLIENT("Client host"), HELO("Helo command"), SENDER("Sender address"),
        RECIPIENT("Recipient address"), DATA("Data command"), END_OF_DATA("End-of-data");

        final String replyClass;

        Stage(String replyClass) {
            this.replyClass = replyClass;
        }
    }

    private static final SmtpdLog LOG = SmtpdLog.INSTANCE;

    private final SessionFacts facts;
    private final SmtpdChecks checks;
    private final String sender;
    private final String recipient;
    private Stage stage = Stage.CLIENT;
    private Resolution resolution;
    private boolean recipientMapsChecked;
    private boolean warnIfReject;
    private String deferIfPermit;

    CheckContext(SessionFacts facts, SmtpdChecks checks, String sender, String recipient) {
        this.facts = facts;
        this.checks = checks;
        this.sender = sender;
        this.recipient = recipient;
    }

    /** Sets warn_if_reject mode (rejects are logged as reject_warning only); returns the old mode. */
    boolean warnIfReject(boolean on) {
        boolean was = warnIfReject;
        warnIfReject = on;
        return was;
    }

    void stage(Stage s) {
        this.stage = s;
    }

    Stage stage() {
        return stage;
    }

    SessionFacts facts() {
        return facts;
    }

    ClientInfo client() {
        return facts.client();
    }

    String helo() {
        return facts.helo();
    }

    /** The sender under test or of the transaction ("" for <>), or null before MAIL. */
    String sender() {
        return sender;
    }

    /** The recipient under test, or null outside RCPT checks. */
    String recipient() {
        return recipient;
    }

    SmtpdSettings settings() {
        return checks.settings();
    }

    Mynetworks mynetworks() {
        return checks.mynetworks();
    }

    SmtpdChecks checks() {
        return checks;
    }

    LocalRecipientCheck localRecipients() {
        return checks.localRecipients();
    }

    /** The recipient's resolution (looked up once per check). */
    Resolution resolution() throws IOException {
        if (resolution == null) {
            Resolver r = checks.resolver();
            resolution = r.resolve(recipient);
        }
        return resolution;
    }

    /** reject_unlisted_recipient runs at most once per recipient (Postfix's rcptmap_checked). */
    boolean markRecipientMapsChecked() {
        boolean was = recipientMapsChecked;
        recipientMapsChecked = true;
        return was;
    }

    /** What the reply names: client name[addr], helo name, sender, recipient. */
    String replyName() {
        return switch (stage) {
            case CLIENT -> client().namaddr();
            case HELO -> facts.helo() == null ? "" : facts.helo();
            case SENDER -> sender == null ? "" : sender;
            case RECIPIENT -> recipient;
            case DATA -> "DATA";
            case END_OF_DATA -> "END-OF-MESSAGE";
        };
    }

    /**
     * A reject of the request: formats {@code code dsn text} (the DSN class follows the reply
     * code, as Postfix's smtpd_check_reject forces), logs it and returns the verdict.
     */
    Verdict reject(int code, String dsn, String text) {
        char cls = Integer.toString(code).charAt(0);
        if ((cls == '4' || cls == '5') && dsn.length() > 0 && dsn.charAt(0) != cls) {
            dsn = cls + dsn.substring(1);
        }
        String reply = code + " " + dsn + " " + text;
        logReject(reply);
        return Verdict.rejected(reply);
    }

    /**
     * Postfix's defer_if_permit (reject_tempfail_action): a temporary failure that defers the
     * request only if it ends up permitted; the first one counts. The restriction says DUNNO.
     */
    Verdict deferIfPermit(int code, String dsn, String text) {
        if (deferIfPermit == null && !warnIfReject) {
            char cls = Integer.toString(code).charAt(0);
            if ((cls == '4' || cls == '5') && dsn.length() > 0 && dsn.charAt(0) != cls) {
                dsn = cls + dsn.substring(1);
            }
            deferIfPermit = code + " " + dsn + " " + text;
        }
        return Verdict.DUNNO;
    }

    /** The end of a check: a pending defer_if_permit turns a non-reject outcome into that defer. */
    Verdict finish(Verdict v) {
        if (v.isReject() || deferIfPermit == null) {
            return v;
        }
        logReject(deferIfPermit);
        return Verdict.rejected(deferIfPermit);
    }

    /** Postfix's generic "<name>: Class rejected: text" reject. */
    Verdict rejectClass(int code, String dsn, String text) {
        return reject(code, dsn, "<" + replyName() + ">: " + stage.replyClass + " rejected: " + text);
    }

    /** A table could not be read: Postfix's reject_dict_retry. */
    Verdict temporaryLookupFailure() {
        return reject(451, "4.3.0", "<" + replyName() + ">: Temporary lookup failure");
    }

    /** A restriction cannot work as configured: Postfix's reject_server_error. */
    Verdict serverConfigurationError() {
        return reject(451, "4.3.5", "Server configuration error");
    }

    void logReject(String reply) {
        String id = facts.queueId();
        LOG.info((id == null ? "NOQUEUE" : id) + (warnIfReject ? ": reject_warning: " : ": reject: ") + facts.where() + " from " + client().namaddr()
                + ": " + reply + ";" + whatsup());
    }

    /** Postfix's log_whatsup tail: " from=<s> to=<r> proto=ESMTP helo=<h>". */
    String whatsup() {
        StringBuilder sb = new StringBuilder(80);
        if (sender != null) {
            sb.append(" from=<").append(Addresses.quote(sender)).append('>');
        }
        if (recipient != null) {
            sb.append(" to=<").append(Addresses.quote(recipient)).append('>');
        }
        sb.append(" proto=").append(facts.protocol());
        if (facts.helo() != null) {
            sb.append(" helo=<").append(facts.helo()).append('>');
        }
        return sb.toString();
    }
}
