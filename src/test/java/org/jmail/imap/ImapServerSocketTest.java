package org.jmail.imap;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The socket shell: a client vanishing mid-IDLE or mid-literal ends the session cleanly. */
class ImapServerSocketTest {

    private void vanish(String script) throws Exception {
        MemoryMailStore store = ImapTestKit.storeWith(ImapTestKit.message(1));
        ImapServer server = new ImapServer(ImapTestKit.settings(), ImapTestKit.AUTH, store, null, false);
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (ServerSocket listen = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try (Socket s = listen.accept()) {
                    server.handle(s);
                } catch (Throwable e) {
                    failure.set(e);
                } finally {
                    done.countDown();
                }
            });
            t.start();
            try (Socket c = new Socket(InetAddress.getLoopbackAddress(), listen.getLocalPort())) {
                OutputStream out = c.getOutputStream();
                InputStream in = c.getInputStream();
                out.write(script.getBytes(StandardCharsets.US_ASCII));
                out.flush();
                byte[] buf = new byte[4096];
                long until = System.currentTimeMillis() + 2000;
                StringBuilder seen = new StringBuilder();
                c.setSoTimeout(200);
                while (System.currentTimeMillis() < until && !seen.toString().contains("+ ")) {
                    try {
                        int n = in.read(buf);
                        if (n < 0) {
                            break;
                        }
                        seen.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
                    } catch (java.net.SocketTimeoutException e) {
                        // keep waiting
                    }
                }
                assertTrue(seen.toString().contains("+ "), seen.toString());
            }
            assertTrue(done.await(5, TimeUnit.SECONDS), "session thread still running");
            assertNull(failure.get());
        }
    }

    @Test
    void clientVanishingDuringIdleEndsTheSession() throws Exception {
        vanish("a LOGIN alice secret\r\nb SELECT INBOX\r\nc IDLE\r\n");
    }

    @Test
    void clientVanishingInsideALiteralEndsTheSession() throws Exception {
        vanish("a LOGIN alice secret\r\nb APPEND INBOX {100}\r\nonly a part");
    }
}
