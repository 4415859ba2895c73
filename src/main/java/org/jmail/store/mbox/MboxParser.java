package org.jmail.store.mbox;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import org.jmail.util.ByteSearch;

/**
 * Splits an mbox file (or its tail) into messages, the way Dovecot's istream-raw-mbox and
 * mbox-sync-parse do: a message starts at a From_ line with a valid date at the start of the
 * file or after a LF; a valid {@code Content-Length} (one that points at the next From_ line
 * or the end of file) protects "From " lines inside the body. Metadata headers ({@code
 * X-IMAPbase}, {@code X-IMAP}, {@code X-UID}, {@code Status}, {@code X-Status},
 * {@code X-Keywords}, {@code Content-Length}) are read and left out of the client size. An
 * {@code X-IMAP} header in the first message marks it as the c-client "FOLDER INTERNAL DATA"
 * pseudo message, which is not a message.
 *
 * <p>One pass with a 1 MiB buffer; no per-message allocations beyond the entry itself.
 * Bytes before the first From_ line are skipped. UIDs are not assigned here (see
 * {@link MboxFolder}): {@link MboxEntry#fileUid} carries the X-UID value as read.
 */
final class MboxParser {

    /** What the first message's X-IMAPbase / X-IMAP header said. */
    static final class Result {
        final List<MboxEntry> entries = new ArrayList<>();
        long uidValidity;
        long uidLast;
        String[] keywords = MboxEntry.NO_KEYWORDS;
        boolean imapBase;
        /** Where the pseudo message ends (0 when there is none). */
        long pseudoEnd;
        /** Bytes parsed up to (the file size seen). */
        long end;
    }

    private static final int BUF = 1 << 20;

    private final FileChannel ch;
    /** Where parsing stops: the size seen, or less when the file shrank under us. */
    private long end;
    private byte[] buf = new byte[BUF];
    private long bufStart;
    private int bufLen;

    MboxParser(FileChannel ch, long end) {
        this.ch = ch;
        this.end = end;
    }

    // per-message parse state
    private MboxEntry cur;
    private boolean inHeaders;
    private boolean inMeta;
    private boolean firstOfFile;
    private boolean pseudo;
    private boolean uidSeen;
    private long hdrV;
    private long bareLf;
    private boolean lastLfBare;
    private boolean lastLfCr;
    private int clState; // 0 unknown, 1 valid, 2 invalid
    private Result result;

    /** Parses from {@code start} (a From_ line, or 0) to the end given at construction. */
    Result parse(long start) throws IOException {
        result = new Result();
        result.end = end;
        firstOfFile = start == 0;
        bufStart = start;
        bufLen = 0;
        int pos = 0;
        boolean lineStart = true;
        fill(0);
        while (true) {
            int lf = ByteSearch.indexOf(buf, (byte) '\n', pos, bufLen);
            if (lf < 0) {
                long absEnd = bufStart + bufLen;
                if (absEnd < end) {
                    // compact and read more; a line longer than the buffer is handled in pieces
                    if (pos > 0) {
                        System.arraycopy(buf, pos, buf, 0, bufLen - pos);
                        bufStart += pos;
                        bufLen -= pos;
                        pos = 0;
                        fill(bufLen);
                        continue;
                    }
                    if (bufLen == buf.length) {
                        line(pos, bufLen - pos, false, lineStart);
                        lineStart = false;
                        bufStart += bufLen;
                        bufLen = 0;
                        fill(0);
                        continue;
                    }
                    fill(bufLen);
                    continue;
                }
                if (pos < bufLen) {
                    line(pos, bufLen - pos, false, lineStart);
                }
                break;
            }
            line(pos, lf - pos, true, lineStart);
            lineStart = true;
            pos = lf + 1;
        }
        finish(end);
        return result;
    }

    private void fill(int from) throws IOException {
        fillSome(from);
        if (bufLen == from && bufStart + from < end) {
            end = bufStart + from; // the file is shorter than its size said: stop there
            result.end = end;
        }
    }

    private void fillSome(int from) throws IOException {
        long want = Math.min(buf.length - from, end - (bufStart + from));
        ByteBuffer bb = ByteBuffer.wrap(buf, from, (int) want);
        long p = bufStart + from;
        while (bb.hasRemaining()) {
            int n = ch.read(bb, p);
            if (n < 0) {
                break;
            }
            p += n;
        }
        bufLen = from + (int) (p - (bufStart + from));
    }

