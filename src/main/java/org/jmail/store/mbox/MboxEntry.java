package org.jmail.store.mbox;

/**
 * One message of an mbox file as the store tracks it (mutable; owned by one {@link MboxFolder}).
 * Offsets are absolute file positions: {@code fromOff} the From_ line, {@code hdrOff} the first
 * header line, {@code bodyOff} the first body byte (after the empty line), {@code bodyEnd} the
 * end of the body (before the LF that separates it from the next From_ line), {@code nextOff}
 * the next From_ line or the end of file. {@code vsize} is the client-visible size (CRLF line
 * ends, metadata headers removed). {@code dirty} means the file's metadata headers (X-UID,
 * Status, X-Status, X-Keywords) don't yet say what {@code uid}/{@code flags}/{@code keywords}
 * say: written at the next rewrite, as Dovecot's lazy writes do.
 */
final class MboxEntry {
    long fromOff;
    long hdrOff;
    long bodyOff;
    long bodyEnd;
    long nextOff;
    long uid;
    /** X-UID as found in the file (0 = none or invalid), before UID assignment. */
    long fileUid;
    int flags;
    String[] keywords = NO_KEYWORDS;
    long vsize;
    long date;
    boolean dirty;
    /** Content-Length as found (-1 = none); informational. */
    long contentLength = -1;

    static final String[] NO_KEYWORDS = new String[0];

    MboxEntry copy() {
        MboxEntry e = new MboxEntry();
        e.fromOff = fromOff;
        e.hdrOff = hdrOff;
        e.bodyOff = bodyOff;
        e.bodyEnd = bodyEnd;
        e.nextOff = nextOff;
        e.uid = uid;
        e.fileUid = fileUid;
        e.flags = flags;
        e.keywords = keywords;
        e.vsize = vsize;
        e.date = date;
        e.dirty = dirty;
        e.contentLength = contentLength;
        return e;
    }

    void shift(long delta) {
        fromOff += delta;
        hdrOff += delta;
        bodyOff += delta;
        bodyEnd += delta;
        nextOff += delta;
    }
}
