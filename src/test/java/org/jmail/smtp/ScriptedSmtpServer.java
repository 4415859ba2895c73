package org.jmail.smtp;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.net.ssl.SSLSocket;
import org.jmail.tls.ServerTls;

/**
 * A small SMTP server for tests whose answers are set by the test: greeting, EHLO keywords,
 * STARTTLS (with a {@link ServerTls}), AUTH PLAIN/LOGIN against one user, and the replies to
 * MAIL, RCPT (per address), DATA and the end of data. Records every command line and every
 * message (envelope and the DATA bytes exactly as received, CRLF and dot-stuffing included).
 */
public final class ScriptedSmtpServer implements AutoCloseable {

    public record Received(String mailFrom, List<String> rcptTo, byte[] rawData, boolean tls, String authUser) {
        /** The data with CRLF → LF and dot-stuffing undone. */
        public String text() {
            String s = new String(rawData, StandardCharsets.UTF_8).replace("\r\n", "\n");
            StringBuilder b = new StringBuilder();
            for (String line : s.split("\n", -1)) {
                b.append(line.startsWith("..") ? line.substring(1) : line).append('\n');
            }
            String t = b.toString();
            return t.endsWith(".\n\n") ? t.substring(0, t.length() - 3) : t;
        }
    }

    private final ServerSocket socket;
    public volatile String greeting = "220 peer.tst ESMTP scripted";
    public volatile List<String> ehloKeywords = List.of("PIPELINING", "SIZE 10240000", "8BITMIME", "SMTPUTF8");
    public volatile boolean ehloRefused;
    public volatile ServerTls tls;
    /** Offer STARTTLS, answer 220 and hang up: a handshake that fails. */
    public volatile boolean breakTls;
    public volatile String authUser;
    public volatile String authPassword;
    public volatile String mailReply = "250 2.1.0 Ok";
    public volatile Function<String, String> rcptReply = a -> "250 2.1.5 Ok";
    public volatile String dataReply = "354 End data with <CR><LF>.<CR><LF>";
    public volatile Function<Integer, String> doneReply = n -> "250 2.0.0 Ok: queued as TEST" + n;
    public final List<String> commands = Collections.synchronizedList(new ArrayList<>());
    public final List<Received> messages = Collections.synchronizedList(new ArrayList<>());
    public final AtomicInteger connections = new AtomicInteger();
    private volatile boolean closed;

    public ScriptedSmtpServer() throws IOException {
        this(InetAddress.getLoopbackAddress());
    }

    public ScriptedSmtpServer(InetAddress bind) throws IOException {
        socket = new ServerSocket();
        socket.bind(new InetSocketAddress(bind, 0));
        Thread t = new Thread(this::acceptLoop, "scripted-smtp");
        t.setDaemon(true);
        t.start();
    }

    public ScriptedSmtpServer(InetAddress bind, int port) throws IOException {
        socket = new ServerSocket();
        socket.bind(new InetSocketAddress(bind, port));
        Thread t = new Thread(this::acceptLoop, "scripted-smtp");
        t.setDaemon(true);
        t.start();
    }

    public int port() {
        return socket.getLocalPort();
    }

