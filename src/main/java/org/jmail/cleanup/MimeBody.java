package org.jmail.cleanup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jmail.queue.Bytes;
import org.jmail.util.ByteSearch;
import org.jmail.util.HeaderNames;

/**
 * The message body as Postfix's mime_state(3) sees it for content inspection: multipart
 * boundaries, the header block of each part ({@code mime_header_checks}) and of each
 * message/rfc822 part's message ({@code nested_header_checks}), and the remaining lines
 * ({@code body_checks}, within {@code body_checks_size_limit}). Only used when one of those
 * lists is set; every line is written out in order, changed only by the checks' IGNORE,
 * REPLACE and PREPEND. Boundaries nest at most {@link #NESTING_LIMIT} deep (Postfix's
 * mime_nesting_limit); deeper parts are plain body. Not thread-safe.
 */
final class MimeBody {

    static final int NESTING_LIMIT = 100;
    private static final Pattern BOUNDARY =
            Pattern.compile("(?i)[;\\s]boundary\\s*=\\s*(?:\"([^\"]*)\"|([^\\s;]+))");

    private final ContentChecks checks;
    private final ContentChecks.Verdict verdict;
    private final HeaderProcessor.Sink out;
    private final int headerSizeLimit;
    /** Open multipart boundaries, innermost last, as "--boundary" bytes. */
    private final List<byte[]> boundaries = new ArrayList<>();
    /** In a part's (or an encapsulated message's) header block. */
    private boolean inHeaders;
    /** The header block is an encapsulated message's (nested_header_checks). */
    private boolean nested;
    /** What the current header block's Content-Type asks for once the block ends. */
    private String pendingBoundary;
    private boolean pendingMessage;
    private final Bytes header = new Bytes(256);
    private long bodyChecked;

    /** @param primaryContentType the message's own Content-Type header (logical), or null */
    MimeBody(ContentChecks checks, ContentChecks.Verdict verdict, HeaderProcessor.Sink out, int headerSizeLimit,
             String primaryContentType) {
        this.checks = checks;
        this.verdict = verdict;
        this.out = out;
        this.headerSizeLimit = headerSizeLimit;
        contentType(primaryContentType);
        startBody();
    }

    /** One body line without its line end. */
    void line(byte[] b, int off, int len) throws IOException {
        if (inHeaders) {
            if (header.length() > 0 && len > 0 && (b[off] == ' ' || b[off] == '\t')) {
                if (header.length() < headerSizeLimit) {
                    header.append((byte) '\n');
                    header.append(b, off, len);
                }
                return;
            }
            flushHeader();
            if (len == 0) {
                out.line(b, off, 0);
                startBody();
                return;
            }
            if (HeaderNames.nameLength(b, off, len) > 0) {
                header.append(b, off, len);
                return;
            }
            startBody(); // not a header: the part's body starts without an empty line
        }
        if (len >= 2 && b[off] == '-' && b[off + 1] == '-' && boundary(b, off, len)) {
            out.line(b, off, len);
            return;
        }
        bodyLine(b, off, len);
    }

    /** End of content: a header block cut short is written out. */
    void end() throws IOException {
        flushHeader();
    }

    /** A "--boundary" or "--boundary--" line of an open multipart: true, and the state follows it. */
    private boolean boundary(byte[] b, int off, int len) {
        for (int i = boundaries.size() - 1; i >= 0; i--) {
            byte[] d = boundaries.get(i);
            if (len < d.length || !Arrays.equals(b, off, off + d.length, d, 0, d.length)) {
                continue;
            }
            int rest = off + d.length;
            int end = off + len;
            boolean close = end - rest >= 2 && b[rest] == '-' && b[rest + 1] == '-';
            int p = close ? rest + 2 : rest;
            while (p < end && (b[p] == ' ' || b[p] == '\t')) {
                p++;
            }
            if (p != end) {
                continue; // "--boundaryX": another boundary that starts alike
            }
            while (boundaries.size() > i + 1) {
                boundaries.remove(boundaries.size() - 1);
            }
            if (close) {
                boundaries.remove(i);
            } else {
                inHeaders = true;
                nested = false;
            }
            return true;
        }
        return false;
    }

