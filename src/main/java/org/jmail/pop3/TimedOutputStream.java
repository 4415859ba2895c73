package org.jmail.pop3;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A socket's output with a deadline on every write: a client that stops reading (its receive
 * window full in the middle of a RETR) would otherwise hold the connection thread forever,
 * since Java's socket writes have no timeout. When a write takes longer than the idle
 * timeout, the socket is closed and the write fails; {@link #timedOut()} then tells the
 * session to log Dovecot's "Disconnected for inactivity in reading our output".
 *
 * <p>A write only notes its start time and joins a set; one shared sweeper thread looks at
 * that set a few times a second. Scheduling a timer task per write instead woke the timer
 * thread on every reply, a context switch per POP3 command. The deadline is therefore met
 * within {@link #SWEEP_MILLIS} late, which nothing notices for a 10-minute timeout.
 */
final class TimedOutputStream extends FilterOutputStream {

    static final long SWEEP_MILLIS = 200;

    /** Streams inside a write now. */
    private static final Set<TimedOutputStream> WRITING = ConcurrentHashMap.newKeySet();

    static {
        Thread sweeper = new Thread(TimedOutputStream::sweep, "pop3-write-deadline");
        sweeper.setDaemon(true);
        sweeper.start();
    }

    private final Socket socket;
    private final long timeoutNanos;
    /** System.nanoTime() when the current write began; meaningful while in {@link #WRITING}. */
    private volatile long writeStarted;
    private volatile boolean timedOut;

    TimedOutputStream(Socket socket, OutputStream out, Duration timeout) {
        super(out);
        this.socket = socket;
        this.timeoutNanos = Math.max(1, timeout.toNanos());
    }

    boolean timedOut() {
        return timedOut;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        writeStarted = System.nanoTime();
        WRITING.add(this);
        try {
            out.write(b, off, len);
        } finally {
            WRITING.remove(this);
        }
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    private static void sweep() {
        while (true) {
            try {
                Thread.sleep(SWEEP_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            for (TimedOutputStream s : WRITING) {
                if (now - s.writeStarted > s.timeoutNanos) {
                    WRITING.remove(s);
                    s.expire();
                }
            }
        }
    }

    private void expire() {
        timedOut = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is all we can do
        }
    }
}
