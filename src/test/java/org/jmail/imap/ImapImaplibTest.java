package org.jmail.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Python's imaplib against an {@link ImapServer} on a loopback port (a tiny test listener). */
class ImapImaplibTest {

    @TempDir
    Path tmp;

    @Test
    void imaplibSessionCoversLoginSelectFetchStoreSearchAppendCopyMoveIdle() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3"))
                || System.getenv("PATH").contains("python"), "python3 needed");
        MemoryMailStore store = ImapTestKit.storeWith(ImapTestKit.message(1), ImapTestKit.message(2));
        ImapSettings d = ImapTestKit.settings();
        ImapSettings settings = new ImapSettings(d.maxLineLength(), d.appendLimit(), d.idleNotifyInterval(),
                Duration.ofMillis(200), d.greeting(), d.disablePlaintextAuth(), d.authFailureDelay(),
                d.authMechanisms(), d.capability(), d.maxUserIpConnections(), d.loginTimeout(), d.autologout());
        ImapServer server = new ImapServer(settings, ImapTestKit.AUTH, store, null, false);
        try (ServerSocket listen = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                while (!listen.isClosed()) {
                    try {
                        Socket s = listen.accept();
                        Thread t = new Thread(() -> {
                            try (s) {
                                server.handle(s);
                            } catch (Exception e) {
                                // the test fails on the client side
                            }
                        });
                        t.setDaemon(true);
                        t.start();
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            Path script = tmp.resolve("client.py");
            try (var in = getClass().getResourceAsStream("/imap/imaplib_client.py")) {
                Files.copy(in, script);
            }
            Process p = new ProcessBuilder(List.of("python3", script.toString(),
                    Integer.toString(listen.getLocalPort()))).redirectErrorStream(true).start();
            StringBuilder output = new StringBuilder();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    output.append(line).append('\n');
                    if (line.equals("IDLING")) {
                        store.deliver("alice", "INBOX", ImapTestKit.message(9));
                    }
                }
            }
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), output.toString());
            assertTrue(output.toString().contains("ALL OK"), output.toString());
        }
    }
}