    private void line(int off, int len, boolean hasLf, boolean lineStart) throws IOException {
        long abs = bufStart + off;
        boolean cr = len > 0 && buf[off + len - 1] == '\r';
        if (lineStart && len >= 5 && buf[off] == 'F' && buf[off + 1] == 'r' && buf[off + 2] == 'o'
                && buf[off + 3] == 'm' && buf[off + 4] == ' ' && isBoundary(abs)) {
            long date = FromLineDate.parse(buf, off, len);
            if (date != FromLineDate.INVALID) {
                if (cur != null) {
                    finish(abs);
                }
                start(abs, date, abs + len + (hasLf ? 1 : 0));
                return;
            }
        }
        if (cur == null) {
            return; // garbage before the first From_ line
        }
        if (inHeaders) {
            if (!lineStart) {
                if (!inMeta) {
                    hdrV += len + (hasLf ? (cr ? 1 : 2) : 0);
                }
                return;
            }
            if (len == 0 || (len == 1 && cr)) {
                hdrV += 2;
                inHeaders = false;
                cur.bodyOff = abs + len + (hasLf ? 1 : 0);
                bareLf = 0;
                lastLfBare = false;
                lastLfCr = false;
                return;
            }
            byte c = buf[off];
            if (c == ' ' || c == '\t') {
                if (!inMeta) {
                    hdrV += len + (hasLf ? (cr ? 1 : 2) : 0);
                }
                return;
            }
            inMeta = metadata(off, len);
            if (!inMeta) {
                hdrV += len + (hasLf ? (cr ? 1 : 2) : 0);
            }
            return;
        }
        if (hasLf) {
            lastLfBare = !cr;
            lastLfCr = cr;
            if (!cr) {
                bareLf++;
            }
        }
    }

    /** A From_ line at abs ends the current message unless a valid Content-Length says otherwise. */
    private boolean isBoundary(long abs) throws IOException {
        if (cur == null) {
            return true;
        }
        if (inHeaders || cur.contentLength < 0) {
            return !inHeaders || abs > cur.hdrOff; // a From_ line as first header is text
        }
        long target = cur.bodyOff + cur.contentLength;
        if (abs == target + 1) {
            return true;
        }
        if (abs > target + 1) {
            return true; // the Content-Length was wrong: we're past it
        }
        if (clState == 0) {
            clState = validContentLength(target) ? 1 : 2;
        }
        return clState == 2;
    }

    private boolean validContentLength(long target) throws IOException {
        if (target == end || (target == end - 1 && byteAt(target) == '\n')) {
            return true;
        }
        if (target + 6 > end) {
            return false;
        }
        ByteBuffer bb = ByteBuffer.allocate(6);
        long p = target;
        while (bb.hasRemaining()) {
            int n = ch.read(bb, p);
            if (n < 0) {
                return false;
            }
            p += n;
        }
        byte[] b = bb.array();
        return b[0] == '\n' && b[1] == 'F' && b[2] == 'r' && b[3] == 'o' && b[4] == 'm' && b[5] == ' ';
    }

    private byte byteAt(long p) throws IOException {
        ByteBuffer bb = ByteBuffer.allocate(1);
        ch.read(bb, p);
        return bb.get(0);
    }

    private void start(long abs, long date, long hdrOff) {
        cur = new MboxEntry();
        cur.fromOff = abs;
        cur.hdrOff = hdrOff;
        cur.bodyOff = -1;
        cur.date = date;
        inHeaders = true;
        inMeta = false;
        pseudo = false;
        uidSeen = false;
        hdrV = 0;
        bareLf = 0;
        lastLfBare = false;
        lastLfCr = false;
        clState = 0;
    }

    private void finish(long next) throws IOException {
        if (cur == null) {
            return;
        }
        MboxEntry e = cur;
        cur = null;
        e.nextOff = next;
        if (e.bodyOff < 0) {
            e.bodyOff = Math.min(next, Math.max(e.hdrOff, next)); // headers ran to the end
            e.bodyEnd = e.bodyOff;
        } else if (e.contentLength >= 0 && (e.bodyOff + e.contentLength == next - 1
                || (next == end && e.bodyOff + e.contentLength == end))) {
            e.bodyEnd = e.bodyOff + e.contentLength;
        } else if (next > e.bodyOff && (next < end || lastLineEndsWithLf(next))) {
            e.bodyEnd = next - 1;
            if (lastLfCr && e.bodyEnd > e.bodyOff) {
                e.bodyEnd--; // Dovecot: a CR before the separator LF belongs to it
            }
        } else {
            e.bodyEnd = next;
        }
        if (e.bodyEnd < e.bodyOff) {
            e.bodyEnd = e.bodyOff;
        }
        long lf = bareLf;
        if (e.bodyEnd == next - 1 && next > e.bodyOff && lastLfBare) {
            lf--; // the separator LF is not part of the message
        }
        e.vsize = hdrV + (e.bodyEnd - e.bodyOff) + Math.max(0, lf);
        if (firstOfFile && pseudo) {
            result.pseudoEnd = next;
        } else {
            result.entries.add(e);
        }
        firstOfFile = false;
    }

