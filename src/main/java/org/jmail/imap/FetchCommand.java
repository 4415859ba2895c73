package org.jmail.imap;

import java.io.IOException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jmail.store.Mailbox;
import org.jmail.store.StoreException;
import org.jmail.store.StoredMessage;

/**
 * FETCH and UID FETCH (RFC 3501 6.4.5): FLAGS, UID, INTERNALDATE, RFC822.SIZE, ENVELOPE, BODY,
 * BODYSTRUCTURE, RFC822, RFC822.HEADER, RFC822.TEXT, BODY[section]&lt;partial&gt; and
 * BODY.PEEK, the ALL/FAST/FULL macros, MODSEQ. Reads only what the items need: nothing for
 * FLAGS/UID/SIZE, the header alone (Mailbox.readHeader) for ENVELOPE and header sections,
 * the whole message otherwise. Non-peek body fetches set \Seen (one store call for the
 * whole set, before output) and report the new FLAGS in the same response.
 */
final class FetchCommand {

    enum Kind { UID, FLAGS, INTERNALDATE, SIZE, ENVELOPE, BODY, BODYSTRUCTURE, RFC822, RFC822_HEADER, RFC822_TEXT,
        SECTION, MODSEQ }

    /** One requested item; for SECTION the parsed section spec. */
    record Item(Kind kind, boolean peek, int[] path, String text, Set<String> fields, String echo,
                long partialStart, long partialLength) {
        static Item of(Kind k) {
            return new Item(k, true, null, null, null, null, -1, -1);
        }

        boolean needsFull() {
            return switch (kind) {
                case BODY, BODYSTRUCTURE, RFC822, RFC822_TEXT -> true;
                case SECTION -> path.length > 0 || !text.startsWith("HEADER");
                default -> false;
            };
        }

        boolean needsHeader() {
            return kind == Kind.ENVELOPE || kind == Kind.RFC822_HEADER || (kind == Kind.SECTION && !needsFull());
        }

        boolean setsSeen() {
            return kind == Kind.RFC822 || kind == Kind.RFC822_TEXT || (kind == Kind.SECTION && !peek);
        }
    }

    private final ImapSession s;
    private final ZoneId zone = ZoneId.systemDefault();

    FetchCommand(ImapSession s) {
        this.s = s;
    }

