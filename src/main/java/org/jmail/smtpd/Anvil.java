package org.jmail.smtpd;

import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Postfix's anvil(8) for one smtpd service: per client address, the number of simultaneous
 * connections and, per {@code anvil_rate_time_unit}, the number of connections, MAIL FROM,
 * RCPT TO and AUTH requests. smtpd compares them with
 * {@code smtpd_client_connection_count_limit}, {@code smtpd_client_connection_rate_limit},
 * {@code smtpd_client_message_rate_limit}, {@code smtpd_client_recipient_rate_limit} and
 * {@code smtpd_client_auth_rate_limit} (0 = no limit). A rate counts requests from the start
 * of the client's current time unit, as anvil's does; a new unit starts from zero.
 *
 * <p>Memory is bounded: an address without connections whose time unit has passed is
 * forgotten, and the table is swept whenever it grows past {@link #SWEEP_AT} entries.
 * Thread-safe; one instance is shared by every session of a service.
 */
final class Anvil {

    static final int SWEEP_AT = 10_000;

    /** What is counted per time unit. */
    enum Rate { CONNECT, MAIL, RCPT, AUTH }

    private static final class Client {
        int connections;
        long unitStart;
        final int[] rates = new int[Rate.values().length];
    }

    private final Map<String, Client> clients = new HashMap<>();
    private final long unitNanos;
    private final LongSupplier clock;

    Anvil(Duration timeUnit, LongSupplier nanoClock) {
        this.unitNanos = Math.max(1, timeUnit.toNanos());
        this.clock = nanoClock;
    }

    Anvil(Duration timeUnit) {
        this(timeUnit, System::nanoTime);
    }

    /**
     * A new connection from {@code addr}: returns {concurrent connections, connection rate},
     * both including this one. The caller must call {@link #disconnect} once when it ends.
     */
    synchronized int[] connect(String addr) {
        Client c = client(addr);
        c.connections++;
        c.rates[Rate.CONNECT.ordinal()]++;
        return new int[] {c.connections, c.rates[Rate.CONNECT.ordinal()]};
    }

    synchronized void disconnect(String addr) {
        Client c = clients.get(addr);
        if (c != null && c.connections > 0) {
            c.connections--;
        }
    }

    /** Counts one request of {@code kind} from {@code addr}; returns the rate including it. */
    synchronized int count(Rate kind, String addr) {
        Client c = client(addr);
        return ++c.rates[kind.ordinal()];
    }

    synchronized int size() {
        return clients.size();
    }

    private Client client(String addr) {
        long now = clock.getAsLong();
        Client c = clients.get(addr);
        if (c == null) {
            if (clients.size() >= SWEEP_AT) {
                sweep(now);
            }
            c = new Client();
            c.unitStart = now;
            clients.put(addr, c);
        } else if (now - c.unitStart >= unitNanos) {
            c.unitStart = now;
            java.util.Arrays.fill(c.rates, 0);
        }
        return c;
    }

    private void sweep(long now) {
        for (Iterator<Client> it = clients.values().iterator(); it.hasNext(); ) {
            Client c = it.next();
            if (c.connections == 0 && now - c.unitStart >= unitNanos) {
                it.remove();
            }
        }
    }
}