    private boolean lastLineEndsWithLf(long next) throws IOException {
        return next > 0 && byteAt(next - 1) == '\n';
    }

    private static final byte[][] NAMES = {
        "status".getBytes(), "x-status".getBytes(), "x-keywords".getBytes(), "x-uid".getBytes(),
        "x-imap".getBytes(), "x-imapbase".getBytes(), "content-length".getBytes(),
    };

    /** Parses a metadata header; false when the line is an ordinary header. */
    private boolean metadata(int off, int len) {
        byte c = buf[off];
        if (c != 'S' && c != 's' && c != 'X' && c != 'x' && c != 'C' && c != 'c') {
            return false;
        }
        int colon = -1;
        for (int i = off; i < off + len && i < off + 16; i++) {
            if (buf[i] == ':') {
                colon = i;
                break;
            }
        }
        if (colon < 0) {
            return false;
        }
        int nameEnd = colon;
        while (nameEnd > off && (buf[nameEnd - 1] == ' ' || buf[nameEnd - 1] == '\t')) {
            nameEnd--;
        }
        int which = -1;
        for (int k = 0; k < NAMES.length; k++) {
            if (NAMES[k].length == nameEnd - off && equalsLower(off, NAMES[k])) {
                which = k;
                break;
            }
        }
        if (which < 0) {
            return false;
        }
        int v = colon + 1;
        int ve = off + len;
        while (ve > v && (buf[ve - 1] == '\r' || buf[ve - 1] == ' ' || buf[ve - 1] == '\t')) {
            ve--;
        }
        while (v < ve && (buf[v] == ' ' || buf[v] == '\t')) {
            v++;
        }
        MboxEntry e = cur;
        switch (which) {
            case 0 -> e.flags |= Flags.parseStatus(buf, v, ve);
            case 1 -> e.flags |= Flags.parseXStatus(buf, v, ve);
            case 2 -> {
                if (e.keywords.length == 0) {
                    e.keywords = words(v, ve);
                }
            }
            case 3 -> {
                if (!uidSeen) {
                    uidSeen = true;
                    long u = digits(v, ve);
                    // Dovecot: X-UID before X-IMAPbase in the first message is not trusted
                    e.fileUid = firstOfFile && !result.imapBase ? 0 : Math.max(0, u);
                }
            }
            case 4, 5 -> {
                if (firstOfFile && !result.imapBase) {
                    imapBase(v, ve);
                    if (which == 4 && result.imapBase) {
                        pseudo = true;
                    }
                }
            }
            case 6 -> {
                if (e.contentLength < 0) {
                    e.contentLength = digits(v, ve);
                }
            }
            default -> { }
        }
        return true;
    }

    private void imapBase(int v, int ve) {
        int p = v;
        long validity = 0;
        while (p < ve && buf[p] >= '0' && buf[p] <= '9') {
            validity = validity * 10 + (buf[p++] - '0');
        }
        if (validity == 0 || validity > 0xffffffffL || (p < ve && buf[p] != ' ')) {
            return;
        }
        while (p < ve && buf[p] == ' ') {
            p++;
        }
        long last = 0;
        while (p < ve && buf[p] >= '0' && buf[p] <= '9') {
            last = last * 10 + (buf[p++] - '0');
        }
        result.imapBase = true;
        result.uidValidity = validity;
        result.uidLast = last;
        result.keywords = words(p, ve);
    }

    private String[] words(int v, int ve) {
        List<String> out = null;
        int p = v;
        while (p < ve) {
            while (p < ve && (buf[p] == ' ' || buf[p] == '\t')) {
                p++;
            }
            int s = p;
            while (p < ve && buf[p] != ' ' && buf[p] != '\t') {
                p++;
            }
            if (p > s) {
                if (out == null) {
                    out = new ArrayList<>(4);
                }
                String w = new String(buf, s, p - s, java.nio.charset.StandardCharsets.ISO_8859_1).intern();
                if (!out.contains(w)) {
                    out.add(w);
                }
            }
        }
        return out == null ? MboxEntry.NO_KEYWORDS : out.toArray(new String[0]);
    }

    /** Digits followed by nothing but blanks; -1 when broken. */
    private long digits(int v, int ve) {
        long n = 0;
        int p = v;
        if (p >= ve) {
            return -1;
        }
        while (p < ve && buf[p] >= '0' && buf[p] <= '9') {
            n = n * 10 + (buf[p++] - '0');
            if (n > 0xffffffffffL) {
                return -1;
            }
        }
        return p == ve ? n : -1;
    }

    private boolean equalsLower(int off, byte[] lower) {
        for (int k = 0; k < lower.length; k++) {
            int c = buf[off + k];
            if (c >= 'A' && c <= 'Z') {
                c += 32;
            }
            if (c != lower[k]) {
                return false;
            }
        }
        return true;
    }
}
