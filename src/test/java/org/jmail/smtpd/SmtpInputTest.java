package org.jmail.smtpd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SmtpInputTest {

    private static SmtpInput input(String s) {
        return new SmtpInput(new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1)), 64, () -> { });
    }

    private static String line(SmtpInput in) {
        return new String(in.buffer(), in.start(), in.length(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void crlfAndBareLfBothEndLinesAndBareCrIsContent() throws IOException {
        SmtpInput in = input("one\r\ntwo\nthree\rstill\r\n");
        assertTrue(in.readLine(20));
        assertEquals("one", line(in));
        assertFalse(in.bareLf());
        assertTrue(in.readLine(20));
        assertEquals("two", line(in));
        assertTrue(in.bareLf());
        assertTrue(in.readLine(20));
        assertEquals("three\rstill", line(in));
        assertTrue(in.endOfLine());
        assertFalse(in.readLine(20));
    }

    @Test
    void longLinesComeInPiecesThatJoinToTheOriginal() throws IOException {
        String longLine = "x".repeat(150) + "y";
        SmtpInput in = input(longLine + "\r\nnext\r\n");
        StringBuilder joined = new StringBuilder();
        int pieces = 0;
        do {
            assertTrue(in.readLine(40));
            joined.append(line(in));
            pieces++;
        } while (!in.endOfLine());
        assertEquals(longLine, joined.toString());
        assertTrue(pieces >= 4);
        assertTrue(in.readLine(40));
        assertEquals("next", line(in));
    }

    @Test
    void lineOfExactlyMaxBytesIsWhole() throws IOException {
        SmtpInput in = input("abcd\r\nabcd\n");
        assertTrue(in.readLine(4));
        assertEquals("abcd", line(in));
        assertTrue(in.endOfLine());
        assertTrue(in.readLine(4));
        assertEquals("abcd", line(in));
        assertTrue(in.endOfLine());
    }

    @Test
    void skipLineDropsTheRestOfAnOverlongCommand() throws IOException {
        SmtpInput in = input("A".repeat(100) + "\r\nNOOP\r\n");
        assertTrue(in.readLine(10));
        assertFalse(in.endOfLine());
        assertTrue(in.skipLine());
        assertTrue(in.readLine(10));
        assertEquals("NOOP", line(in));
    }

    @Test
    void unterminatedLastLineIsEndOfInput() throws IOException {
        SmtpInput in = input("QUIT");
        assertFalse(in.readLine(10));
    }

    @Test
    void rawBytesForBdat() throws IOException {
        SmtpInput in = input("BDAT 5\r\nab\ncdNOOP\r\n");
        assertTrue(in.readLine(20));
        assertEquals(5, in.readBytes(5));
        assertEquals("ab\ncd", line(in));
        assertTrue(in.readLine(20));
        assertEquals("NOOP", line(in));
        assertEquals(0, in.readBytes(3));
    }

    /** Delivers its data in slices, as a network would: a slice "arrives" only when read. */
    private static final class SlicedStream extends InputStream {
        private final List<byte[]> slices = new ArrayList<>();
        private int index;
        private int offset;
        private boolean arrived;

        SlicedStream(String... parts) {
            for (String p : parts) {
                slices.add(p.getBytes(StandardCharsets.ISO_8859_1));
            }
        }

        @Override
        public int read() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (index >= slices.size()) {
                return -1;
            }
            arrived = true;
            byte[] s = slices.get(index);
            int n = Math.min(len, s.length - offset);
            System.arraycopy(s, offset, b, off, n);
            offset += n;
            if (offset == s.length) {
                index++;
                offset = 0;
                arrived = false;
            }
            return n;
        }

        @Override
        public int available() {
            return arrived && index < slices.size() ? slices.get(index).length - offset : 0;
        }
    }

    @Test
    void repliesAreFlushedOnlyWhenThePipelinedInputIsDrained() throws IOException {
        List<String> events = new ArrayList<>();
        SlicedStream net = new SlicedStream("MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDA", "TA\r\n");
        SmtpInput in = new SmtpInput(net, 64, () -> events.add("flush"));
        assertTrue(in.readLine(60));
        events.add(line(in));
        assertTrue(in.pending(), "the client already sent more");
        assertTrue(in.readLine(60));
        events.add(line(in));
        assertTrue(in.readLine(60));
        events.add(line(in));
        // MAIL and RCPT were answered from the buffer without a flush; only waiting for the rest
        // of "DATA" (nothing in the socket) sends the queued replies
        assertEquals(List.of("flush", "MAIL FROM:<a@b>", "RCPT TO:<c@d>", "flush", "DATA"), events);
    }

    @Test
    void peekEscapesControls() throws IOException {
        SmtpInput in = input("NOOP\r\nRSET\r\n\u0001");
        assertTrue(in.readLine(20));
        assertEquals("RSET\\r\\n\\001", in.peek(100));
    }
}
