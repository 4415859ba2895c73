package org.jmail.pop3;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A socket's output with a deadline on every write: a client that stops reading (its receive
 * window full in the middle of a RETR) would otherwise hold the connection thread forever,
 * since Java's socket writes have no timeout. When a write takes longer than the idle
 * timeout, the socket is closed and the write fails; {@link #timedOut()} then tells the
 * session to log Dovecot's "Disconnected for inactivity in reading our output".
 * One shared timer thread serves all connections.
 */
final class TimedOutputStream extends FilterOutputStream {

    private static final ScheduledThreadPoolExecutor TIMER = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "pop3-write-deadline");
        t.setDaemon(true);
        return t;
    });

    static {
        TIMER.setRemoveOnCancelPolicy(true);
    }

    private final Socket socket;
    private final long timeoutMillis;
    private volatile boolean timedOut;

    TimedOutputStream(Socket socket, OutputStream out, Duration timeout) {
        super(out);
        this.socket = socket;
        this.timeoutMillis = Math.max(1, timeout.toMillis());
    }

    boolean timedOut() {
        return timedOut;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        ScheduledFuture<?> deadline = TIMER.schedule(this::expire, timeoutMillis, TimeUnit.MILLISECONDS);
        try {
            out.write(b, off, len);
        } finally {
            deadline.cancel(false);
        }
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
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
