package org.jmail.imap;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads and parses one IMAP command (RFC 3501 section 9 syntax) from {@link ImapInput}, as
 * Dovecot's imap-parser does: tag, command name (two words for UID commands), then atoms,
 * quoted strings, literals ({n} synchronizing, answered with "+ OK"; {n+} LITERAL+) and
 * parenthesised lists. An atom containing '[' runs to the matching ']' so FETCH's
 * {@code BODY[HEADER.FIELDS (A B)]<0.10>} stays one argument.
 *
 * <p>Limits: a whole command (lines plus literals) is bounded by {@code maxLine}
 * (imap_max_line_length), except APPEND whose literals may reach {@code appendLimit}; lists
 * nest at most {@link #MAX_DEPTH} deep. A synchronizing literal over the limit is refused
 * before the client sends it ({@link Error#literalTooBig}, NO [TOOBIG]); a non-synchronizing
 * one means the octets are already on their way and the connection has to end
 * ({@link Error#fatal}), as Dovecot does.
 */
final class ImapParser {

    static final int MAX_DEPTH = 100;

    /** Sends the "+ OK" continuation for a synchronizing literal. */
    interface LiteralGate {
        void continueLiteral() throws IOException;
    }

    /** A command the parser rejects; the session answers it and reads the next one. */
    static final class Error extends Exception {
        final String tag;
        final String name;
        final boolean fatal;
        final boolean literalTooBig;

        Error(String tag, String name, String message, boolean fatal, boolean literalTooBig) {
            super(message, null, false, false);
            this.tag = tag;
            this.name = name;
            this.fatal = fatal;
            this.literalTooBig = literalTooBig;
        }
    }

    private final ImapInput in;
    private final int maxLine;
    private final long appendLimit;
    private final LiteralGate gate;

    private byte[] line;
    private int pos;
    private long total;
    private String tag;
    private String name;
    private long literalLimit;
    private boolean append;

    ImapParser(ImapInput in, int maxLine, long appendLimit, LiteralGate gate) {
        this.in = in;
        this.maxLine = maxLine;
        this.appendLimit = appendLimit;
        this.gate = gate;
    }

    /** The name of the command being read (or last read), null before its name arrived. */
    String inProgress() {
        return name;
    }

    /** The next command, or null at end of input. Empty lines are skipped. */
    ImapCommand read() throws IOException, Error {
        tag = null;
        name = null;
        do {
            try {
                line = in.readLine(maxLine);
            } catch (ImapInput.LineTooLongException e) {
                throw new Error(null, null, "Too long argument.", false, false);
            }
            if (line == null) {
                return null;
            }
        } while (line.length == 0);
        pos = 0;
        total = line.length;
        try {
            tag = word();
            if (tag == null || !validTag(tag)) {
                String t = tag;
                tag = null;
                throw error(t == null ? "Missing tag." : "Invalid tag.");
            }
            if (!space()) {
                throw error("Missing command.");
            }
            name = word();
            if (name == null || name.isEmpty()) {
                throw error("Missing command.");
            }
            name = name.toUpperCase(Locale.ROOT);
            if (name.equals("UID") && space()) {
                String sub = word();
                if (sub != null) {
                    name = "UID " + sub.toUpperCase(Locale.ROOT);
                }
            }
            append = name.equals("APPEND");
            literalLimit = append ? appendLimit : maxLine;
            List<ImapArg> args = new ArrayList<>();
            while (true) {
                skipSpaces();
                if (pos >= line.length) {
                    break;
                }
                args.add(arg(0));
            }
            return new ImapCommand(tag, name, args);
        } catch (Error e) {
            if (!e.fatal && !e.literalTooBig) {
                drain();
            }
            throw e;
        }
    }

    /** After an error, skip the non-synchronizing literals the client is sending anyway. */
    private void drain() throws IOException {
        while (line != null) {
            int n = line.length;
            if (n < 4 || line[n - 1] != '}' || line[n - 2] != '+') {
                return;
            }
            int open = n - 3;
            while (open >= 0 && line[open] >= '0' && line[open] <= '9') {
                open--;
            }
            if (open < 0 || line[open] != '{' || open == n - 3) {
                return;
            }
            long size = Long.parseLong(new String(line, open + 1, n - 3 - open, StandardCharsets.US_ASCII));
            if (size > Math.max(maxLine, appendLimit)) {
                return;
            }
            in.readBytes((int) size);
            try {
                line = in.readLine(maxLine);
            } catch (ImapInput.LineTooLongException e) {
                return;
            }
        }
    }

    private static boolean validTag(String t) {
        if (t.isEmpty()) {
            return false;
        }
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c <= ' ' || c >= 0x7f || c == '(' || c == ')' || c == '{' || c == '%' || c == '*'
                    || c == '"' || c == '\\' || c == '+') {
                return false;
            }
        }
        return true;
    }

    private Error error(String msg) {
        return new Error(tag, name, msg, false, false);
    }

    private boolean space() {
        if (pos < line.length && line[pos] == ' ') {
            pos++;
            return true;
        }
        return false;
    }

    private void skipSpaces() {
        while (pos < line.length && line[pos] == ' ') {
            pos++;
        }
    }

    private String word() {
        int start = pos;
        while (pos < line.length && line[pos] != ' ') {
            pos++;
        }
        return pos == start ? null : new String(line, start, pos - start, StandardCharsets.ISO_8859_1);
    }

    private ImapArg arg(int depth) throws IOException, Error {
        byte c = line[pos];
        if (c == '(') {
            if (depth >= MAX_DEPTH) {
                throw error("Too deep parenthesis nesting.");
            }
            pos++;
            List<ImapArg> items = new ArrayList<>();
            while (true) {
                skipSpaces();
                if (pos >= line.length) {
                    throw error("Missing ')'");
                }
                if (line[pos] == ')') {
                    pos++;
                    return new ImapArg.ListArg(items);
                }
                items.add(arg(depth + 1));
            }
        }
        if (c == ')') {
            throw error("Unexpected ')'");
        }
        if (c == '"') {
            return quoted();
        }
        if (c == '{' || (c == '~' && pos + 1 < line.length && line[pos + 1] == '{')) {
            return literal();
        }
        return atom();
    }

    private ImapArg quoted() throws Error {
        pos++;
        byte[] out = new byte[line.length - pos];
        int n = 0;
        while (pos < line.length) {
            byte c = line[pos++];
            if (c == '"') {
                byte[] bytes = java.util.Arrays.copyOf(out, n);
                if (!validUtf8(bytes)) {
                    throw error("Invalid characters in quoted string.");
                }
                return new ImapArg.Str(bytes, false);
            }
            if (c == '\\') {
                if (pos >= line.length) {
                    break;
                }
                c = line[pos++];
            }
            out[n++] = c;
        }
        throw error("Missing '\"'");
    }

    private ImapArg literal() throws IOException, Error {
        if (line[pos] == '~') {
            pos++;
        }
        int start = pos + 1;
        int end = start;
        while (end < line.length && line[end] >= '0' && line[end] <= '9') {
            end++;
        }
        boolean nonSync = end < line.length && line[end] == '+';
        int close = nonSync ? end + 1 : end;
        if (end == start || end - start > 18 || close >= line.length || line[close] != '}') {
            throw error("Invalid literal size");
        }
        if (close != line.length - 1) {
            throw error("Literal must be at the end of the line");
        }
        long size = Long.parseLong(new String(line, start, end - start, StandardCharsets.US_ASCII));
        long limit = append ? literalLimit : maxLine - total;
        if (size > limit || size > Integer.MAX_VALUE - 64) {
            if (nonSync) {
                throw new Error(tag, name, "Literal size too large", true, true);
            }
            throw new Error(tag, name, "[TOOBIG] Literal size too large", false, true);
        }
        if (!nonSync) {
            gate.continueLiteral();
        }
        byte[] data = in.readBytes((int) size);
        total += size;
        try {
            line = in.readLine(maxLine);
        } catch (ImapInput.LineTooLongException e) {
            line = new byte[0];
            pos = 0;
            throw error("Too long argument.");
        }
        if (line == null) {
            throw new java.io.EOFException("connection closed after a literal");
        }
        total += line.length;
        if (!append && total > maxLine) {
            throw error("Too long argument.");
        }
        pos = 0;
        return new ImapArg.Str(data, true);
    }

    private ImapArg atom() throws Error {
        int start = pos;
        while (pos < line.length) {
            byte c = line[pos];
            if (c == ' ' || c == ')' || c == '(') {
                break;
            }
            if (c == '"' || c == '{' || (c >= 0 && c < ' ') || c == 0x7f) {
                throw error("Invalid characters in atom");
            }
            if (c == '[') {
                int close = pos + 1;
                while (close < line.length && line[close] != ']') {
                    close++;
                }
                if (close >= line.length) {
                    throw error("Missing ']'");
                }
                pos = close + 1;
                continue;
            }
            pos++;
        }
        if (pos == start) {
            throw error("Unexpected '" + (char) line[pos] + "'");
        }
        String s = new String(line, start, pos - start, StandardCharsets.UTF_8);
        return new ImapArg.Atom(s);
    }

    static boolean validUtf8(byte[] b) {
        boolean ascii = true;
        for (byte x : b) {
            if (x < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return true;
        }
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
