package org.jmail.imap;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An IMAP sequence-set ({@code 1:3,7,9:*}): ranges in either direction, {@code *} meaning the
 * largest number in use. {@link #resolve} turns it into sorted, merged ranges for a given
 * {@code *}, answering {@link Resolved#contains} by binary search (no per-message scans of
 * the set). A malformed set is an {@link IllegalArgumentException}.
 */
final class SequenceSet {

    static final long STAR = -1;

    private final long[] bounds;

    private SequenceSet(long[] bounds) {
        this.bounds = bounds;
    }

    static boolean looksLike(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9') && c != ':' && c != ',' && c != '*') {
                return false;
            }
        }
        return true;
    }

    static SequenceSet parse(String s) {
        if (s.equals("$")) {
            throw new IllegalArgumentException("SEARCHRES is not supported");
        }
        String[] parts = s.split(",", -1);
        long[] b = new long[parts.length * 2];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            int colon = p.indexOf(':');
            long lo = number(colon < 0 ? p : p.substring(0, colon));
            long hi = colon < 0 ? lo : number(p.substring(colon + 1));
            b[2 * i] = lo;
            b[2 * i + 1] = hi;
        }
        return new SequenceSet(b);
    }

    private static long number(String s) {
        if (s.equals("*")) {
            return STAR;
        }
        if (s.isEmpty() || s.length() > 10) {
            throw new IllegalArgumentException("Invalid messageset");
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                throw new IllegalArgumentException("Invalid messageset");
            }
        }
        long v = Long.parseLong(s);
        if (v == 0 || v > 4294967295L) {
            throw new IllegalArgumentException("Invalid messageset");
        }
        return v;
    }

    /** The largest explicit number (not counting *), to check sequence numbers against EXISTS. */
    long maxExplicit() {
        long m = 0;
        for (long v : bounds) {
            m = Math.max(m, v);
        }
        return m;
    }

    Resolved resolve(long star) {
        int n = bounds.length / 2;
        long[][] r = new long[n][];
        for (int i = 0; i < n; i++) {
            long lo = bounds[2 * i] == STAR ? star : bounds[2 * i];
            long hi = bounds[2 * i + 1] == STAR ? star : bounds[2 * i + 1];
            r[i] = new long[] {Math.min(lo, hi), Math.max(lo, hi)};
        }
        Arrays.sort(r, (x, y) -> Long.compare(x[0], y[0]));
        List<long[]> merged = new ArrayList<>();
        for (long[] x : r) {
            if (!merged.isEmpty() && x[0] <= merged.get(merged.size() - 1)[1] + 1) {
                long[] last = merged.get(merged.size() - 1);
                last[1] = Math.max(last[1], x[1]);
            } else {
                merged.add(x);
            }
        }
        long[] lows = new long[merged.size()];
        long[] highs = new long[merged.size()];
        for (int i = 0; i < lows.length; i++) {
            lows[i] = merged.get(i)[0];
            highs[i] = merged.get(i)[1];
        }
        return new Resolved(lows, highs);
    }

    /** Sorted, disjoint ranges. */
    record Resolved(long[] lows, long[] highs) {
        boolean contains(long v) {
            int i = Arrays.binarySearch(lows, v);
            if (i >= 0) {
                return true;
            }
            int k = -i - 2;
            return k >= 0 && v <= highs[k];
        }
    }
}