    void execute(ImapCommand cmd) throws IOException, ImapException, StoreException {
        SelectedMailbox sel = s.selected;
        List<ImapArg> args = cmd.args();
        if (args.size() < 2) {
            throw ImapException.bad("Missing arguments.");
        }
        if (args.size() > 3 || (args.size() == 3 && !(args.get(2) instanceof ImapArg.ListArg))) {
            throw ImapException.bad("Invalid arguments.");
        }
        List<Integer> idx = SelectedCommands.select(sel, args.get(0), cmd.isUid());
        List<Item> items = parseItems(args.get(1), cmd.isUid());
        boolean anySeen = false;
        boolean full = false;
        boolean header = false;
        boolean flagsRequested = false;
        for (Item it : items) {
            anySeen |= it.setsSeen();
            full |= it.needsFull();
            header |= it.needsHeader();
            flagsRequested |= it.kind == Kind.FLAGS;
        }
        Set<Long> seenNow = new HashSet<>();
        if (anySeen && !sel.readOnly()) {
            List<StoredMessage> view = sel.messages();
            List<Long> unseen = new ArrayList<>();
            for (int i : idx) {
                if (!view.get(i).has(StoredMessage.SEEN)) {
                    unseen.add(view.get(i).uid());
                }
            }
            if (!unseen.isEmpty()) {
                sel.setFlags(unseen, Set.of(StoredMessage.SEEN), Mailbox.FlagMode.ADD);
                seenNow.addAll(unseen);
            }
        }
        List<StoredMessage> view = sel.messages();
        ImapWriter out = s.out;
        StringBuilder b = new StringBuilder(256);
        boolean expungeIssued = false;
        for (int i : idx) {
            StoredMessage m = view.get(i);
            byte[] whole = null;
            byte[] hdr = null;
            try {
                if (full) {
                    whole = sel.box.read(m.uid());
                } else if (header) {
                    hdr = sel.box.readHeader(m.uid());
                }
            } catch (StoreException e) {
                if (e.kind() == StoreException.Kind.NONEXISTENT) {
                    // expunged behind our back (mutt, another session): skip it and say so
                    expungeIssued = true;
                    continue;
                }
                throw e;
            }
            Message msg = new Message(whole, hdr);
            b.setLength(0);
            b.append("* ").append(i + 1).append(" FETCH (");
            boolean first = true;
            boolean addFlags = seenNow.contains(m.uid()) && !flagsRequested;
            for (Item it : items) {
                if (!first) {
                    b.append(' ');
                }
                first = false;
                switch (it.kind) {
                    case UID -> b.append("UID ").append(m.uid());
                    case FLAGS -> {
                        b.append("FLAGS ");
                        SelectedMailbox.flags(b, m);
                    }
                    case INTERNALDATE -> b.append("INTERNALDATE ").append(ImapDate.format(m.internalDate(), zone));
                    case SIZE -> b.append("RFC822.SIZE ").append(m.size());
                    case MODSEQ -> b.append("MODSEQ (").append(m.modseq()).append(')');
                    case ENVELOPE -> {
                        b.append("ENVELOPE ");
                        Envelope.write(b, msg.header());
                    }
                    case BODY -> {
                        b.append("BODY ");
                        msg.mime().writeStructure(b, false);
                    }
                    case BODYSTRUCTURE -> {
                        b.append("BODYSTRUCTURE ");
                        msg.mime().writeStructure(b, true);
                    }
                    case RFC822 -> {
                        b.append("RFC822 ");
                        literal(b, whole, 0, whole.length);
                        s.stats.bodyCount++;
                        s.stats.bodyBytes += whole.length;
                    }
                    case RFC822_HEADER -> {
                        b.append("RFC822.HEADER ");
                        byte[] h = msg.headerBytes();
                        literal(b, h, 0, h.length);
                        s.stats.hdrCount++;
                        s.stats.hdrBytes += h.length;
                    }
                    case RFC822_TEXT -> {
                        b.append("RFC822.TEXT ");
                        int hs = MessageHeader.headerEnd(whole, 0, whole.length);
                        literal(b, whole, hs, whole.length - hs);
                        s.stats.bodyCount++;
                        s.stats.bodyBytes += whole.length - hs;
                    }
                    case SECTION -> section(b, it, msg);
                }
            }
            if (addFlags) {
                b.append(" FLAGS ");
                SelectedMailbox.flags(b, m);
            }
            b.append(")\r\n");
            out.text(b);
        }
        s.syncSelected(cmd.isUid(), cmd.isUid());
        s.tagged(cmd.tag(), expungeIssued ? "NO [EXPUNGEISSUED] Some of the requested messages no longer exist."
                : "OK Fetch completed.");
    }

    /** Lazily parsed views of one message. */
    private static final class Message {
        final byte[] whole;
        byte[] hdr;
        MessageHeader header;
        MimePart mime;

        Message(byte[] whole, byte[] hdr) {
            this.whole = whole;
            this.hdr = hdr;
        }

        byte[] headerBytes() {
            if (hdr == null) {
                int end = MessageHeader.headerEnd(whole, 0, whole.length);
                hdr = java.util.Arrays.copyOf(whole, end);
            }
            return hdr;
        }

        MessageHeader header() {
            if (header == null) {
                if (mime != null) {
                    header = mime.header;
                } else {
                    byte[] h = hdr != null ? hdr : whole;
                    header = MessageHeader.parse(h, 0, MessageHeader.headerEnd(h, 0, h.length));
                }
            }
            return header;
        }

        MimePart mime() {
            if (mime == null) {
                mime = MimePart.parse(whole);
            }
            return mime;
        }
    }

    /**
     * Writes a literal into the response being built: the text so far goes out first, then
     * the octets raw (they may be 8-bit, so they never pass through the StringBuilder).
     */
    private void literal(StringBuilder b, byte[] data, int off, int len) throws IOException {
        b.append('{').append(len).append("}\r\n");
        s.out.text(b);
        b.setLength(0);
        s.out.raw(data, off, len);
    }

