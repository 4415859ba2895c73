package org.jmail.imap;

import java.io.IOException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.jmail.store.StoreException;
import org.jmail.store.StoredMessage;

/**
 * SEARCH and UID SEARCH (RFC 3501 6.4.4) with every key of the RFC: flags, NEW/OLD/RECENT,
 * KEYWORD, dates on INTERNALDATE (BEFORE/ON/SINCE) and on Date: (SENT*), sizes, header
 * substrings (FROM/TO/CC/BCC/SUBJECT/HEADER, RFC 2047 words decoded), BODY/TEXT substrings,
 * sequence and UID sets, NOT, OR and parenthesised lists. Substrings match case-insensitively.
 * CHARSET UTF-8 and US-ASCII are accepted, others answer NO [BADCHARSET]. Messages are read
 * only when a key needs the header or body, and only as far as it needs.
 */
final class SearchCommand {

    /** The data one message offers to the keys, loaded on first use. */
    final class Candidate {
        final int seq;
        final StoredMessage m;
        private MessageHeader header;
        private byte[] whole;

        Candidate(int seq, StoredMessage m) {
            this.seq = seq;
            this.m = m;
        }

        MessageHeader header() throws StoreException {
            if (header == null) {
                byte[] h = whole != null ? whole : s.selected.box.readHeader(m.uid());
                header = MessageHeader.parse(h, 0, MessageHeader.headerEnd(h, 0, h.length));
            }
            return header;
        }

        byte[] whole() throws StoreException {
            if (whole == null) {
                whole = s.selected.box.read(m.uid());
            }
            return whole;
        }
    }

    interface Key {
        boolean test(Candidate c) throws StoreException;
    }

    private final ImapSession s;
    private final ZoneId zone = ZoneId.systemDefault();
    private List<ImapArg> args;
    private int pos;
    private int depth;

    SearchCommand(ImapSession s) {
        this.s = s;
    }

    void execute(ImapCommand cmd) throws IOException, ImapException, StoreException {
        args = cmd.args();
        pos = 0;
        if (args.isEmpty()) {
            throw ImapException.bad("Missing SEARCH arguments.");
        }
        if (args.get(0) instanceof ImapArg.Atom a && a.value().equalsIgnoreCase("RETURN")) {
            throw ImapException.bad("ESEARCH is not supported");
        }
        if (args.get(0) instanceof ImapArg.Atom a && a.value().equalsIgnoreCase("CHARSET")) {
            if (args.size() < 3 || args.get(1).astring() == null) {
                throw ImapException.bad("Missing CHARSET");
            }
            String cs = args.get(1).astring().toUpperCase(Locale.ROOT);
            if (!cs.equals("UTF-8") && !cs.equals("US-ASCII") && !cs.equals("UTF8")) {
                s.tagged(cmd.tag(), "NO [BADCHARSET (US-ASCII UTF-8)] Unsupported charset " + cs);
                return;
            }
            pos = 2;
        }
        List<Key> keys = new ArrayList<>();
        while (pos < args.size()) {
            keys.add(key());
        }
        Key all = and(keys);
        List<StoredMessage> view = s.selected.messages();
        StringBuilder b = new StringBuilder("* SEARCH");
        for (int i = 0; i < view.size(); i++) {
            Candidate c = new Candidate(i + 1, view.get(i));
            boolean hit;
            try {
                hit = all.test(c);
            } catch (StoreException e) {
                if (e.kind() == StoreException.Kind.NONEXISTENT) {
                    continue;
                }
                throw e;
            }
            if (hit) {
                b.append(' ').append(cmd.isUid() ? c.m.uid() : c.seq);
            }
        }
        s.out.line(b);
        s.syncSelected(cmd.isUid(), cmd.isUid());
        s.tagged(cmd.tag(), "OK Search completed.");
    }

    private static Key and(List<Key> keys) {
        if (keys.size() == 1) {
            return keys.get(0);
        }
        return c -> {
            for (Key k : keys) {
                if (!k.test(c)) {
                    return false;
                }
            }
            return true;
        };
    }

    private ImapArg next() throws ImapException {
        if (pos >= args.size()) {
            throw ImapException.bad("Missing argument");
        }
        return args.get(pos++);
    }

