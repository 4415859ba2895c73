package org.jmail.cleanup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.jmail.log.MailLog;
import org.jmail.queue.Bytes;
import org.jmail.util.HeaderNames;

/**
 * Cleanup's treatment of the primary message header block, following Postfix's
 * cleanup_message.c and mime_state.c:
 * <ul>
 * <li>Physical lines are joined into logical headers (continuation lines start with space or
 *     TAB); a header is a name of printable ASCII without ':' or blanks, optional blanks,
 *     then ':' (blanks before the colon are removed, "Subject : x" becomes "Subject: x").</li>
 * <li>A logical header longer than {@code header_size_limit} is truncated: continuation
 *     lines past the limit are discarded, and the text is cut at the last line boundary
 *     before the limit, or at the limit itself when that boundary would lose more than 10%.
 *     This is Postfix's behaviour; the excess does not go into the body.</li>
 * <li>Headers named in {@code message_drop_headers} (Return-Path, Bcc, Resent-Bcc,
 *     Content-Length by default) are removed; Received: headers are counted against
 *     {@code hopcount_limit}.</li>
 * <li>At the end of the headers, missing {@code Message-Id:} and {@code Date:} are added (or
 *     their Resent- forms when the message has Resent- headers); {@code From:} and
 *     {@code undisclosed_recipients_header} only in the local rewriting context or with
 *     {@code always_add_missing_headers = yes}. Postfix adds Message-Id/Date only in the local
 *     context too; jmail adds them for every message because its SMTP server promises to.</li>
 * <li>In the local context, addresses without a domain in address headers get
 *     {@code @$myorigin} ({@code append_at_myorigin}, {@link HeaderAddressQualifier}).</li>
 * <li>The block ends at an empty line, or at the first line that is not a header, in which
 *     case an empty line is inserted before it, as Postfix does.</li>
 * </ul>
 * Lines are not split at {@code line_length_limit}: Postfix stores longer lines as
 * continuation records and its delivery agents join them again, so the delivered text is the
 * line as received; jmail's record format has no line length limit to work around.
 *
 * <p>Logs {@code ID: message-id=<...>} (and {@code resent-message-id=}) as cleanup does.
 */
final class HeaderProcessor {

    /** Where processed content lines go (the queue file). */
    interface Sink {
        void line(byte[] b, int off, int len) throws IOException;
    }

