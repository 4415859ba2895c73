package org.jmail.pop3;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import org.jmail.net.InetListener;

/**
 * Not a test: serves 10,000 4 KB messages for user "bench1" (password "benchpass") on a
 * loopback port from the in-memory store, for timing with ../shared/bench/pop3_bench.py
 * ({@code --skip-conc --no-dele}). usage: Pop3BenchServer PORT [MESSAGES]
 */
public final class Pop3BenchServer {

    public static void main(String[] args) throws Exception {
        FakeStore store = new FakeStore();
        FakeStore.Folder f = store.folder("bench1");
        StringBuilder body = new StringBuilder("From: bench@example.org\nSubject: bench\n\n");
        while (body.length() < 4000) {
            body.append("The quick brown fox jumps over the lazy dog, again and again and again.\n");
        }
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        for (int i = 0; i < count; i++) {
            f.deliver(body.toString());
        }
        Pop3Server server = new Pop3Server(Pop3Settings.defaults().withAuthFailureDelay(Duration.ZERO),
                new FakeAuth(Map.of("bench1", "benchpass")), store, null, false);
        InetListener l = new InetListener("pop3", new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), 100,
                server);
        l.start();
        System.out.println("listening on " + l.boundAddress());
        Thread.sleep(Long.MAX_VALUE);
    }
}