    private String string() throws ImapException {
        String v = next().astring();
        if (v == null) {
            throw ImapException.bad("Invalid search argument");
        }
        return v;
    }

    private long number() throws ImapException {
        String v = string();
        try {
            long n = Long.parseLong(v);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw ImapException.bad("Invalid search number");
        }
    }

    private LocalDate date() throws ImapException {
        LocalDate d = ImapDate.parseDate(string());
        if (d == null) {
            throw ImapException.bad("Invalid search date parameter");
        }
        return d;
    }

    private Key key() throws ImapException {
        // NOT NOT NOT … and OR chains recurse like lists do: bound them the same way
        if (++depth > ImapParser.MAX_DEPTH) {
            throw ImapException.bad("Too deep nesting");
        }
        try {
            return keyAt();
        } finally {
            depth--;
        }
    }

    private Key keyAt() throws ImapException {
        ImapArg a = next();
        if (a instanceof ImapArg.ListArg l) {
            List<ImapArg> saved = args;
            int savedPos = pos;
            args = l.items();
            pos = 0;
            List<Key> keys = new ArrayList<>();
            while (pos < args.size()) {
                keys.add(key());
            }
            args = saved;
            pos = savedPos;
            if (keys.isEmpty()) {
                throw ImapException.bad("Empty search list");
            }
            return and(keys);
        }
        if (!(a instanceof ImapArg.Atom atom)) {
            throw ImapException.bad("Unknown argument " + a);
        }
        String k = atom.value().toUpperCase(Locale.ROOT);
        switch (k) {
            case "ALL":
                return c -> true;
            case "ANSWERED":
                return flag("\\Answered", true);
            case "UNANSWERED":
                return flag("\\Answered", false);
            case "DELETED":
                return flag("\\Deleted", true);
            case "UNDELETED":
                return flag("\\Deleted", false);
            case "DRAFT":
                return flag("\\Draft", true);
            case "UNDRAFT":
                return flag("\\Draft", false);
            case "FLAGGED":
                return flag("\\Flagged", true);
            case "UNFLAGGED":
                return flag("\\Flagged", false);
            case "SEEN":
                return flag("\\Seen", true);
            case "UNSEEN":
                return flag("\\Seen", false);
            case "RECENT":
                return c -> c.m.recent();
            case "OLD":
                return c -> !c.m.recent();
            case "NEW":
                return c -> c.m.recent() && !c.m.has("\\Seen");
            case "KEYWORD": {
                String kw = string();
                return c -> hasKeyword(c.m, kw);
            }
            case "UNKEYWORD": {
                String kw = string();
                return c -> !hasKeyword(c.m, kw);
            }
            case "LARGER": {
                long n = number();
                return c -> c.m.size() > n;
            }
            case "SMALLER": {
                long n = number();
                return c -> c.m.size() < n;
            }
            case "BEFORE": {
                LocalDate d = date();
                return c -> internal(c).isBefore(d);
            }
            case "ON": {
                LocalDate d = date();
                return c -> internal(c).isEqual(d);
            }
            case "SINCE": {
                LocalDate d = date();
                return c -> !internal(c).isBefore(d);
            }
            case "SENTBEFORE": {
                LocalDate d = date();
                return c -> {
                    LocalDate x = sent(c);
                    return x != null && x.isBefore(d);
                };
            }
            case "SENTON": {
                LocalDate d = date();
                return c -> {
                    LocalDate x = sent(c);
                    return x != null && x.isEqual(d);
                };
            }
            case "SENTSINCE": {
                LocalDate d = date();
                return c -> {
                    LocalDate x = sent(c);
                    return x != null && !x.isBefore(d);
                };
            }
            case "FROM":
            case "TO":
            case "CC":
            case "BCC":
            case "SUBJECT": {
                String field = k.equals("SUBJECT") ? "Subject" : k;
                String needle = string().toLowerCase(Locale.ROOT);
                return c -> headerContains(c, field, needle);
            }
            case "HEADER": {
                String field = string();
                String needle = string().toLowerCase(Locale.ROOT);
                return c -> headerContains(c, field, needle);
            }
            case "BODY": {
                String needle = string().toLowerCase(Locale.ROOT);
                return c -> {
                    byte[] w = c.whole();
                    return BodyText.contains(w, MessageHeader.headerEnd(w, 0, w.length), needle);
                };
            }
            case "TEXT": {
                String text = string().toLowerCase(Locale.ROOT);
                return c -> {
                    byte[] w = c.whole();
                    if (BodyText.contains(w, 0, text)) {
                        return true;
                    }
                    for (MessageHeader.Field f : c.header().fields()) {
                        if (decoded(c.header().valueOf(f)).toLowerCase(Locale.ROOT).contains(text)) {
                            return true;
                        }
                    }
                    return false;
                };
            }
            case "NOT": {
                Key inner = key();
                return c -> !inner.test(c);
            }
            case "OR": {
                Key x = key();
                Key y = key();
                return c -> x.test(c) || y.test(c);
            }
            case "UID": {
                ImapArg set = next();
                List<StoredMessage> view = s.selected.messages();
                SequenceSet.Resolved r = resolve(set, view.isEmpty() ? 0 : view.get(view.size() - 1).uid());
                return c -> r.contains(c.m.uid());
            }
            case "MODSEQ":
                throw ImapException.bad("CONDSTORE is not supported");
            default:
                if (SequenceSet.looksLike(k)) {
                    SequenceSet.Resolved r = resolve(atom, s.selected.messages().size());
                    return c -> r.contains(c.seq);
                }
                throw ImapException.bad("Unknown argument " + k);
        }
    }

