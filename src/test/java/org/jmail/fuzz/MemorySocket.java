package org.jmail.fuzz;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;

/**
 * A {@link Socket} whose input is a fixed byte array and whose output is counted (and the
 * first bytes kept): lets a {@link org.jmail.net.ConnectionHandler} run a whole session
 * without a network. End of the array is the client closing the connection; socket options
 * are accepted and ignored (reads never time out: the input is all there).
 */
final class MemorySocket extends Socket {

    private final InputStream in;
    private final Output out;
    private final InetSocketAddress remote;
    private final InetSocketAddress local;
    private int soTimeout;

    MemorySocket(byte[] input, String remoteIp, int localPort, int keep) {
        this.in = new ByteArrayInputStream(input);
        this.out = new Output(keep);
        try {
            this.remote = new InetSocketAddress(InetAddress.getByName(remoteIp), 40000);
            this.local = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), localPort);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** What the server wrote: the first {@code keep} bytes and the total count. */
    static final class Output extends OutputStream {
        private final byte[] kept;
        private int keptLength;
        long total;

        Output(int keep) {
            this.kept = new byte[keep];
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            int n = Math.min(len, kept.length - keptLength);
            System.arraycopy(b, off, kept, keptLength, n);
            keptLength += n;
            total += len;
        }

        String text() {
            return new String(kept, 0, keptLength, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    Output output() {
        return out;
    }

    @Override
    public InputStream getInputStream() {
        return in;
    }

    @Override
    public OutputStream getOutputStream() {
        return out;
    }

    @Override
    public InetAddress getInetAddress() {
        return remote.getAddress();
    }

    @Override
    public int getPort() {
        return remote.getPort();
    }

    @Override
    public InetAddress getLocalAddress() {
        return local.getAddress();
    }

    @Override
    public int getLocalPort() {
        return local.getPort();
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        return remote;
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return local;
    }

    @Override
    public void setSoTimeout(int timeout) {
        soTimeout = timeout;
    }

    @Override
    public int getSoTimeout() {
        return soTimeout;
    }

    @Override
    public void setTcpNoDelay(boolean on) {
        // nothing to delay
    }

    @Override
    public boolean isConnected() {
        return true;
    }

    @Override
    public void close() {
        // nothing to release
    }
}