    private void section(StringBuilder b, Item it, Message msg) throws IOException {
        b.append(it.echo);
        byte[] data;
        int off;
        int len;
        if (it.path.length == 0 && it.text.startsWith("HEADER") && msg.whole == null) {
            byte[] h = msg.headerBytes();
            MessageHeader mh = msg.header();
            if (it.text.equals("HEADER")) {
                data = h;
            } else {
                data = mh.select(it.fields, it.text.equals("HEADER.FIELDS.NOT"));
            }
            off = 0;
            len = data.length;
        } else {
            MimePart root = msg.mime();
            MimePart part = it.path.length == 0 ? root : root.find(it.path);
            if (part == null) {
                if (it.partialStart >= 0) {
                    b.append('<').append(it.partialStart).append('>');
                }
                b.append(" NIL");
                return;
            }
            MimePart target = part;
            if (part != root && part.isMessage() && part.message != null && !it.text.isEmpty()
                    && !it.text.equals("MIME")) {
                target = part.message;
            }
            data = root.data;
            switch (it.text) {
                case "" -> {
                    off = it.path.length == 0 ? 0 : part.bodyStart;
                    len = (it.path.length == 0 ? data.length : part.end) - off;
                }
                case "MIME" -> {
                    off = part.start;
                    len = part.bodyStart - part.start;
                }
                case "HEADER" -> {
                    off = target.start;
                    len = target.bodyStart - target.start;
                }
                case "TEXT" -> {
                    off = target.bodyStart;
                    len = target.end - target.bodyStart;
                }
                default -> {
                    data = target.header.select(it.fields, it.text.equals("HEADER.FIELDS.NOT"));
                    off = 0;
                    len = data.length;
                }
            }
        }
        if (it.text.startsWith("HEADER") || it.text.equals("MIME")) {
            s.stats.hdrCount++;
            s.stats.hdrBytes += len;
        } else {
            s.stats.bodyCount++;
            s.stats.bodyBytes += len;
        }
        if (it.partialStart >= 0) {
            b.append('<').append(it.partialStart).append('>');
            long st = Math.min(it.partialStart, len);
            long l = Math.min(it.partialLength, len - st);
            off += (int) st;
            len = (int) l;
        }
        b.append(' ');
        literal(b, data, off, len);
    }

    // ---------------------------------------------------------------- item parsing

    static List<Item> parseItems(ImapArg arg, boolean uid) throws ImapException {
        List<ImapArg> raw = new ArrayList<>();
        if (arg instanceof ImapArg.ListArg l) {
            raw.addAll(l.items());
            if (raw.isEmpty()) {
                throw ImapException.bad("Invalid arguments.");
            }
        } else {
            raw.add(arg);
        }
        List<Item> out = new ArrayList<>();
        if (uid) {
            out.add(Item.of(Kind.UID));
        }
        for (ImapArg a : raw) {
            if (!(a instanceof ImapArg.Atom atom)) {
                throw ImapException.bad("Invalid fetch attribute");
            }
            String v = atom.value();
            String u = v.toUpperCase(Locale.ROOT);
            switch (u) {
                case "ALL" -> addAll(out, Kind.FLAGS, Kind.INTERNALDATE, Kind.SIZE, Kind.ENVELOPE);
                case "FAST" -> addAll(out, Kind.FLAGS, Kind.INTERNALDATE, Kind.SIZE);
                case "FULL" -> addAll(out, Kind.FLAGS, Kind.INTERNALDATE, Kind.SIZE, Kind.ENVELOPE, Kind.BODY);
                case "UID" -> addAll(out, Kind.UID);
                case "FLAGS" -> addAll(out, Kind.FLAGS);
                case "INTERNALDATE" -> addAll(out, Kind.INTERNALDATE);
                case "RFC822.SIZE" -> addAll(out, Kind.SIZE);
                case "ENVELOPE" -> addAll(out, Kind.ENVELOPE);
                case "BODY" -> addAll(out, Kind.BODY);
                case "BODYSTRUCTURE" -> addAll(out, Kind.BODYSTRUCTURE);
                case "RFC822" -> out.add(new Item(Kind.RFC822, false, null, null, null, null, -1, -1));
                case "RFC822.HEADER" -> addAll(out, Kind.RFC822_HEADER);
                case "RFC822.TEXT" -> out.add(new Item(Kind.RFC822_TEXT, false, null, null, null, null, -1, -1));
                case "MODSEQ" -> addAll(out, Kind.MODSEQ);
                default -> {
                    if (u.startsWith("BODY[") || u.startsWith("BODY.PEEK[")) {
                        out.add(section(v));
                    } else {
                        throw ImapException.bad("Unknown parameter " + u);
                    }
                }
            }
        }
        return out;
    }

