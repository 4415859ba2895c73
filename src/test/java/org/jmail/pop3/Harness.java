package org.jmail.pop3;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Drives one {@link Pop3Session} without sockets: lines in, replies out as text. */
final class Harness {

    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final Pop3Output out = new Pop3Output(bytes, 4096);
    final List<Duration> pauses = new ArrayList<>();
    final ClientFacts client;
    final Pop3Session session;
    Pop3Session.Next last;
    long nanos = 1_000_000_000L;

    Harness(Pop3Settings settings, FakeAuth auth, FakeStore store, String remoteIp, boolean tlsAvailable,
            SessionRegistry registry) {
        InetSocketAddress remote = new InetSocketAddress(remoteIp, 40000);
        InetSocketAddress local = new InetSocketAddress(remoteIp.equals("127.0.0.1") ? "127.0.0.1" : "192.0.2.2", 110);
        client = new ClientFacts(remote, local, false, nanos);
        session = new Pop3Session(settings, auth, store, client, out, tlsAvailable, pauses::add, () -> nanos,
                registry);
    }

    String greet() throws IOException {
        session.greet();
        return take();
    }

    /** Sends one line and returns everything the server wrote in answer. */
    String send(String line) throws IOException {
        last = session.line(line);
        return take();
    }

    String take() throws IOException {
        out.flush();
        String s = bytes.toString(StandardCharsets.UTF_8);
        bytes.reset();
        return s;
    }

    /** USER + PASS, asserting success. */
    Harness login(String user, String password) throws IOException {
        greet();
        String r = send("USER " + user);
        if (!r.equals("+OK\r\n")) {
            throw new AssertionError("USER: " + r);
        }
        r = send("PASS " + password);
        if (!r.equals("+OK Logged in.\r\n")) {
            throw new AssertionError("PASS: " + r);
        }
        return this;
    }
}