    private void startBody() {
        inHeaders = false;
        if (pendingBoundary != null && boundaries.size() < NESTING_LIMIT) {
            boundaries.add(("--" + pendingBoundary).getBytes(StandardCharsets.ISO_8859_1));
        } else if (pendingMessage && boundaries.size() < NESTING_LIMIT) {
            inHeaders = true;
            nested = true;
        }
        pendingBoundary = null;
        pendingMessage = false;
    }

    /** Notes what a Content-Type header asks for at the end of its header block. */
    private void contentType(String header) {
        if (header == null) {
            return;
        }
        int colon = header.indexOf(':');
        String v = header.substring(colon + 1).strip().toLowerCase(Locale.ROOT);
        if (v.startsWith("multipart/")) {
            Matcher m = BOUNDARY.matcher(header.replace('\n', ' '));
            if (m.find()) {
                String bnd = m.group(1) != null ? m.group(1) : m.group(2);
                if (!bnd.isEmpty() && bnd.length() <= 2048) { // Postfix's mime_boundary_length_limit
                    pendingBoundary = bnd;
                }
            }
        } else if (v.startsWith("message/rfc822")) {
            pendingMessage = true;
        }
    }

    private void flushHeader() throws IOException {
        int n = header.length();
        if (n == 0) {
            return;
        }
        String h = new String(header.array(), 0, n, StandardCharsets.UTF_8);
        int colon = h.indexOf(':');
        if (colon > 0 && h.substring(0, colon).strip().equalsIgnoreCase("content-type")) {
            contentType(h);
        }
        String action = nested ? checks.nestedHeader(h) : checks.mimeHeader(h);
        ContentChecks.Verdict.Kind kind = ContentChecks.Verdict.Kind.KEEP;
        if (action != null) {
            ContentChecks.Verdict.Result r = verdict.act("header", h, action,
                    nested ? "nested_header_checks" : "mime_header_checks");
            kind = r.kind();
            if (kind == ContentChecks.Verdict.Kind.PREPEND || kind == ContentChecks.Verdict.Kind.REPLACE) {
                emit(r.text());
            }
        }
        if (kind == ContentChecks.Verdict.Kind.KEEP || kind == ContentChecks.Verdict.Kind.PREPEND) {
            // the bytes as received: the String above is only for the lookup, and would turn
            // 8-bit text that is not UTF-8 into replacement characters
            byte[] a = header.array();
            for (int start = 0; start <= n; ) {
                int nl = ByteSearch.indexOf(a, (byte) '\n', start, n);
                int end = nl < 0 ? n : nl;
                out.line(a, start, end - start);
                start = end + 1;
            }
        }
        header.clear();
    }

    private void bodyLine(byte[] b, int off, int len) throws IOException {
        if (!checks.hasBodyChecks() || bodyChecked >= checks.bodySizeLimit) {
            out.line(b, off, len);
            return;
        }
        bodyChecked += len + 1;
        String text = new String(b, off, len, StandardCharsets.UTF_8);
        String action = checks.body(text);
        if (action == null) {
            out.line(b, off, len);
            return;
        }
        ContentChecks.Verdict.Result r = verdict.act("body", text, action, "body_checks");
        switch (r.kind()) {
            case DROP -> {
                // IGNORE: the line is left out
            }
            case REPLACE -> emit(r.text());
            case PREPEND -> {
                emit(r.text());
                out.line(b, off, len);
            }
            default -> out.line(b, off, len);
        }
    }

    /** Writes text that may hold several lines (a folded header). */
    private void emit(String text) throws IOException {
        for (String l : text.split("\n", -1)) {
            byte[] b = l.getBytes(StandardCharsets.UTF_8);
            out.line(b, 0, b.length);
        }
    }
}
