package org.jmail.imap;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.jmail.auth.AuthResult;
import org.jmail.auth.AuthUser;
import org.jmail.auth.Authenticator;

/** Helpers for driving {@link ImapSession} with scripted client bytes. */
final class ImapTestKit {

    static final String USER = "alice";
    static final String PASS = "secret";

    /** alice/secret logs in; "tmp" gets a temporary failure; anything else fails. */
    static final Authenticator AUTH = req -> {
        if (req.user().equals(USER) && req.password().equals(PASS)) {
            return AuthResult.ok(new AuthUser(USER, 1000, 1000, "/home/alice", ""));
        }
        if (req.user().equals("tmp")) {
            return AuthResult.tempfail("passdb down");
        }
        return AuthResult.failed("bad password");
    };

    static ImapSettings settings() {
        return ImapSettings.defaults().withAuthFailureDelay(Duration.ZERO);
    }

    /** An in-memory connection; loopback makes it "secured". */
    static class FakeTransport implements ImapTransport {
        final InputStream in;
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final boolean loopback;
        boolean tls;

        FakeTransport(String input, boolean loopback) {
            this(input.getBytes(StandardCharsets.UTF_8), loopback);
        }

        FakeTransport(byte[] input, boolean loopback) {
            this.in = new ByteArrayInputStream(input);
            this.loopback = loopback;
        }

        @Override
        public InputStream input() {
            return in;
        }

        @Override
        public OutputStream output() {
            return out;
        }

        @Override
        public boolean tls() {
            return tls;
        }

        @Override
        public boolean canStartTls() {
            return false;
        }

        @Override
        public void startTls() {
            throw new UnsupportedOperationException();
        }

        @Override
        public InetSocketAddress remote() {
            return new InetSocketAddress(loopback ? "127.0.0.1" : "192.0.2.7", 50000);
        }

        @Override
        public InetSocketAddress local() {
            return new InetSocketAddress(loopback ? "127.0.0.1" : "192.0.2.1", 143);
        }

        @Override
        public void setReadTimeout(int millis) {
        }
    }

    static String run(ImapSettings settings, MemoryMailStore store, boolean loopback, String input) throws Exception {
        FakeTransport t = new FakeTransport(input, loopback);
        new ImapSession(settings, AUTH, store, t, new UserIpLimiter()).run();
        return t.out.toString(StandardCharsets.UTF_8);
    }

    static String run(MemoryMailStore store, String input) throws Exception {
        return run(settings(), store, true, input);
    }

    /** Runs the script after "a LOGIN alice secret". */
    static String session(MemoryMailStore store, String input) throws Exception {
        return run(store, "a0 LOGIN alice secret\r\n" + input);
    }

    static MemoryMailStore storeWith(String... messages) {
        MemoryMailStore s = new MemoryMailStore();
        s.open(new AuthUser(USER, 1000, 1000, "/home/alice", "")).close();
        for (String m : messages) {
            s.deliver(USER, "INBOX", m);
        }
        return s;
    }

    static String message(int i) {
        return "From: Sender " + i + " <sender" + i + "@example.org>\n"
                + "To: alice@example.com\n"
                + "Subject: Hello number " + i + "\n"
                + "Date: Fri, 1 Mar 2024 10:00:00 +0000\n"
                + "Message-ID: <m" + i + "@example.org>\n"
                + "\n"
                + "Body of message " + i + ".\n";
    }

    private ImapTestKit() {
    }
}
