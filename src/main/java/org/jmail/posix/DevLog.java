package org.jmail.posix;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.Struct;

/**
 * A datagram socket connected to the syslog socket {@code /dev/log}. Java's own Unix-domain
 * channels are stream-only, and /dev/log is a datagram socket, so this goes through libc
 * (see PLATFORM-NOTES.md). One instance is shared; {@link #send} is thread-safe (each send is
 * one datagram).
 */
public final class DevLog implements AutoCloseable {

    public interface LibC {
        int socket(int domain, int type, int protocol);

        int connect(int fd, Pointer addr, int len);

        long send(int fd, byte[] buf, long len, int flags);

        int close(int fd);
    }

    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 02000000;
    private static final int MSG_NOSIGNAL = 0x4000;

    private static final class SockaddrUn extends Struct {
        final Unsigned16 family = new Unsigned16();
        final AsciiString path = new AsciiString(108);

        SockaddrUn(Runtime r) {
            super(r);
        }
    }

    private final LibC libc;
    private final String path;
    private volatile int fd = -1;

    private DevLog(LibC libc, String path) {
        this.libc = libc;
        this.path = path;
    }

    /** Connects to the socket at {@code path}; fails when nothing listens there. */
    public static DevLog open(String path) throws IOException {
        LibC libc = LibraryLoader.create(LibC.class).load("c");
        DevLog d = new DevLog(libc, path);
        d.connect();
        return d;
    }

    private synchronized void connect() throws IOException {
        int s = libc.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (s < 0) {
            throw new IOException("socket(AF_UNIX, SOCK_DGRAM) failed");
        }
        Runtime rt = Runtime.getRuntime(libc);
        SockaddrUn addr = new SockaddrUn(rt);
        addr.family.set(AF_UNIX);
        addr.path.set(path);
        if (libc.connect(s, Struct.getMemory(addr), Struct.size(addr)) != 0) {
            libc.close(s);
            throw new IOException("connect " + path + ": no syslog daemon listening");
        }
        fd = s;
    }

    /** Sends one datagram; on failure reconnects once (syslogd restarted), then reports failure. */
    public boolean send(String datagram) {
        byte[] b = datagram.getBytes(StandardCharsets.UTF_8);
        if (fd >= 0 && libc.send(fd, b, b.length, MSG_NOSIGNAL) >= 0) {
            return true;
        }
        synchronized (this) {
            try {
                if (fd >= 0) {
                    libc.close(fd);
                    fd = -1;
                }
                connect();
                return libc.send(fd, b, b.length, MSG_NOSIGNAL) >= 0;
            } catch (IOException e) {
                return false;
            }
        }
    }

    @Override
    public synchronized void close() {
        if (fd >= 0) {
            libc.close(fd);
            fd = -1;
        }
    }
}