    private static SequenceSet.Resolved resolve(ImapArg arg, long star) throws ImapException {
        String v = arg.astring();
        if (v == null || !SequenceSet.looksLike(v)) {
            throw ImapException.bad("Invalid messageset");
        }
        try {
            return SequenceSet.parse(v).resolve(star);
        } catch (IllegalArgumentException e) {
            throw ImapException.bad("Invalid messageset");
        }
    }

    private static Key flag(String f, boolean set) {
        return c -> c.m.has(f) == set;
    }

    private static boolean hasKeyword(StoredMessage m, String kw) {
        for (String f : m.flags()) {
            if (f.equalsIgnoreCase(kw)) {
                return true;
            }
        }
        return false;
    }

    private LocalDate internal(Candidate c) {
        return c.m.internalDate().atZone(zone).toLocalDate();
    }

    /** The date of the Date: header as written (its own zone), or null when unparsable. */
    private static LocalDate sent(Candidate c) throws StoreException {
        String d = c.header().value("Date");
        if (d == null) {
            return null;
        }
        String[] t = d.replace(',', ' ').strip().split("\\s+");
        int i = 0;
        if (i < t.length && !t[i].isEmpty() && Character.isLetter(t[i].charAt(0))) {
            i++;
        }
        if (t.length < i + 3) {
            return null;
        }
        try {
            int day = Integer.parseInt(t[i]);
            int month = ImapDate.month(t[i + 1].length() > 3 ? t[i + 1].substring(0, 3) : t[i + 1]);
            int year = Integer.parseInt(t[i + 2]);
            if (year < 50) {
                year += 2000;
            } else if (year < 1000) {
                year += 1900;
            }
            return month < 0 ? null : LocalDate.of(year, month, day);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static boolean headerContains(Candidate c, String field, String needle) throws StoreException {
        List<String> values = c.header().values(field);
        if (needle.isEmpty()) {
            return !values.isEmpty();
        }
        for (String v : values) {
            if (decoded(v).toLowerCase(Locale.ROOT).contains(needle)) {
                return true;
            }
        }
        return false;
    }

    static String decoded(String v) {
        if (v.indexOf("=?") < 0) {
            return v;
        }
        try {
            return DecoderUtil.decodeEncodedWords(v, DecodeMonitor.SILENT);
        } catch (RuntimeException e) {
            return v;
        }
    }

    /** Case-insensitive (ASCII folding) search of a lower-cased needle. */
    static int indexOfIgnoreCase(byte[] hay, int from, int to, byte[] needle) {
        if (needle.length == 0) {
            return from;
        }
        byte first = needle[0];
        outer:
        for (int i = from; i <= to - needle.length; i++) {
            byte c = hay[i];
            if (c >= 'A' && c <= 'Z') {
                c += 32;
            }
            if (c != first) {
                continue;
            }
            for (int k = 1; k < needle.length; k++) {
                byte x = hay[i + k];
                if (x >= 'A' && x <= 'Z') {
                    x += 32;
                }
                if (x != needle[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
