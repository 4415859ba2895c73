package org.jmail.smtpd;

/**
 * The receiving side of CHUNKING (RFC 3030) for one session: how many bytes of the current BDAT
 * chunk are still to come, and the splitting of chunk bytes into content lines. A line ends at
 * LF; a CR right before it is dropped, also when CR and LF arrive in different chunks. Chunk
 * bytes after an error in the transaction are counted and thrown away.
 *
 * <p>A BDAT transaction starts with the first accepted chunk ({@link #active()}) and ends with
 * the LAST chunk, RSET, HELO/EHLO or the end of the session. Not thread-safe.
 */
final class BdatReceiver {

    private static final byte[] CR = {'\r'};

    private long remaining;
    private long chunkSize;
    private long total;
    private boolean last;
    private boolean active;
    private boolean failed;
    private boolean discard;
    private String replyAfterDiscard;
    private boolean pendingCr;

    long remaining() {
        return remaining;
    }

    /** A BDAT transaction is in progress (MAIL, RCPT and DATA are refused meanwhile). */
    boolean active() {
        return active;
    }

    /** An earlier chunk of this transaction failed; later chunks are discarded. */
    boolean failed() {
        return failed;
    }

    void markFailed() {
        failed = true;
    }

    void begin() {
        active = true;
    }

    /** A chunk whose bytes go to the message. */
    void accept(long size, boolean isLast) {
        remaining = size;
        total += size;
        chunkSize = size;
        last = isLast;
        discard = false;
        replyAfterDiscard = null;
    }

    /** A chunk to throw away; {@code reply} (may be null) is sent when it has been read. */
    void discard(long size, boolean isLast, String reply) {
        remaining = size;
        chunkSize = size;
        last = isLast;
        discard = true;
        replyAfterDiscard = reply;
    }

    /** Bytes accepted in this BDAT transaction so far. */
    long total() {
        return total;
    }

    void reset() {
        remaining = 0;
        total = 0;
        chunkSize = 0;
        last = false;
        active = false;
        failed = false;
        discard = false;
        replyAfterDiscard = null;
        pendingCr = false;
    }

    /** Takes chunk bytes; when the chunk is complete, tells the session. */
    void take(SmtpSession s, byte[] b, int off, int len) {
        if (len > remaining) {
            throw new IllegalArgumentException("more BDAT bytes than announced");
        }
        remaining -= len;
        if (!discard && s.content != null) {
            split(s.content, b, off, len);
        }
        if (remaining == 0) {
            chunkDone(s);
        }
    }

    /** Called when a chunk is complete (also at once for an empty one). */
    void chunkDone(SmtpSession s) {
        if (discard) {
            boolean wasLast = last;
            String reply = replyAfterDiscard;
            discard = false;
            replyAfterDiscard = null;
            if (reply != null) {
                s.reply(reply);
                s.record("BDAT", false);
            }
            if (wasLast && active) {
                s.resetTransaction();
            }
            s.afterCommand();
            return;
        }
        if (last) {
            if (pendingCr) {
                s.content.fragment(CR, 0, 1, false);
                pendingCr = false;
            }
            s.endOfContent(SmtpSession.WHERE_BDAT_CONTENT);
            return;
        }
        ContentWriter w = s.content;
        if (w.tooBig()) {
            failed = true;
            s.reply("552 5.3.4 Chunk exceeds message size limit");
            s.record("BDAT", false);
        } else if (w.writeFailed()) {
            failed = true;
            s.reply("451 4.3.0 Error: queue file write error");
            s.record("BDAT", false);
        } else {
            s.reply("250 2.0.0 Ok: " + chunkSize + " bytes");
            s.record("BDAT", true);
        }
        s.afterCommand();
    }

    private void split(ContentWriter w, byte[] b, int off, int len) {
        int start = off;
        int end = off + len;
        for (int i = off; i < end; i++) {
            if (b[i] != '\n') {
                continue;
            }
            if (i == start && pendingCr) {
                // CR at the end of the previous chunk + LF here: an ordinary line end
                pendingCr = false;
                w.fragment(b, start, 0, true);
            } else {
                if (pendingCr) {
                    w.fragment(CR, 0, 1, false);
                    pendingCr = false;
                }
                int lineEnd = i > start && b[i - 1] == '\r' ? i - 1 : i;
                w.fragment(b, start, lineEnd - start, true);
            }
            start = i + 1;
        }
        if (start < end) {
            if (pendingCr) {
                w.fragment(CR, 0, 1, false);
                pendingCr = false;
            }
            int keep = end;
            if (b[end - 1] == '\r') {
                // the LF may open the next chunk
                pendingCr = true;
                keep--;
            }
            if (keep > start) {
                w.fragment(b, start, keep - start, false);
            }
        }
    }
}
