package org.jmail.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jmail.log.MailLog;

/**
 * One listening socket of a master.cf {@code inet} service: accepts connections and serves
 * each on its own thread, at most {@code maxConnections} at once (master.cf maxproc; 0 means
 * no limit). A connection over the limit waits in the kernel's backlog, as with Postfix's
 * process limit, instead of being refused.
 *
 * <p>Blocking I/O with a thread per connection: a mail session spends its life waiting on
 * the client, the disk or a lock, and threads keep each protocol a readable straight-line
 * program. The handler is swappable ({@link #setHandler}) so that a reload gives new
 * connections the new configuration while old ones finish with theirs.
 */
public final class InetListener implements AutoCloseable {

    private static final MailLog LOG = MailLog.of("master");

    private final String serviceName;
    private final InetSocketAddress address;
    private final ServerSocket server;
    private final Semaphore slots;
    private final ExecutorService pool;
    private final AtomicReference<ConnectionHandler> handler;
    private final AtomicInteger active = new AtomicInteger();
    private volatile boolean closed;
    private Thread acceptor;

    /** Binds at once, so that a port that can't be bound fails start-up with the reason. */
    public InetListener(String serviceName, InetSocketAddress address, int maxConnections,
                        ConnectionHandler handler) throws IOException {
        this.serviceName = serviceName;
        this.address = address;
        this.handler = new AtomicReference<>(handler);
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        try {
            s.bind(address, 256);
        } catch (IOException e) {
            s.close();
            throw new IOException("bind " + describe(address) + " for service " + serviceName + ": " + e.getMessage(), e);
        }
        this.server = s;
        this.slots = maxConnections > 0 ? new Semaphore(maxConnections) : null;
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, serviceName + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    public void start() {
        acceptor = new Thread(this::acceptLoop, "accept-" + serviceName + "-" + describe(address));
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public void setHandler(ConnectionHandler h) {
        handler.set(h);
    }

    public InetSocketAddress boundAddress() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    public String serviceName() {
        return serviceName;
    }

    public int activeConnections() {
        return active.get();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                if (slots != null) {
                    slots.acquire();
                }
                Socket s;
                try {
                    s = server.accept();
                } catch (IOException e) {
                    if (slots != null) {
                        slots.release();
                    }
                    throw e;
                }
                ConnectionHandler h = handler.get();
                active.incrementAndGet();
                pool.execute(() -> serve(s, h));
            } catch (InterruptedException e) {
                return;
            } catch (SocketException e) {
                if (closed) {
                    return;
                }
                LOG.warn("accept on " + describe(address) + ": " + e.getMessage());
                pause();
            } catch (Exception e) {
                LOG.warn("accept on " + describe(address) + ": " + e);
                pause();
            }
        }
    }

    private void serve(Socket s, ConnectionHandler h) {
        try (s) {
            s.setTcpNoDelay(true);
            h.handle(s);
        } catch (Exception e) {
            LOG.warn("service " + serviceName + ": unexpected error: " + e);
        } finally {
            active.decrementAndGet();
            if (slots != null) {
                slots.release();
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100); // e.g. EMFILE: don't spin
        } catch (InterruptedException ignored) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops accepting; connections in progress go on until they end (or the JVM exits). */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing a listening socket has nothing to report
        }
        if (acceptor != null) {
            acceptor.interrupt();
        }
        pool.shutdown();
    }

    /** Waits up to the timeout for connections in progress to end. */
    public boolean awaitIdle(long millis) throws InterruptedException {
        return pool.awaitTermination(millis, TimeUnit.MILLISECONDS);
    }

    public static String describe(InetSocketAddress a) {
        InetAddress ip = a.getAddress();
        String host = ip == null ? a.getHostString() : ip.getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}
