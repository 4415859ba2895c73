package org.jmail.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jmail.smtp.ScriptedSmtpServer;
import org.junit.jupiter.api.Test;

/**
 * Issue 4's crash promise for outbound mail: the daemon is SIGKILLed while its SMTP client is
 * in the middle of sending a message (the peer has read part of the DATA and stalls). After a
 * restart the message goes out again and the peer ends up with exactly one complete copy;
 * then pflogsumm counts the sending side's log as Postfix's.
 */
class RelayCrashIT {

    @Test
    void killedMidTransferIsDeliveredExactlyOnceAfterRestart() throws Exception {
        int port = JmailInstance.freePort();
        CountDownLatch midData = new CountDownLatch(1);
        AtomicLong dataBytesSeen = new AtomicLong();
        ServerSocket staller = new ServerSocket();
        staller.setReuseAddress(true);
        staller.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
        Thread t = new Thread(() -> stall(staller, midData, dataBytesSeen), "staller");
        t.setDaemon(true);
        t.start();

        try (JmailInstance tx = new JmailInstance()) {
            Files.writeString(tx.dir.resolve("transport"), "crash.tst smtp:[127.0.0.1]:" + port + "\n");
            tx.set("transport_maps", "texthash:" + tx.dir.resolve("transport"))
                    .set("minimal_backoff_time", "1s")
                    .set("maximal_backoff_time", "2s")
                    .set("queue_run_delay", "1s")
                    .set("smtp_data_xfer_timeout", "600s");
            tx.start();
            // 3 MB: far more than the socket buffers, so the client blocks inside DATA
            String body = ("x".repeat(99) + "\n").repeat(30_000);
            String py = "import smtplib,sys\n"
                    + "s=smtplib.SMTP('127.0.0.1'," + tx.smtpPort + ")\n"
                    + "m='From: a@example.tst\\r\\nTo: u@crash.tst\\r\\nSubject: crash-test\\r\\n\\r\\n'+sys.stdin.read()+'END-OF-BODY\\r\\n'\n"
                    + "s.sendmail('a@example.tst',['u@crash.tst'],m)\ns.quit()\n";
            JmailInstance.Result sent = JmailInstance.run(List.of("python3", "-c", py), body);
            assertEquals(0, sent.status(), sent.output());
            assertTrue(midData.await(30, TimeUnit.SECONDS), "the client never started DATA; log:\n" + tx.logText());
            assertTrue(JmailInstance.waitFor(10_000, () -> dataBytesSeen.get() > 0));

            // SIGKILL the daemon in the middle of the transfer
            long pid = tx.pid();
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            assertTrue(JmailInstance.waitFor(10_000, () -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true)));
            staller.close();
            assertTrue(dataBytesSeen.get() < 3_000_000, "the peer must not have seen the whole message");

            try (ScriptedSmtpServer peer = new ScriptedSmtpServer(InetAddress.getByName("127.0.0.1"), port)) {
                JmailInstance.Result start = tx.jmail("start");
                assertEquals(0, start.status(), start.output() + tx.logText());
                assertTrue(JmailInstance.waitFor(60_000, () -> peer.messages.size() >= 1), tx.logText());
                Thread.sleep(3000); // a second copy would arrive by now
                assertEquals(1, peer.messages.size(), tx.logText());
                String text = peer.messages.get(0).text();
                assertTrue(text.contains("Subject: crash-test"), text.substring(0, Math.min(300, text.length())));
                assertTrue(text.contains("END-OF-BODY"), "the delivered copy is complete");
                assertTrue(JmailInstance.waitFor(10_000, () -> {
                    try {
                        return tx.logText().contains("to=<u@crash.tst>, relay=127.0.0.1[127.0.0.1]:" + port);
                    } catch (Exception e) {
                        return false;
                    }
                }), tx.logText());
            }

            // pflogsumm (Debian's, no options) counts the sending side's log
            JmailInstance.Result sum = JmailInstance.run(List.of("pflogsumm", tx.log().toString()), null);
            assertEquals(0, sum.status(), sum.output());
            assertTrue(sum.output().matches("(?s).*\\n\\s*1\\s+received\\n.*"), sum.output());
            assertTrue(sum.output().matches("(?s).*\\n\\s*1\\s+delivered\\n.*"), sum.output());
        }
    }

    /** A peer that accepts one transaction, then reads 64 KB of DATA and stops reading. */
    private static void stall(ServerSocket server, CountDownLatch midData, AtomicLong seen) {
        try (Socket s = server.accept()) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            out.write("220 staller.tst ESMTP\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            StringBuilder line = new StringBuilder();
            while (true) {
                int c = in.read();
                if (c < 0) {
                    return;
                }
                if (c != '\n') {
                    line.append((char) c);
                    continue;
                }
                String cmd = line.toString().strip().toUpperCase();
                line.setLength(0);
                String reply;
                if (cmd.startsWith("EHLO") || cmd.startsWith("HELO")) {
                    reply = "250 staller.tst";
                } else if (cmd.startsWith("DATA")) {
                    out.write("354 go ahead\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    byte[] buf = new byte[65536];
                    int n = in.read(buf);
                    seen.addAndGet(Math.max(0, n));
                    midData.countDown();
                    Thread.sleep(600_000); // never read the rest; the test closes the socket
                    return;
                } else if (cmd.startsWith("QUIT")) {
                    return;
                } else {
                    reply = "250 Ok";
                }
                out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        } catch (Exception e) {
            // closed by the test
        }
    }
}
