package org.jmail.cleanup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.jmail.config.MainConfig;
import org.jmail.log.MailLog;
import org.jmail.table.LookupTable;
import org.jmail.table.Tables;
import org.jmail.util.HeaderNames;
import org.jmail.util.LogText;

/**
 * Postfix's {@code header_checks} and {@code body_checks} (header_checks(5)): each logical
 * header of the primary header block, and each body line within the first
 * {@code body_checks_size_limit} bytes, is looked up in the tables (regexp: or pcre:, first
 * table with a match wins) and the result is acted upon as cleanup_message.c does:
 * REJECT [text], WARN/INFO [text], DISCARD [text], HOLD [text], IGNORE, PREPEND text,
 * REPLACE text, DUNNO and OK. REDIRECT, FILTER and BCC are not implemented: they are logged
 * as unsupported and ignored. The headers of MIME parts go to {@code mime_header_checks},
 * those of a message/rfc822 part's message to {@code nested_header_checks} (both
 * {@code $header_checks} by default), see {@link MimeBody}.
 *
 * <p>One instance per {@link Cleanup}; {@link Verdict} holds one message's outcome.
 */
final class ContentChecks {

    private static final MailLog LOG = MailLog.of("cleanup");

    private final List<LookupTable> headerChecks;
    private final List<LookupTable> mimeHeaderChecks;
    private final List<LookupTable> nestedHeaderChecks;
    private final List<LookupTable> bodyChecks;
    final long bodySizeLimit;

    private ContentChecks(List<LookupTable> headerChecks, List<LookupTable> mimeHeaderChecks,
                          List<LookupTable> nestedHeaderChecks, List<LookupTable> bodyChecks, long bodySizeLimit) {
        this.headerChecks = headerChecks;
        this.mimeHeaderChecks = mimeHeaderChecks;
        this.nestedHeaderChecks = nestedHeaderChecks;
        this.bodyChecks = bodyChecks;
        this.bodySizeLimit = bodySizeLimit;
    }

    /** Opens the tables named by main.cf; a table that cannot be opened is logged and left out. */
    static ContentChecks of(MainConfig c) {
        return new ContentChecks(open(c, "header_checks"), open(c, "mime_header_checks"),
                open(c, "nested_header_checks"), open(c, "body_checks"),
                CleanupSettings.number(c, "body_checks_size_limit", 51200L));
    }

    private static List<LookupTable> open(MainConfig c, String key) {
        try {
            return Tables.openList(c.get(key));
        } catch (IOException e) {
            LOG.warn(key + ": " + e.getMessage() + " -- the checks are not applied");
            return List.of();
        }
    }

    boolean hasHeaderChecks() {
        return !headerChecks.isEmpty();
    }

    boolean hasBodyChecks() {
        return !bodyChecks.isEmpty();
    }

    /** Whether the body needs {@link MimeBody}: part header checks or body checks are set. */
    boolean inspectsBody() {
        return !bodyChecks.isEmpty() || !mimeHeaderChecks.isEmpty() || !nestedHeaderChecks.isEmpty();
    }

    /** The action for a MIME part's logical header, or null. */
    String mimeHeader(String header) throws IOException {
        return find(mimeHeaderChecks, header);
    }

    /** The action for a logical header of a message/rfc822 part's message, or null. */
    String nestedHeader(String header) throws IOException {
        return find(nestedHeaderChecks, header);
    }

    /** The action for a logical header (physical lines joined by LF), or null. */
    String header(String header) throws IOException {
        return find(headerChecks, header);
    }

    /** The action for a body line, or null. */
    String body(String line) throws IOException {
        return find(bodyChecks, line);
    }

