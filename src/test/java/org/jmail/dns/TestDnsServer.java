package org.jmail.dns;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A tiny authoritative DNS server for tests: UDP and TCP on one free loopback port, serving
 * records given in zone-file syntax ({@code add("example.tst. 300 IN MX 10 mx.example.tst.")}).
 * A name with no records at all is NXDOMAIN; a name with records of other types is NOERROR with
 * no data; names marked {@link #servfail} answer SERVFAIL, names marked {@link #silent} are not
 * answered (the client times out). Negative answers carry an SOA with a 60 s minimum.
 */
public final class TestDnsServer implements AutoCloseable {

    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final Map<String, List<Record>> records = new ConcurrentHashMap<>();
    private final Set<String> servfail = ConcurrentHashMap.newKeySet();
    private final Set<String> silent = ConcurrentHashMap.newKeySet();
    private final AtomicInteger queries = new AtomicInteger();
    private volatile boolean closed;

    public TestDnsServer() throws IOException {
        InetAddress lo = InetAddress.getLoopbackAddress();
        DatagramSocket u = null;
        ServerSocket t = null;
        // find a port free for both UDP and TCP
        for (int i = 0; i < 50 && t == null; i++) {
            u = new DatagramSocket(new InetSocketAddress(lo, 0));
            try {
                t = new ServerSocket(u.getLocalPort(), 50, lo);
            } catch (IOException busy) {
                u.close();
            }
        }
        if (t == null) {
            throw new IOException("no free port for the test DNS server");
        }
        udp = u;
        tcp = t;
        Thread ut = new Thread(this::serveUdp, "test-dns-udp");
        ut.setDaemon(true);
        ut.start();
        Thread tt = new Thread(this::serveTcp, "test-dns-tcp");
        tt.setDaemon(true);
        tt.start();
    }

    public int port() {
        return udp.getLocalPort();
    }

    /** "127.0.0.1:PORT", the value for jmail_dns_servers. */
    public String address() {
        return "127.0.0.1:" + port();
    }

    public int queries() {
        return queries.get();
    }

    /** Adds one record in master-file syntax: "name. ttl IN TYPE rdata". */
    public TestDnsServer add(String line) throws IOException {
        Record r = parse(line);
        records.computeIfAbsent(key(r.getName()), k -> new ArrayList<>()).add(r);
        return this;
    }

    public TestDnsServer clear(String name) {
        records.remove(name.toLowerCase(Locale.ROOT).replaceAll("\\.$", ""));
        return this;
    }

    public TestDnsServer servfail(String name) {
        servfail.add(name.toLowerCase(Locale.ROOT));
        return this;
    }

    public TestDnsServer silent(String name) {
        silent.add(name.toLowerCase(Locale.ROOT));
        return this;
    }

    private static Record parse(String line) throws IOException {
        String[] f = line.trim().split("\\s+", 5);
        Name name = Name.fromString(f[0].endsWith(".") ? f[0] : f[0] + ".");
        long ttl = Long.parseLong(f[1]);
        int type = Type.value(f[3]);
        return Record.fromString(name, type, DClass.IN, ttl, f[4], Name.root);
    }

    private static String key(Name n) {
        String s = n.toString(true).toLowerCase(Locale.ROOT);
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    /** The answer to a query message, or null for no answer. */
    byte[] answer(byte[] query) {
        queries.incrementAndGet();
        Message q;
        try {
            q = new Message(query);
        } catch (IOException e) {
            return null;
        }
        Record question = q.getQuestion();
        Message m = new Message(q.getHeader().getID());
        m.getHeader().setFlag(Flags.QR);
        m.getHeader().setFlag(Flags.AA);
        if (q.getHeader().getFlag(Flags.RD)) {
            m.getHeader().setFlag(Flags.RD);
            m.getHeader().setFlag(Flags.RA);
        }
        m.addRecord(question, Section.QUESTION);
        String name = key(question.getName());
        if (silent.contains(name)) {
            return null;
        }
        if (servfail.contains(name)) {
            m.getHeader().setRcode(Rcode.SERVFAIL);
            return m.toWire();
        }
        List<Record> all = records.get(name);
        if (all == null) {
            m.getHeader().setRcode(Rcode.NXDOMAIN);
            m.addRecord(soa(), Section.AUTHORITY);
            return m.toWire();
        }
        boolean any = false;
        for (Record r : all) {
            if (r.getType() == question.getType() || r.getType() == Type.CNAME) {
                m.addRecord(r, Section.ANSWER);
                any = true;
            }
        }
        if (!any) {
            m.addRecord(soa(), Section.AUTHORITY);
        }
        return m.toWire();
    }

    private static Record soa() {
        try {
            return new SOARecord(Name.fromString("tst."), DClass.IN, 60, Name.fromString("ns.tst."),
                    Name.fromString("hostmaster.tst."), 1, 3600, 600, 86400, 60);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void serveUdp() {
        byte[] buf = new byte[4096];
        while (!closed) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                udp.receive(p);
                byte[] q = java.util.Arrays.copyOf(p.getData(), p.getLength());
                byte[] a = answer(q);
                if (a != null) {
                    udp.send(new DatagramPacket(a, a.length, p.getSocketAddress()));
                }
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void serveTcp() {
        while (!closed) {
            try (Socket s = tcp.accept()) {
                s.setSoTimeout(5000);
                DataInputStream in = new DataInputStream(s.getInputStream());
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                int len = in.readUnsignedShort();
                byte[] q = in.readNBytes(len);
                byte[] a = answer(q);
                if (a != null) {
                    out.writeShort(a.length);
                    out.write(a);
                    out.flush();
                }
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        udp.close();
        try {
            tcp.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
