package org.jmail.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Makes new inputs from a corpus of valid ones, knowing what hurts parsers: bit flips, byte
 * insert/delete, splicing two inputs, huge repetition of a piece, deep nesting of brackets,
 * NUL/CR/LF/8-bit/invalid UTF-8 injection, numbers at the int/long limits, the target's own
 * keywords (its dictionary), line-level shuffles, and now and then purely random bytes.
 *
 * <p>Deterministic for a given {@link Random}: the same seed gives the same inputs, so a CI
 * run is repeatable and a failure can be replayed from the seed printed in the test output.
 * Outputs are capped at {@code maxLength} bytes except for the deliberate giant repetitions,
 * which are capped at {@code hugeLength}.
 */
final class Mutator {

    private static final byte[][] INTERESTING_BYTES = {
            {0}, {(byte) 0xff}, {'\r'}, {'\n'}, {'\r', '\n'}, {(byte) 0x80}, {(byte) 0xc0, (byte) 0x80},
            {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
            {(byte) 0xe2, (byte) 0x82}, {(byte) 0xc3, (byte) 0xa9}, {'('}, {')'}, {'['}, {']'}, {'{'}, {'}'},
            {'<'}, {'>'}, {'"'}, {'\\'}, {' '}, {'\t'}, {'%'}, {'$'}, {'*'}, {':'}, {'@'}, {','}, {'='},
            {0x7f}, {0x1b}};

    private static final String[] NUMBERS = {
            "0", "-1", "1", "2147483647", "2147483648", "-2147483648", "4294967295", "4294967296",
            "9223372036854775807", "9223372036854775808", "-9223372036854775808", "18446744073709551616",
            "99999999999999999999999999", "00000000000000000001", "1e9", "0x10", "4294967295:*", "*:1",
            "1:4294967295", "{4294967295}\r\n", "{4294967295+}\r\n", "{2147483648}\r\n", "{-1}\r\n",
            "{99999999999999999999}\r\n", "~{4294967295}\r\n"};

    private final Random random;
    private final List<byte[]> corpus;
    private final byte[][] dictionary;
    private final int maxLength;
    private final int hugeLength;

    Mutator(Random random, List<byte[]> corpus, List<String> dictionary, int maxLength, int hugeLength) {
        this.random = random;
        this.corpus = corpus;
        this.dictionary = dictionary.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
        this.maxLength = maxLength;
        this.hugeLength = hugeLength;
    }

    /** The next input: mostly a corpus entry with 1–8 stacked mutations, sometimes random bytes. */
    byte[] next() {
        int r = random.nextInt(100);
        if (r < 4 || corpus.isEmpty()) {
            return randomBytes(random.nextInt(r < 1 ? maxLength : 512) + 1);
        }
        byte[] b = corpus.get(random.nextInt(corpus.size()));
        int n = 1 + random.nextInt(random.nextBoolean() ? 2 : 8);
        for (int i = 0; i < n; i++) {
            b = mutate(b);
        }
        return b;
    }

    byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private byte[] mutate(byte[] b) {
        if (b.length == 0) {
            return insert(b, 0, token());
        }
        int at = random.nextInt(b.length + 1);
        switch (random.nextInt(16)) {
            case 0: { // bit flip
                byte[] c = b.clone();
                int i = random.nextInt(c.length);
                c[i] ^= (byte) (1 << random.nextInt(8));
                return c;
            }
            case 1: // an interesting byte sequence inserted
                return insert(b, at, INTERESTING_BYTES[random.nextInt(INTERESTING_BYTES.length)]);
            case 2: { // an interesting byte overwriting one
                byte[] c = b.clone();
                byte[] v = INTERESTING_BYTES[random.nextInt(INTERESTING_BYTES.length)];
                c[random.nextInt(c.length)] = v[0];
                return c;
            }
            case 3: // random bytes inserted
                return insert(b, at, randomBytes(1 + random.nextInt(16)));
            case 4: { // a range deleted
                int from = random.nextInt(b.length);
                int len = 1 + random.nextInt(Math.min(b.length - from, 64));
                return cut(b, from, from + len);
            }
            case 5: { // a range repeated many times
                int from = random.nextInt(b.length);
                int len = 1 + random.nextInt(Math.min(b.length - from, 32));
                int times = random.nextInt(10) == 0 ? hugeLength / len : 2 + random.nextInt(200);
                return insert(b, from, repeat(Arrays.copyOfRange(b, from, from + len), times, hugeLength));
            }
            case 6: { // splice: a prefix of this one, the tail of another
                byte[] o = corpus.get(random.nextInt(corpus.size()));
                int split = random.nextInt(o.length + 1);
                return insert(Arrays.copyOf(b, at), at, Arrays.copyOfRange(o, split, o.length));
            }
            case 7:
            case 8: // a keyword of the target
                return insert(b, at, token());
            case 9: // a number at a limit
                return insert(b, at, NUMBERS[random.nextInt(NUMBERS.length)].getBytes(StandardCharsets.US_ASCII));
            case 10: // a number in the input replaced by one at a limit
                return replaceNumber(b);
            case 11: { // deep nesting
                String[] open = {"(", "[", "{", "<", "${", "$(", "\"", "((", "(\""};
                String o = open[random.nextInt(open.length)];
                int depth = random.nextInt(5) == 0 ? 100_000 : 1 + random.nextInt(300);
                return insert(b, at, repeat(o.getBytes(StandardCharsets.US_ASCII), depth, hugeLength));
            }
            case 12:
                return lineShuffle(b);
            case 13: // truncation
                return Arrays.copyOf(b, random.nextInt(b.length + 1));
            case 14: { // 8-bit garbage run
                byte[] g = randomBytes(1 + random.nextInt(8));
                for (int i = 0; i < g.length; i++) {
                    g[i] |= (byte) 0x80;
                }
                return insert(b, at, g);
            }
            default: { // CR or LF stripped/added at a line end
                byte[] c = b.clone();
                for (int i = random.nextInt(c.length); i < c.length; i++) {
                    if (c[i] == '\r' || c[i] == '\n') {
                        c[i] = random.nextBoolean() ? (byte) ' ' : (c[i] == '\r' ? (byte) '\n' : (byte) '\r');
                        break;
                    }
                }
                return c;
            }
        }
    }

    private byte[] token() {
        if (dictionary.length == 0) {
            return randomBytes(4);
        }
        return dictionary[random.nextInt(dictionary.length)];
    }

    private byte[] insert(byte[] b, int at, byte[] piece) {
        int len = Math.min(piece.length, Math.max(0, hugeLength - b.length));
        byte[] c = new byte[b.length + len];
        System.arraycopy(b, 0, c, 0, at);
        System.arraycopy(piece, 0, c, at, len);
        System.arraycopy(b, at, c, at + len, b.length - at);
        return c.length > maxLength && piece.length < maxLength ? Arrays.copyOf(c, maxLength) : c;
    }

    private static byte[] cut(byte[] b, int from, int to) {
        byte[] c = new byte[b.length - (to - from)];
        System.arraycopy(b, 0, c, 0, from);
        System.arraycopy(b, to, c, from, b.length - to);
        return c;
    }

    static byte[] repeat(byte[] piece, int times, int cap) {
        long total = Math.min((long) piece.length * times, cap);
        byte[] out = new byte[(int) total];
        for (int i = 0; i < out.length; i++) {
            out[i] = piece[i % piece.length];
        }
        return out;
    }

    private byte[] replaceNumber(byte[] b) {
        List<int[]> runs = new ArrayList<>();
        for (int i = 0; i < b.length; i++) {
            if (b[i] >= '0' && b[i] <= '9') {
                int j = i;
                while (j < b.length && b[j] >= '0' && b[j] <= '9') {
                    j++;
                }
                runs.add(new int[] {i, j});
                i = j;
            }
        }
        if (runs.isEmpty()) {
            return insert(b, random.nextInt(b.length + 1),
                    NUMBERS[random.nextInt(NUMBERS.length)].getBytes(StandardCharsets.US_ASCII));
        }
        int[] run = runs.get(random.nextInt(runs.size()));
        String n = NUMBERS[random.nextInt(7)];
        return insert(cut(b, run[0], run[1]), run[0], n.getBytes(StandardCharsets.US_ASCII));
    }

    /** Duplicates, deletes or swaps whole lines (commands): state-machine order mistakes. */
    private byte[] lineShuffle(byte[] b) {
        List<byte[]> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '\n') {
                lines.add(Arrays.copyOfRange(b, start, i + 1));
                start = i + 1;
            }
        }
        if (start < b.length) {
            lines.add(Arrays.copyOfRange(b, start, b.length));
        }
        if (lines.size() < 2) {
            return b;
        }
        int i = random.nextInt(lines.size());
        int j = random.nextInt(lines.size());
        switch (random.nextInt(3)) {
            case 0 -> lines.add(j, lines.get(i));
            case 1 -> lines.remove(i);
            default -> {
                byte[] t = lines.get(i);
                lines.set(i, lines.get(j));
                lines.set(j, t);
            }
        }
        int total = 0;
        for (byte[] l : lines) {
            total += l.length;
        }
        byte[] out = new byte[total];
        int p = 0;
        for (byte[] l : lines) {
            System.arraycopy(l, 0, out, p, l.length);
            p += l.length;
        }
        return out;
    }
}
