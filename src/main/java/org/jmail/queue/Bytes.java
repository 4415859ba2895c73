package org.jmail.queue;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A growable byte array: how message content is collected without one object or system call
 * per line. Not thread-safe.
 */
public final class Bytes {

    private byte[] data;
    private int length;

    public Bytes(int capacity) {
        data = new byte[Math.max(16, capacity)];
    }

    public void append(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, data, length, len);
        length += len;
    }

    public void append(byte b) {
        ensure(1);
        data[length++] = b;
    }

    public int length() {
        return length;
    }

    /** The backing array; valid bytes are [0, length). */
    public byte[] array() {
        return data;
    }

    public void clear() {
        length = 0;
    }

    ByteBuffer asBuffer() {
        return ByteBuffer.wrap(data, 0, length);
    }

    private void ensure(int extra) {
        if (length + extra > data.length) {
            // x4 while small: a 100 KB message grows 8-32-128 KB, two copies instead of four
            long want = Math.max((long) data.length * (data.length < (1 << 20) ? 4 : 2), (long) length + extra);
            if (want > Integer.MAX_VALUE - 16) {
                throw new OutOfMemoryError("content buffer too large");
            }
            data = Arrays.copyOf(data, (int) want);
        }
    }
}