    private static void addAll(List<Item> out, Kind... kinds) {
        for (Kind k : kinds) {
            boolean present = false;
            for (Item i : out) {
                present |= i.kind == k;
            }
            if (!present) {
                out.add(Item.of(k));
            }
        }
    }

    static Item section(String v) throws ImapException {
        boolean peek = v.regionMatches(true, 0, "BODY.PEEK[", 0, 10);
        int open = v.indexOf('[');
        int close = v.indexOf(']', open);
        if (close < 0) {
            throw ImapException.bad("Invalid BODY[..] parameter: Missing ']'");
        }
        String spec = v.substring(open + 1, close);
        String rest = v.substring(close + 1);
        long pStart = -1;
        long pLen = -1;
        if (!rest.isEmpty()) {
            if (!rest.startsWith("<") || !rest.endsWith(">")) {
                throw ImapException.bad("Invalid BODY[..] parameter: Invalid partial");
            }
            String p = rest.substring(1, rest.length() - 1);
            int dot = p.indexOf('.');
            try {
                if (dot < 0) {
                    throw ImapException.bad("Invalid BODY[..] parameter: Invalid partial");
                }
                pStart = Long.parseLong(p.substring(0, dot));
                pLen = Long.parseLong(p.substring(dot + 1));
                if (pStart < 0 || pLen <= 0 && !p.substring(dot + 1).equals("0")) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                throw ImapException.bad("Invalid BODY[..] parameter: Invalid partial");
            }
        }
        List<Integer> path = new ArrayList<>();
        String text = spec;
        String fieldsPart = null;
        int paren = spec.indexOf('(');
        String head = paren < 0 ? spec : spec.substring(0, paren).strip();
        if (paren >= 0) {
            int pc = spec.lastIndexOf(')');
            if (pc < paren) {
                throw ImapException.bad("Invalid BODY[..] parameter: Missing ')'");
            }
            fieldsPart = spec.substring(paren + 1, pc);
        }
        String[] comps = head.isEmpty() ? new String[0] : head.split("\\.", -1);
        int k = 0;
        while (k < comps.length && !comps[k].isEmpty() && Character.isDigit(comps[k].charAt(0))) {
            try {
                int n = Integer.parseInt(comps[k]);
                if (n <= 0) {
                    throw new NumberFormatException();
                }
                path.add(n);
            } catch (NumberFormatException e) {
                throw ImapException.bad("Invalid BODY[..] parameter: Invalid part number");
            }
            k++;
        }
        text = String.join(".", java.util.Arrays.copyOfRange(comps, k, comps.length)).toUpperCase(Locale.ROOT);
        Set<String> fields = null;
        switch (text) {
            case "", "HEADER", "TEXT" -> {
                if (fieldsPart != null) {
                    throw ImapException.bad("Invalid BODY[..] parameter: Unknown section");
                }
            }
            case "MIME" -> {
                if (path.isEmpty() || fieldsPart != null) {
                    throw ImapException.bad("Invalid BODY[..] parameter: Unknown section");
                }
            }
            case "HEADER.FIELDS", "HEADER.FIELDS.NOT" -> {
                if (fieldsPart == null || fieldsPart.isBlank()) {
                    throw ImapException.bad("Invalid BODY[..] parameter: Missing header field names");
                }
                fields = new LinkedHashSet<>();
                for (String f : fieldsPart.strip().split("\\s+")) {
                    String name = f.replace("\"", "").toUpperCase(Locale.ROOT);
                    if (!name.isEmpty()) {
                        fields.add(name);
                    }
                }
            }
            default -> throw ImapException.bad("Invalid BODY[..] parameter: Unknown section");
        }
        StringBuilder echo = new StringBuilder("BODY[");
        for (int i = 0; i < path.size(); i++) {
            if (i > 0) {
                echo.append('.');
            }
            echo.append(path.get(i));
        }
        if (!text.isEmpty()) {
            if (!path.isEmpty()) {
                echo.append('.');
            }
            echo.append(text);
        }
        if (fields != null) {
            echo.append(" (").append(String.join(" ", fields)).append(')');
        }
        echo.append(']');
        int[] p = path.stream().mapToInt(Integer::intValue).toArray();
        return new Item(Kind.SECTION, peek, p, text, fields, echo.toString(), pStart, pLen);
    }
}
