package org.jmail.smtpd;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jmail.config.MainConfig;
import org.jmail.resolve.AddressResolver;
import org.jmail.resolve.LocalRecipientCheck;
import org.jmail.resolve.TableOpener;

/**
 * Drives a protocol session without sockets: lines in, replies out. The host is
 * mail.example.tst; local users (table hash:/etc/aliases) are alice, bob, root.
 */
final class Harness {

    static final Instant NOW = Instant.parse("2026-11-28T04:41:24Z");

    final FakeCleanup cleanup = new FakeCleanup();
    final List<Duration> pauses = new ArrayList<>();
    final Smtpd smtpd;
    SmtpSession session;

    private Harness(Map<String, String> settings) {
        this(settings, List.of(), null);
    }

    private Harness(Map<String, String> settings, List<MapTable> tables, org.jmail.dns.DnsResolver dns) {
        Map<String, String> m = new HashMap<>();
        m.put("myhostname", "mail.example.tst");
        m.put("mydomain", "example.tst");
        m.put("mydestination", "$myhostname, localhost.$mydomain, localhost, example.tst");
        m.put("local_recipient_maps", "hash:/etc/aliases");
        m.putAll(settings);
        MainConfig config = MainConfig.of(Path.of("/nonexistent"), m);
        MapTable aliases = new MapTable("hash:/etc/aliases", Map.of("alice", "x", "bob", "x", "root", "x"));
        List<MapTable> all = new ArrayList<>(tables);
        all.add(aliases);
        TableOpener opener = MapTable.opener(all.toArray(new MapTable[0]));
        smtpd = new Smtpd(config, cleanup, new AddressResolver(config, opener), new LocalRecipientCheck(config, opener),
                opener, a -> "unknown", pauses::add, Clock.fixed(NOW, ZoneId.of("UTC")), null, null, dns);
    }

    static Harness with(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return new Harness(m);
    }

    /** As {@link #with}, with extra lookup tables and a DNS resolver (may be null) for restrictions. */
    static Harness withTables(List<MapTable> tables, org.jmail.dns.DnsResolver dns, String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return new Harness(m, tables, dns);
    }

    /** Starts a session from an outside client (not in mynetworks). */
    Harness outside() throws Exception {
        return connect("client.example.net", "192.0.2.10");
    }

    /** Starts a session from loopback (in the default mynetworks). */
    Harness loopback() throws Exception {
        return connect("localhost", "127.0.0.1");
    }

    /** A client whose names (and lookup statuses) are already known, e.g. from DnsClientNames. */
    Harness connect(PeerNames names, String addr) throws Exception {
        session = smtpd.newSession(ClientInfo.of(names, InetAddress.getByName(addr), 40000));
        session.greet();
        return this;
    }

    Harness connect(String name, String addr) throws Exception {
        session = smtpd.newSession(ClientInfo.of(name, InetAddress.getByName(addr), 40000));
        session.greet();
        return this;
    }

    /** Replies so far, emptying the queue. */
    String replies() {
        return session.replies().take();
    }

    /** Sends one line (a command, or content while in DATA) and returns the replies it caused. */
    String send(String line) {
        if (session.inData()) {
            byte[] b = line.getBytes(StandardCharsets.UTF_8);
            session.dataLine(b, 0, b.length, true, false);
        } else {
            session.command(line, false, false, null);
        }
        return replies();
    }

    /** Sends several lines without reading replies in between (pipelining), then the replies. */
    String pipeline(String... lines) {
        for (String l : lines) {
            if (session.inData()) {
                byte[] b = l.getBytes(StandardCharsets.UTF_8);
                session.dataLine(b, 0, b.length, true, false);
            } else {
                session.command(l, false, false, null);
            }
        }
        return replies();
    }

    /** Sends BDAT content bytes. */
    String bdat(String bytes) {
        byte[] b = bytes.getBytes(StandardCharsets.UTF_8);
        session.bdatContent(b, 0, b.length);
        return replies();
    }
}
