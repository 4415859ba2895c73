package org.jmail.table;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Postfix's readlline(3) over a whole table source: empty and whitespace-only lines and lines
 * whose first non-whitespace character is {@code #} are skipped; a line that starts with
 * whitespace continues the current logical line (its text, leading whitespace included, is
 * appended as is: the newline goes, as in Postfix). Each logical line carries the number of
 * the physical line it starts on, for file:line diagnostics.
 *
 * <p>A continuation line with no logical line to continue is reported (Postfix: "logical line
 * must not start with whitespace") and skipped. Input is decoded as UTF-8; invalid bytes are
 * replaced and reported once per file.
 */
final class LogicalLines {

    /** Receives each logical line. */
    interface Handler {
        void line(String text, int lineNumber) throws IOException;
    }

    private LogicalLines() {
    }

    /** Reads {@code file} and feeds its logical lines to {@code handler}. */
    static void read(Path file, Diagnostics diag, Handler handler) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        split(decode(bytes, file.toString(), diag), file.toString(), diag, handler);
    }

    static String decode(byte[] bytes, String name, Diagnostics diag) {
        CharsetDecoder strict = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer cb = strict.decode(ByteBuffer.wrap(bytes));
            return cb.toString();
        } catch (CharacterCodingException e) {
            if (diag != null) {
                diag.warnFile(name, "non-UTF-8 input: invalid bytes replaced");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** Splits already-decoded text into logical lines. */
    static void split(String text, String name, Diagnostics diag, Handler handler) throws IOException {
        int n = text.length();
        int pos = 0;
        int lineNo = 0;
        StringBuilder joined = null;   // only for logical lines that span physical lines
        String current = null;         // the logical line so far when it is one physical line
        int currentLine = 0;
        while (pos < n) {
            int eol = text.indexOf('\n', pos);
            int end = eol < 0 ? n : eol;
            lineNo++;
            int stop = end;
            if (stop > pos && text.charAt(stop - 1) == '\r') {
                stop--; // tolerate CRLF sources
            }
            int first = pos;
            while (first < stop && isSpace(text.charAt(first))) {
                first++;
            }
            if (first < stop && text.charAt(first) != '#') {
                if (first > pos) {
                    // Continuation of the current logical line.
                    if (current == null && joined == null) {
                        if (diag != null) {
                            String s = text.substring(pos, stop);
                            diag.warnFile(name, "logical line must not start with whitespace: \""
                                    + (s.length() > 30 ? s.substring(0, 30) + "..." : s) + "\"");
                        }
                    } else {
                        if (joined == null) {
                            joined = new StringBuilder(current);
                            current = null;
                        }
                        joined.append(text, pos, stop);
                    }
                } else {
                    flush(handler, current, joined, currentLine);
                    joined = null;
                    current = text.substring(pos, stop);
                    currentLine = lineNo;
                }
            }
            pos = eol < 0 ? n : eol + 1;
        }
        flush(handler, current, joined, currentLine);
    }

    private static void flush(Handler handler, String current, StringBuilder joined, int line) throws IOException {
        if (joined != null) {
            handler.line(joined.toString(), line);
        } else if (current != null) {
            handler.line(current, line);
        }
    }

    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == 0x0b;
    }

    /** Index of the last non-blank character + 1 (Postfix's trimblanks). */
    static int trimEnd(String s, int from) {
        int e = s.length();
        while (e > from && isSpace(s.charAt(e - 1))) {
            e--;
        }
        return e;
    }
}