    private static String find(List<LookupTable> tables, String key) throws IOException {
        for (LookupTable t : tables) {
            String v = t.find(key);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    /**
     * One message's outcome of the checks: what to do with the matched text, and whether the
     * whole message is rejected, discarded or held. Log lines are Postfix's
     * {@code ID: reject: header Subject: x from name[addr]; from=<s> to=<r> proto=ESMTP helo=<h>: text}.
     */
    static final class Verdict {
        /** The REJECT reason ("5.7.1 text" or "4.x.x text"), or null. */
        String reject;
        boolean discard;
        boolean hold;
        private final String queueId;
        private final MessageOrigin origin;
        private final Supplier<String> sender;
        private final Supplier<String> firstRecipient;

        /** The log's "from name[addr]; from=<> to=<> proto= helo=<>" part comes from these. */
        Verdict(String queueId, MessageOrigin origin, Supplier<String> sender, Supplier<String> firstRecipient) {
            this.queueId = queueId;
            this.origin = origin;
            this.sender = sender;
            this.firstRecipient = firstRecipient;
        }

        /** What becomes of the matched header or line. */
        record Result(Kind kind, String text) {
        }

        enum Kind { KEEP, DROP, REPLACE, PREPEND }

        /**
         * Acts on {@code action} (the table's value) for {@code content} in {@code what}
         * ("header" or "body"); {@code mapName} names the table list in warnings.
         */
        Result act(String what, String content, String action, String mapName) {
            int sp = 0;
            while (sp < action.length() && action.charAt(sp) != ' ' && action.charAt(sp) != '\t') {
                sp++;
            }
            String verb = action.substring(0, sp).toUpperCase(Locale.ROOT);
            String text = action.substring(sp).strip();
            switch (verb) {
                case "REJECT" -> {
                    String reason = text.isEmpty() ? "5.7.1 message content rejected" : dsnPrepend("5.7.1", text);
                    if (reason.charAt(0) != '4' && reason.charAt(0) != '5') {
                        LOG.warn("bad DSN action in " + text + " -- need 4.x.x or 5.x.x");
                        reason = "4" + reason.substring(1);
                    }
                    reject = reason;
                    log("reject", what, content, reason);
                }
                case "WARN" -> log("warning", what, content, text);
                case "INFO" -> log("info", what, content, text);
                case "DISCARD" -> {
                    log("discard", what, content, text);
                    discard = true;
                }
                case "HOLD" -> {
                    if (!hold && !discard) {
                        log("hold", what, content, text);
                        hold = true;
                    }
                }
                case "IGNORE" -> {
                    return new Result(Kind.DROP, null);
                }
                case "PREPEND", "REPLACE" -> {
                    boolean header = what.equals("header");
                    if (text.isEmpty()) {
                        LOG.warn(verb + " action without text in " + mapName + " map");
                    } else if (header && !isHeader(text)) {
                        LOG.warn("bad " + verb + " header text \"" + text + "\" in " + mapName
                                + " map -- need \"headername: headervalue\"");
                    } else {
                        log(verb.toLowerCase(Locale.ROOT), what, content, text);
                        return new Result(verb.equals("PREPEND") ? Kind.PREPEND : Kind.REPLACE, text);
                    }
                }
                case "DUNNO", "OK" -> {
                    // nothing to do
                }
                case "REDIRECT", "FILTER", "BCC" ->
                    LOG.warn(mapName + " map: " + verb + " is not supported by this jmail; ignored");
                default -> LOG.warn("unknown command in " + mapName + " map: " + action);
            }
            return new Result(Kind.KEEP, null);
        }

        private void log(String action, String what, String content, String text) {
            StringBuilder b = new StringBuilder(queueId).append(": ").append(action).append(": ")
                    .append(what).append(' ')
                    .append(LogText.printable(content.length() > 200 ? content.substring(0, 200) : content))
                    .append(" from ")
                    .append(origin == null ? "unknown" : origin.nameAddr()).append(';');
            if (sender.get() != null) {
                b.append(" from=<").append(sender.get()).append('>');
            }
            if (firstRecipient.get() != null) {
                b.append(" to=<").append(firstRecipient.get()).append('>');
            }
            if (origin != null && origin.protocol() != null) {
                b.append(" proto=").append(origin.protocol());
            }
            if (origin != null && origin.helo() != null) {
                b.append(" helo=<").append(origin.helo()).append('>');
            }
            if (text != null && !text.isEmpty()) {
                b.append(": ").append(text);
            }
            LOG.info(b.toString());
        }

        /** "5.7.1 text" unless the text starts with its own DSN status. */
        static String dsnPrepend(String dflt, String text) {
            if (text.length() >= 5 && (text.charAt(0) == '4' || text.charAt(0) == '5') && text.charAt(1) == '.') {
                int sp = text.indexOf(' ');
                String code = sp < 0 ? text : text.substring(0, sp);
                if (code.matches("[45]\\.\\d{1,3}\\.\\d{1,3}")) {
                    return text;
                }
            }
            return dflt + " " + text;
        }

        /** Postfix's is_header(), as cleanup_act checks PREPEND and REPLACE header text. */
        private static boolean isHeader(String text) {
            byte[] b = text.getBytes(StandardCharsets.UTF_8);
            return HeaderNames.nameLength(b, 0, b.length) > 0;
        }
    }
}
