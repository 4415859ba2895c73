package org.jmail.util;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ByteSearchTest {

    @Test
    void findsTheFirstMatchInEveryRangeLikeALinearScan() {
        Random rnd = new Random(7);
        for (int n = 0; n < 20000; n++) {
            byte[] b = new byte[rnd.nextInt(80)];
            for (int i = 0; i < b.length; i++) {
                // few distinct values, including the high bytes where the borrow trick could go wrong
                b[i] = (byte) new int[] {'\n', 'F', 0, 0x80, 0xff, 0x0b, 'a', 0x7f}[rnd.nextInt(8)];
            }
            byte v = (byte) new int[] {'\n', 'F', 0, 0x80, 0xff, 0x09}[rnd.nextInt(6)];
            int from = b.length == 0 ? 0 : rnd.nextInt(b.length + 1);
            int to = from + rnd.nextInt(b.length - from + 1);
            assertEquals(linear(b, v, from, to), ByteSearch.indexOf(b, v, from, to),
                    () -> "range " + from + ".." + to + " of " + java.util.Arrays.toString(b));
        }
    }

    @Test
    void aMatchInEachPositionOfAWordIsFound() {
        for (int pos = 0; pos < 40; pos++) {
            byte[] b = new byte[40];
            java.util.Arrays.fill(b, (byte) 'x');
            b[pos] = '\n';
            assertEquals(pos, ByteSearch.indexOf(b, (byte) '\n', 0, b.length));
            assertEquals(-1, ByteSearch.indexOf(b, (byte) '\n', pos + 1, b.length));
            assertEquals(-1, ByteSearch.indexOf(b, (byte) '\n', 0, pos));
        }
    }

    private static int linear(byte[] b, byte v, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == v) {
                return i;
            }
        }
        return -1;
    }
}
