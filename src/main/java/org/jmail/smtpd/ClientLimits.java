package org.jmail.smtpd;

import java.io.IOException;
import java.time.Duration;
import org.jmail.config.MainConfig;
import org.jmail.resolve.AddressResolver;
import org.jmail.resolve.TableOpener;

/**
 * smtpd's use of {@link Anvil}, with Postfix's limits, replies and warnings (smtpd.c):
 * <ul>
 * <li>{@code smtpd_client_connection_count_limit} (50) and
 *     {@code smtpd_client_connection_rate_limit} (0): {@code 421 4.7.0 host Error: too many
 *     connections from ADDR}, {@code warning: Connection concurrency limit exceeded: N from
 *     name[addr] for service S} / {@code Connection rate limit exceeded: …};</li>
 * <li>{@code smtpd_client_message_rate_limit}: {@code 450 4.7.1 Error: too much mail from ADDR},
 *     {@code Message delivery request rate limit exceeded: …};</li>
 * <li>{@code smtpd_client_recipient_rate_limit}: {@code 450 4.7.1 Error: too many recipients
 *     from ADDR}, {@code Recipient address rate limit exceeded: …};</li>
 * <li>{@code smtpd_client_auth_rate_limit}: {@code 450 4.7.1 Error: too many AUTH commands from
 *     ADDR}, {@code AUTH command rate limit exceeded: …}.</li>
 * </ul>
 * Clients in {@code smtpd_client_event_limit_exceptions} (default: {@code $mynetworks}) are
 * neither counted nor limited. Counts are per service (one instance per smtpd service and
 * configuration generation). Thread-safe.
 */
final class ClientLimits {

    private final Anvil anvil;
    private volatile String service = "smtp";
    private final String myhostname;
    private final int connectionCount;
    private final int connectionRate;
    private final int messageRate;
    private final int recipientRate;
    private final int authRate;
    private final Mynetworks exceptions;

    ClientLimits(MainConfig c, TableOpener opener) {
        this.myhostname = c.get("myhostname").strip();
        this.connectionCount = limit(c, "smtpd_client_connection_count_limit", 50);
        this.connectionRate = limit(c, "smtpd_client_connection_rate_limit", 0);
        this.messageRate = limit(c, "smtpd_client_message_rate_limit", 0);
        this.recipientRate = limit(c, "smtpd_client_recipient_rate_limit", 0);
        this.authRate = limit(c, "smtpd_client_auth_rate_limit", 0);
        Duration unit;
        try {
            unit = MainConfig.parseTime(c.get("anvil_rate_time_unit").strip().isEmpty() ? "60s"
                    : c.get("anvil_rate_time_unit").strip(), 's');
        } catch (RuntimeException e) {
            unit = Duration.ofSeconds(60);
        }
        this.anvil = new Anvil(unit);
        String ex = c.isExplicit("smtpd_client_event_limit_exceptions") ? c.get("smtpd_client_event_limit_exceptions")
                : c.get("mynetworks");
        this.exceptions = Mynetworks.parse("smtpd_client_event_limit_exceptions", ex,
                AddressResolver.parentDomainMatchesSubdomains(c), opener);
    }

    /** The master.cf service name the warnings name ("for service submission"). */
    void service(String name) {
        this.service = name;
    }

    /** Whether this client is counted at all (not in smtpd_client_event_limit_exceptions). */
    boolean tracks(ClientInfo client) {
        try {
            return !exceptions.matches(client);
        } catch (IOException e) {
            return true; // a table we can't read grants no exception
        }
    }

    /** At connect: the 421 reply when a connection limit is exceeded, else null. */
    String connect(ClientInfo client) {
        int[] n = anvil.connect(client.addr());
        if (connectionCount > 0 && n[0] > connectionCount) {
            return refuse("Connection concurrency limit exceeded: " + n[0], client, "421 4.7.0 " + myhostname
                    + " Error: too many connections from " + client.addr());
        }
        if (connectionRate > 0 && n[1] > connectionRate) {
            return refuse("Connection rate limit exceeded: " + n[1], client, "421 4.7.0 " + myhostname
                    + " Error: too many connections from " + client.addr());
        }
        return null;
    }

    void disconnect(ClientInfo client) {
        anvil.disconnect(client.addr());
    }

    /** At MAIL FROM: the 450 reply when the message rate is exceeded, else null. */
    String mail(ClientInfo client) {
        return rate(Anvil.Rate.MAIL, messageRate, client, "Message delivery request rate limit exceeded: ",
                "450 4.7.1 Error: too much mail from ");
    }

    /** At RCPT TO. */
    String rcpt(ClientInfo client) {
        return rate(Anvil.Rate.RCPT, recipientRate, client, "Recipient address rate limit exceeded: ",
                "450 4.7.1 Error: too many recipients from ");
    }

    /** At AUTH. */
    String auth(ClientInfo client) {
        return rate(Anvil.Rate.AUTH, authRate, client, "AUTH command rate limit exceeded: ",
                "450 4.7.1 Error: too many AUTH commands from ");
    }

    private String rate(Anvil.Rate kind, int limit, ClientInfo client, String warning, String reply) {
        if (limit <= 0) {
            return null;
        }
        int n = anvil.count(kind, client.addr());
        return n > limit ? refuse(warning + n, client, reply + client.addr()) : null;
    }

    private String refuse(String warning, ClientInfo client, String reply) {
        SmtpdLog.INSTANCE.warn(warning + " from " + client.namaddr() + " for service " + service);
        return reply;
    }

    private static int limit(MainConfig c, String key, int dflt) {
        try {
            String v = c.get(key).strip();
            return v.isEmpty() ? dflt : Math.max(0, Integer.parseInt(v));
        } catch (NumberFormatException e) {
            return dflt;
        }
    }
}
