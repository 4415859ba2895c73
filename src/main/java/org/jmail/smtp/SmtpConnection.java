package org.jmail.smtp;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.net.ssl.SSLSocket;

/**
 * One SMTP conversation with one server: the socket, buffered in both directions, reply
 * parsing, and what the server's EHLO offered. Commands are buffered until a reply is read
 * (which makes PIPELINING a matter of reading later). Not thread-safe: one user at a time (the
 * {@link ConnectionCache} hands a connection to one delivery).
 *
 * <p>I/O problems are IOExceptions; {@link SocketTimeoutException} means the read timeout
 * given to {@link #read} passed. Replies longer than 100 lines or lines over 2048 bytes are
 * cut, not trusted.
 */
final class SmtpConnection implements Closeable {

    private static final int LINE_LIMIT = 2048;
    private static final int LINES_LIMIT = 100;

    final SmtpServer server;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    final long createdAt = System.nanoTime();
    volatile long idleSince;
    int transactions;

    // what EHLO offered
    boolean esmtp;
    String heloName = "";     // the first word of the EHLO reply: the server's name
    boolean pipelining;
    boolean eightBitMime;
    boolean smtputf8;
    boolean starttls;
    boolean dsn;
    boolean sizeOffered;
    long sizeLimit;            // 0: no limit announced
    Set<String> authMechanisms = Set.of();
    String tlsSummary;         // null on a plain connection

    private SmtpConnection(SmtpServer server, Socket socket) throws IOException {
        this.server = server;
        attach(socket);
    }

    /** Connects within {@code timeout}; the text of a failure is the system's ("Connection refused"). */
    static SmtpConnection open(SmtpServer server, Duration timeout) throws IOException {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(server.address(), server.port()), (int) timeout.toMillis());
            return new SmtpConnection(server, s);
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    private void attach(Socket s) throws IOException {
        socket = s;
        in = new BufferedInputStream(s.getInputStream(), 8192);
        out = new BufferedOutputStream(s.getOutputStream(), 65536);
    }

    /** Buffers one command line (CRLF added). */
    void send(String command) throws IOException {
        out.write(command.getBytes(StandardCharsets.UTF_8));
        out.write('\r');
        out.write('\n');
    }

    void flush() throws IOException {
        out.flush();
    }

    /** The raw (buffered) output, for the message body. */
    OutputStream output() {
        return out;
    }

    /** Sets the timeout of the next writes' companion reads and of {@link #read}. */
    void timeout(Duration t) throws IOException {
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, Math.max(1, t.toMillis())));
    }

    /** Flushes what is buffered and reads one reply within {@code timeout}. */
    SmtpReply read(Duration timeout) throws IOException {
        out.flush();
        timeout(timeout);
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = readLine();
            if (line.length() < 3 || !Character.isDigit(line.charAt(0)) || !Character.isDigit(line.charAt(1))
                    || !Character.isDigit(line.charAt(2))) {
                throw new ProtocolException("non-SMTP response: " + line);
            }
            if (lines.size() < LINES_LIMIT) {
                lines.add(line);
            }
            if (line.length() == 3 || line.charAt(3) != '-') {
                return new SmtpReply(Integer.parseInt(line.substring(0, 3)), lines);
            }
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(128);
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                break;
            }
            if (b.size() < LINE_LIMIT) {
                b.write(c);
            }
        }
        if (c < 0) {
            throw new java.io.EOFException("connection closed");
        }
        byte[] bytes = b.toByteArray();
        int len = bytes.length;
        if (len > 0 && bytes[len - 1] == '\r') {
            len--;
        }
        return new String(bytes, 0, len, StandardCharsets.UTF_8);
    }

    /** Parses an EHLO reply's keywords (Postfix's list; AUTH also in the "AUTH=" form). */
    void features(SmtpReply ehlo) {
        esmtp = true;
        String first = ehlo.lines().get(0);
        String[] words = (first.length() > 4 ? first.substring(4) : "").trim().split("\\s+");
        heloName = words.length > 0 ? words[0] : "";
        pipelining = eightBitMime = smtputf8 = starttls = dsn = false;
        sizeLimit = 0;
        sizeOffered = false;
        Set<String> auth = new HashSet<>();
        for (int i = 1; i < ehlo.lines().size(); i++) {
            String l = ehlo.lines().get(i);
            String[] w = (l.length() > 4 ? l.substring(4) : "").trim().split("[ =]+");
            if (w.length == 0) {
                continue;
            }
            switch (w[0].toUpperCase(Locale.ROOT)) {
                case "PIPELINING" -> pipelining = true;
                case "8BITMIME" -> eightBitMime = true;
                case "SMTPUTF8" -> smtputf8 = true;
                case "STARTTLS" -> starttls = true;
                case "DSN" -> dsn = true;
                case "SIZE" -> {
                    sizeOffered = true;
                    if (w.length > 1 && w[1].matches("\\d{1,18}")) {
                        sizeLimit = Long.parseLong(w[1]);
                    }
                }
                case "AUTH" -> {
                    for (int j = 1; j < w.length; j++) {
                        auth.add(w[j].toUpperCase(Locale.ROOT));
                    }
                }
                default -> {
                }
            }
        }
        // Postfix: a server with SMTPUTF8 but without 8BITMIME is taken to support 8BITMIME
        if (smtputf8) {
            eightBitMime = true;
        }
        authMechanisms = auth;
    }

    /** Turns on TLS after a 220 to STARTTLS; the EHLO features must be asked again. */
    void startTls(ClientTls tls, Duration timeout) throws IOException {
        out.flush();
        timeout(timeout);
        SSLSocket s = tls.start(socket);
        attach(s);
        tlsSummary = ClientTls.describe(s);
    }

    boolean isTls() {
        return tlsSummary != null;
    }

    /** QUIT without waiting long for the answer (smtp_skip_quit_response), then close. */
    void quit() {
        try {
            send("QUIT");
            out.flush();
        } catch (IOException ignored) {
            // closing anyway
        }
        close();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    /** A reply that is not SMTP: the conversation is out of step. */
    static final class ProtocolException extends IOException {
        ProtocolException(String message) {
            super(message);
        }
    }
}