    public String address() {
        return socket.getInetAddress().getHostAddress();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket s = socket.accept();
                connections.incrementAndGet();
                Thread t = new Thread(() -> serve(s), "scripted-smtp-session");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private static final class Io {
        InputStream in;
        OutputStream out;
        Socket s;

        Io(Socket s) throws IOException {
            this.s = s;
            in = new BufferedInputStream(s.getInputStream());
            out = s.getOutputStream();
        }

        String line() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) >= 0 && c != '\n') {
                b.write(c);
            }
            if (c < 0 && b.size() == 0) {
                return null;
            }
            String l = b.toString(StandardCharsets.UTF_8);
            return l.endsWith("\r") ? l.substring(0, l.length() - 1) : l;
        }

        void reply(String r) throws IOException {
            out.write((r + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }

    private void serve(Socket s) {
        try (s) {
            s.setSoTimeout(30_000);
            Io io = new Io(s);
            io.reply(greeting);
            if (!greeting.startsWith("2")) {
                String l = io.line();
                io.reply("221 2.0.0 Bye");
                return;
            }
            String from = null;
            List<String> rcpts = new ArrayList<>();
            boolean secure = false;
            String user = null;
            String line;
            while ((line = io.line()) != null) {
                commands.add(line);
                String u = line.toUpperCase();
                if (u.startsWith("EHLO")) {
                    if (ehloRefused) {
                        io.reply("502 5.5.2 Error: command not recognized");
                        continue;
                    }
                    List<String> kw = new ArrayList<>(ehloKeywords);
                    if ((tls != null || breakTls) && !secure) {
                        kw.add("STARTTLS");
                    }
                    if (authUser != null) {
                        kw.add("AUTH PLAIN LOGIN");
                    }
                    StringBuilder b = new StringBuilder("250-peer.tst");
                    for (int i = 0; i < kw.size(); i++) {
                        b.append("\r\n250").append(i == kw.size() - 1 ? ' ' : '-').append(kw.get(i));
                    }
                    if (kw.isEmpty()) {
                        b = new StringBuilder("250 peer.tst");
                    }
                    io.reply(b.toString());
                } else if (u.startsWith("HELO")) {
                    io.reply("250 peer.tst");
                } else if (u.equals("STARTTLS") && breakTls) {
                    io.reply("220 2.0.0 Ready to start TLS");
                    return;
                } else if (u.equals("STARTTLS") && tls != null) {
                    io.reply("220 2.0.0 Ready to start TLS");
                    SSLSocket t = tls.wrap(s);
                    io = new Io(t);
                    secure = true;
                } else if (u.startsWith("AUTH PLAIN ")) {
                    String[] p = new String(Base64.getDecoder().decode(line.substring(11)), StandardCharsets.UTF_8)
                            .split("\0", -1);
                    if (p.length == 3 && p[1].equals(authUser) && p[2].equals(authPassword)) {
                        user = p[1];
                        io.reply("235 2.7.0 Authentication successful");
                    } else {
                        io.reply("535 5.7.8 Error: authentication failed: authentication failure");
                    }
                } else if (u.equals("AUTH LOGIN")) {
                    io.reply("334 VXNlcm5hbWU6");
                    String name = new String(Base64.getDecoder().decode(io.line()), StandardCharsets.UTF_8);
                    io.reply("334 UGFzc3dvcmQ6");
                    String pw = new String(Base64.getDecoder().decode(io.line()), StandardCharsets.UTF_8);
                    if (name.equals(authUser) && pw.equals(authPassword)) {
                        user = name;
                        io.reply("235 2.7.0 Authentication successful");
                    } else {
                        io.reply("535 5.7.8 Error: authentication failed: authentication failure");
                    }
                } else if (u.startsWith("MAIL FROM:")) {
                    from = line.substring(10);
                    rcpts = new ArrayList<>();
                    io.reply(mailReply);
                    if (!mailReply.startsWith("2")) {
                        from = null;
                    }
                } else if (u.startsWith("RCPT TO:")) {
                    String a = line.substring(8);
                    int sp = a.indexOf('>');
                    String addr = a.substring(a.indexOf('<') + 1, sp < 0 ? a.length() : sp);
                    String r = from == null ? "503 5.5.1 Error: need MAIL command" : rcptReply.apply(addr);
                    if (r.startsWith("2")) {
                        rcpts.add(addr);
                    }
                    io.reply(r);
                } else if (u.equals("DATA")) {
                    if (rcpts.isEmpty()) {
                        io.reply("554 5.5.1 Error: no valid recipients");
                        continue;
                    }
                    io.reply(dataReply);
                    if (!dataReply.startsWith("3")) {
                        continue;
                    }
                    ByteArrayOutputStream data = new ByteArrayOutputStream();
                    int prev2 = -1;
                    int prev1 = -1;
                    int c;
                    // read raw bytes up to CRLF.CRLF
                    int state = 2; // 2: at line start after CRLF
                    while ((c = io.in.read()) >= 0) {
                        data.write(c);
                        byte[] d = null;
                        if (c == '\n' && data.size() >= 3) {
                            d = data.toByteArray();
                            int n = d.length;
                            if (d[n - 2] == '\r' && d[n - 3] == '.' && (n == 3 || n >= 5 && d[n - 4] == '\n'
                                    && d[n - 5] == '\r')) {
                                break;
                            }
                        }
                    }
                    messages.add(new Received(from, List.copyOf(rcpts), data.toByteArray(), secure, user));
                    io.reply(doneReply.apply(messages.size()));
                    from = null;
                    rcpts = new ArrayList<>();
                } else if (u.equals("RSET")) {
                    from = null;
                    rcpts = new ArrayList<>();
                    io.reply("250 2.0.0 Ok");
                } else if (u.equals("QUIT")) {
                    io.reply("221 2.0.0 Bye");
                    return;
                } else if (u.equals("NOOP")) {
                    io.reply("250 2.0.0 Ok");
                } else {
                    io.reply("502 5.5.2 Error: command not recognized");
                }
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
