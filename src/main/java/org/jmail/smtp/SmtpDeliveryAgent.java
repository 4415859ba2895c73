package org.jmail.smtp;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Locale;
import org.jmail.config.MainConfig;
import org.jmail.dns.DnsResolver;
import org.jmail.log.MailLog;
import org.jmail.qmgr.DeliveryAgent;
import org.jmail.qmgr.DeliveryRequest;
import org.jmail.qmgr.DeliveryRequest.Recipient;

/**
 * Postfix's smtp(8) as a qmgr delivery agent, for the transports {@code smtp} and
 * {@code relay} (one instance per transport name; they may share a resolver).
 *
 * <p>For each request: a cached connection to the same next hop is used first; otherwise the
 * servers come from {@link ServerLookup} and are tried in order. A connection failure or a
 * temporary failure during greeting, EHLO, STARTTLS or AUTH moves on to the next server
 * (logged {@code ID: connect to h[ip]:25: Connection refused}); the last server, or the
 * {@code smtp_mx_session_limit}-th that answered, is final: its verdicts are reported as they
 * are. Recipients still waiting when the servers run out are deferred with the last reason.
 * A lookup failure (no such domain, null MX, DNS trouble) is reported with {@code relay=none}.
 *
 * <p>Reports: {@code sent(rcpt, "h[ip]:25", "2.0.0", "250 2.0.0 Ok: queued as X")}; failures
 * with Postfix's texts (see {@link MailTransaction}, {@link SessionSetup}). Every recipient is
 * reported exactly once; an unexpected exception defers what is left.
 */
public final class SmtpDeliveryAgent implements DeliveryAgent {

    private final String transport;
    private final SmtpSettings settings;
    private final ServerLookup lookup;
    private final SessionSetup setup;
    private final MailTransaction transaction;
    private final ConnectionCache cache;
    private final MailLog log;

    /** The agent for {@code transport} ("smtp" or "relay") with its own resolver. */
    public SmtpDeliveryAgent(MainConfig config, String transport) {
        this(config, transport, new DnsResolver(config));
    }

    /** The agent for {@code transport}, sharing {@code dns} with other users of the configuration. */
    public SmtpDeliveryAgent(MainConfig config, String transport, DnsResolver dns) {
        this.transport = transport;
        this.settings = new SmtpSettings(config);
        this.log = MailLog.of(transport);
        this.lookup = new ServerLookup(dns, settings);
        this.setup = new SessionSetup(settings, new ClientTls(), new SaslPasswords(settings.saslPasswordMaps), log);
        this.transaction = new MailTransaction(settings);
        this.cache = new ConnectionCache(settings.cacheTimeLimit, settings.reuseTimeLimit);
    }

    @Override
    public String transport() {
        return transport;
    }

    /** Closes the idle connections now (they would close themselves within the idle limit). */
    public void close() {
        cache.closeAll();
    }

    int idleConnections() {
        return cache.idleCount();
    }

    @Override
    public void deliver(DeliveryRequest request) {
        Recipients rs = new Recipients(request, log, settings.softBounce);
        try {
            deliver(request, rs);
        } catch (RuntimeException e) {
            log.warn(request.queueId() + ": " + transport + " delivery failed: " + e);
            rs.deferRest(new SmtpFailure("4.3.0", "unknown mail transport error"));
        }
    }

    private void deliver(DeliveryRequest request, Recipients rs) {
        if (settings.configError != null) {
            // Postfix's smtp exits fatally here and qmgr defers: the mail waits for a fixed main.cf
            log.warn(settings.configError);
            rs.failAll(new SmtpFailure("4.3.5", "mail system configuration error"), "none", true);
            return;
        }
        NextHop hop;
        try {
            hop = NextHop.parse(request.nexthop(), settings.defaultPort);
        } catch (IllegalArgumentException e) {
            log.warn(e.getMessage());
            rs.failAll(new SmtpFailure("4.3.5", "mail system configuration error"), "none", true);
            return;
        }
        ContentFacts facts;
        try (InputStream in = request.openContent()) {
            facts = ContentFacts.scan(in);
        } catch (IOException e) {
            log.warn(request.queueId() + ": cannot read message content: " + e.getMessage());
            rs.failAll(new SmtpFailure("4.3.0", "error reading message content"), "none", true);
            return;
        }
        boolean utf8 = !Addresses.isAscii(request.sender());
        for (Recipient r : request.recipients()) {
            utf8 |= !Addresses.isAscii(r.address());
        }
        String key = transport + '\0' + hop.text().toLowerCase(Locale.ROOT);

        // a connection left by the previous message to this next hop
        SmtpConnection cached;
        while ((cached = cache.take(key)) != null) {
            MailTransaction.Outcome o = transaction.run(cached, request, rs, facts, utf8, true);
            if (o == MailTransaction.Outcome.STALE) {
                cached.close();
                continue;
            }
            release(key, cached, o);
            if (rs.done()) {
                return;
            }
        }

        ServerLookup.Result servers = lookup.find(hop);
        if (servers.failure() != null) {
            rs.failAll(servers.failure(), "none", true);
            return;
        }
        List<SmtpServer> list = servers.servers();
        int sessions = 0;
        for (int i = 0; i < list.size() && !rs.done(); i++) {
            SmtpServer server = list.get(i);
            boolean plainOnly = false;
            while (true) {
                boolean last = i == list.size() - 1;
                SmtpConnection c;
                try {
                    c = SmtpConnection.open(server, settings.connectTimeout);
                } catch (IOException e) {
                    SmtpFailure f = new SmtpFailure("4.4.1", "connect to " + server.namaddrport() + ": "
                            + connectError(e));
                    rs.failAll(f, "none", last);
                    break;
                }
                boolean fin = last || sessions + 1 >= settings.mxSessionLimit;
                try {
                    setup.establish(c, hop.text(), plainOnly, server.preference() == list.get(0).preference());
                } catch (SessionSetup.SetupException e) {
                    c.close();
                    if (e.retryPlain && !plainOnly) {
                        plainOnly = true; // Postfix's RETRY_AS_PLAINTEXT at level may
                        continue;
                    }
                    sessions++;
                    rs.failAll(e.failure, server.namaddrport(), fin);
                    break;
                }
                sessions++;
                MailTransaction.Outcome o = transaction.run(c, request, rs, facts, utf8, fin);
                release(key, c, o);
                break;
            }
            if (sessions >= settings.mxSessionLimit) {
                break;
            }
        }
        if (!rs.done()) {
            rs.deferRest(new SmtpFailure("4.4.1", "no server available for " + hop.text()));
        }
    }

    private void release(String key, SmtpConnection c, MailTransaction.Outcome o) {
        if (o == MailTransaction.Outcome.REUSABLE) {
            cache.put(key, c);
        } else {
            c.close();
        }
    }

    /** The system's words for a failed connect, as strerror would say them. */
    static String connectError(IOException e) {
        if (e instanceof SocketTimeoutException) {
            return "Connection timed out";
        }
        String m = e.getMessage();
        if (e instanceof ConnectException && (m == null || m.startsWith("Connection refused"))) {
            return "Connection refused";
        }
        if (e instanceof NoRouteToHostException) {
            return "No route to host";
        }
        if (m == null) {
            return e.getClass().getSimpleName();
        }
        int paren = m.indexOf(" (");
        return paren > 0 ? m.substring(0, paren) : m;
    }
}