    private static final MailLog LOG = MailLog.of("cleanup");
    private static final DateTimeFormatter MSGID_TIME =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);
    private static final byte[] EMPTY = new byte[0];
    /** Postfix's HDR_OPT_RR headers: their presence makes added headers Resent- ones. */
    private static final java.util.Set<String> RESENT_HEADERS = java.util.Set.of("resent-bcc", "resent-cc",
            "resent-date", "resent-from", "resent-message-id", "resent-reply-to", "resent-sender", "resent-to");

    private static final int SEEN_MESSAGE_ID = 1;
    private static final int SEEN_RESENT_MESSAGE_ID = 1 << 1;
    private static final int SEEN_DATE = 1 << 2;
    private static final int SEEN_RESENT_DATE = 1 << 3;
    private static final int SEEN_FROM = 1 << 4;
    private static final int SEEN_RESENT_FROM = 1 << 5;
    private static final int SEEN_VISIBLE_RCPT = 1 << 6;

    private final CleanupSettings settings;
    private final String queueId;
    private final Instant arrival;
    private final String sender;
    private final boolean localContext;
    private final Sink out;

    private final Bytes current = new Bytes(256);
    private final ContentChecks headerChecks;
    private final ContentChecks bodyChecks;
    private final ContentChecks.Verdict verdict;
    /** The body through part header and body checks, when any are set (else null). */
    private MimeBody mimeBody;
    /** The message's own Content-Type (logical header), kept for {@link MimeBody}. */
    private String contentType;
    private boolean inBody;
    private int seen;
    private boolean resent;
    private int hops;

    HeaderProcessor(CleanupSettings settings, String queueId, Instant arrival, String sender,
                    boolean localContext, Sink out) {
        this(settings, queueId, arrival, sender, localContext, out, null, null);
    }

    /** With header_checks/body_checks ({@code checks} and {@code verdict} both null for none). */
    HeaderProcessor(CleanupSettings settings, String queueId, Instant arrival, String sender,
                    boolean localContext, Sink out, ContentChecks checks, ContentChecks.Verdict verdict) {
        this.settings = settings;
        this.queueId = queueId;
        this.arrival = arrival;
        this.sender = sender;
        this.localContext = localContext;
        this.out = out;
        this.headerChecks = checks != null && checks.hasHeaderChecks() ? checks : null;
        this.bodyChecks = checks != null && checks.inspectsBody() ? checks : null;
        this.verdict = verdict;
    }

    boolean inBody() {
        return inBody;
    }

    /** Received: headers seen so far. */
    int hopCount() {
        return hops;
    }

    /** One content line without its line end. */
    void line(byte[] b, int off, int len) throws IOException {
        if (inBody) {
            if (mimeBody == null) {
                out.line(b, off, len);
            } else {
                mimeBody.line(b, off, len);
            }
            return;
        }
        if (current.length() > 0 && len > 0 && (b[off] == ' ' || b[off] == '\t')) {
            // Continuation: discard what does not fit (Postfix mime_state).
            if (current.length() < settings.headerSizeLimit) {
                current.append((byte) '\n');
                current.append(b, off, len);
            }
            return;
        }
        flushHeader();
        if (len == 0) {
            endOfHeaders();
            out.line(b, off, 0);
            startBody();
            return;
        }
        int nameLen = HeaderNames.nameLength(b, off, len);
        if (nameLen > 0) {
            startHeader(b, off, len, nameLen);
            return;
        }
        // Not a header: the body starts here, after a separator line Postfix inserts.
        endOfHeaders();
        out.line(EMPTY, 0, 0);
        startBody();
        line(b, off, len);
    }

    private void startBody() {
        inBody = true;
        if (bodyChecks != null) {
            mimeBody = new MimeBody(bodyChecks, verdict, out, settings.headerSizeLimit, contentType);
        }
    }

    /** Starts the logical header in {@code current}: "Name :" is stored as "Name:". */
    private void startHeader(byte[] b, int off, int len, int nameLen) {
        current.append(b, off, nameLen);
        int p = off + nameLen;
        while (b[p] == ' ' || b[p] == '\t') {
            p++;
        }
        current.append(b, p, off + len - p);
    }

    /** End of content: flushes a pending header and adds missing ones if the body never started. */
    void end() throws IOException {
        if (!inBody) {
            flushHeader();
            endOfHeaders();
            inBody = true;
        }
        if (mimeBody != null) {
            mimeBody.end();
        }
    }

    private void flushHeader() throws IOException {
        int n = current.length();
        if (n == 0) {
            return;
        }
        byte[] a = current.array();
        if (headerChecks != null) {
            String header = new String(a, 0, n, StandardCharsets.UTF_8);
            String action = headerChecks.header(header);
            if (action != null) {
                ContentChecks.Verdict.Result r = verdict.act("header", header, action, "header_checks");
                switch (r.kind()) {
                    case DROP -> {
                        current.clear(); // IGNORE: gone before anything counts it
                        return;
                    }
                    case PREPEND -> emit(r.text());
                    case REPLACE -> { // a header (act() checked it), stored as a received one is
                        current.clear();
                        byte[] t = r.text().getBytes(StandardCharsets.UTF_8);
                        startHeader(t, 0, t.length, HeaderNames.nameLength(t, 0, t.length));
                        n = current.length();
                        a = current.array();
                    }
                    default -> {
                        // keep the header as it is
                    }
                }
            }
        }
        int colon = 0;
        while (a[colon] != ':') {
            colon++;
        }
        String name = new String(a, 0, colon, StandardCharsets.US_ASCII).toLowerCase(java.util.Locale.ROOT);
        if (bodyChecks != null && name.equals("content-type")) {
            contentType = new String(a, 0, n, StandardCharsets.UTF_8);
        }
        boolean drop = settings.dropHeaders.contains(name);
        classify(name, a, colon, n);
        if (!drop && localContext && settings.appendAtMyorigin
                && HeaderAddressQualifier.ADDRESS_HEADERS.contains(name)) {
            String rest = new String(a, colon + 1, n - colon - 1, StandardCharsets.UTF_8);
            String qualified = HeaderAddressQualifier.qualify(rest, settings.myorigin);
            if (qualified != rest) {
                byte[] t = (new String(a, 0, colon + 1, StandardCharsets.UTF_8) + qualified)
                        .getBytes(StandardCharsets.UTF_8);
                a = t;
                n = t.length;
            }
        }
        if (!drop) {
            writeTruncated(a, n);
        }
        current.clear();
    }

    private void classify(String name, byte[] a, int colon, int n) {
        if (RESENT_HEADERS.contains(name)) {
            resent = true;
        }
        switch (name) {
            case "received" -> hops++;
            case "message-id" -> {
                seen |= SEEN_MESSAGE_ID;
                LOG.info(queueId + ": message-id=" + value(a, colon, n));
            }
            case "resent-message-id" -> {
                seen |= SEEN_RESENT_MESSAGE_ID;
                LOG.info(queueId + ": resent-message-id=" + value(a, colon, n));
            }
            case "date" -> seen |= SEEN_DATE;
            case "resent-date" -> seen |= SEEN_RESENT_DATE;
            case "from" -> seen |= SEEN_FROM;
            case "resent-from" -> seen |= SEEN_RESENT_FROM;
            case "to", "cc", "resent-to", "resent-cc" -> seen |= SEEN_VISIBLE_RCPT;
            default -> {
                // no special treatment
            }
        }
    }

    /** The header value for the log: leading blanks skipped, folding joined into one line. */
    private static String value(byte[] a, int colon, int n) {
        int p = colon + 1;
        while (p < n && (a[p] == ' ' || a[p] == '\t')) {
            p++;
        }
        return new String(a, p, n - p, StandardCharsets.UTF_8).replace('\n', ' ');
    }

    /** Postfix's cleanup_out_header(): nice cut at a line boundary, else an unkind cut. */
    private void writeTruncated(byte[] a, int n) throws IOException {
        int limit = settings.headerSizeLimit;
        int start = 0;
        while (true) {
            int nl = start;
            while (nl < n && a[nl] != '\n') {
                nl++;
            }
            int lineEnd = nl;
            boolean last = nl >= n;
            if (lineEnd > limit) {
                if (start > 0.9 * limit) {
                    return;
                }
                lineEnd = limit;
                last = true;
            }
            out.line(a, start, lineEnd - start);
            if (last) {
                return;
            }
            start = nl + 1;
        }
    }

    private void endOfHeaders() throws IOException {
        String prefix = resent ? "Resent-" : "";
        boolean addAll = localContext || settings.alwaysAddMissingHeaders;
        if ((seen & (resent ? SEEN_RESENT_MESSAGE_ID : SEEN_MESSAGE_ID)) == 0) {
            String id = MSGID_TIME.format(arrival) + "." + queueId + "@" + settings.myhostname;
            emit(prefix + "Message-Id: <" + id + ">");
            LOG.info(queueId + ": " + (resent ? "resent-" : "") + "message-id=<" + id + ">");
            seen |= resent ? SEEN_RESENT_MESSAGE_ID : SEEN_MESSAGE_ID;
        }
        if ((seen & SEEN_MESSAGE_ID) == 0) {
            LOG.info(queueId + ": message-id=<>");
        }
        if ((seen & (resent ? SEEN_RESENT_DATE : SEEN_DATE)) == 0) {
            emit(prefix + "Date: " + MailDate.format(arrival));
        }
        if (addAll && (seen & (resent ? SEEN_RESENT_FROM : SEEN_FROM)) == 0) {
            emit(prefix + "From: " + (sender.isEmpty() ? "MAILER-DAEMON" : sender));
        }
        if (addAll && (seen & SEEN_VISIBLE_RCPT) == 0 && !settings.undisclosedRecipientsHeader.isEmpty()) {
            emit(settings.undisclosedRecipientsHeader);
        }
    }

    private void emit(String header) throws IOException {
        byte[] b = header.getBytes(StandardCharsets.UTF_8);
        out.line(b, 0, b.length);
    }
}
