package org.jmail.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import org.jmail.config.MainConfig;
import org.jmail.log.MailLog;
import org.jmail.pickup.Maildrop;
import org.jmail.pickup.MaildropWriter;
import org.jmail.resolve.AddressResolver;
import org.jmail.resolve.LocalRecipientCheck;
import org.jmail.smtpd.Smtpd;

/**
 * {@code sendmail -bs}: jmail's SMTP server speaking on stdin/stdout as the calling user, as
 * Postfix runs {@code smtpd -S}. Accepted messages are written to maildrop/ (the user cannot
 * write the queue; see {@link MaildropWriter}) and the daemon's pickup queues them, so this
 * works while the daemon is stopped too. smtpd needs a socket: the session runs on a
 * loopback connection made for it (the accepted peer must be our own end), with stdin
 * and stdout pumped to and from it; the client is 127.0.0.1, so mynetworks applies.
 * Log lines are not written (the user cannot write the mail log); errors go to stderr.
 */
final class SmtpOnStdio {

    private SmtpOnStdio() {
    }

    static int run(String[] args) throws Exception {
        String conf = null;
        for (int i = 0; i < args.length; i++) {
            if ((args[i].equals("-C") || args[i].equals("-c")) && i + 1 < args.length) {
                conf = args[++i];
            } else if (args[i].startsWith("-C") && args[i].length() > 2) {
                conf = args[i].substring(2);
            }
        }
        if (conf != null && conf.endsWith("/main.cf")) {
            conf = conf.substring(0, conf.length() - "/main.cf".length());
        }
        MainConfig config = MainConfig.load(ConfigDirs.resolve(conf));
        MailLog.setSink((severity, tag, message) -> {
            if (severity <= 3) {
                System.err.println("sendmail: " + message);
            }
        }, config.get("syslog_name"));
        Path maildrop = Maildrop.of(Path.of(config.get("queue_directory")));
        // the same resolver the daemon builds from main.cf (jmail_dns_servers, timeouts), so the
        // DNS-based restrictions answer as they do over the network instead of 451
        Smtpd smtpd = new Smtpd(config, new MaildropWriter(maildrop), new AddressResolver(config),
                new LocalRecipientCheck(config), null, null, new org.jmail.dns.DnsResolver(config));
        InetAddress lo = InetAddress.getLoopbackAddress();
        try (ServerSocket ss = new ServerSocket(0, 1, lo); Socket mine = new Socket(lo, ss.getLocalPort())) {
            Socket server;
            while (true) {
                server = ss.accept();
                if (server.getPort() == mine.getLocalPort()) {
                    break;
                }
                server.close(); // someone else raced for our port
            }
            Thread in = pump(System.in, mine.getOutputStream(), true, mine);
            Thread out = pump(mine.getInputStream(), System.out, false, null);
            try (Socket s = server) {
                s.setTcpNoDelay(true); // as InetListener does for the daemon's connections
                smtpd.handle(s);
            }
            out.join(5000);
            in.interrupt();
        }
        System.out.flush();
        return 0;
    }

    private static Thread pump(InputStream from, OutputStream to, boolean closeAtEof, Socket half) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            try {
                int n;
                while ((n = from.read(buf)) > 0) {
                    to.write(buf, 0, n);
                    to.flush();
                }
                if (closeAtEof && half != null) {
                    half.shutdownOutput();
                }
            } catch (IOException ignored) {
                // the other side went away
            }
        }, "stdio-pump");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
