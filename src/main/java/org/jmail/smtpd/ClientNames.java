package org.jmail.smtpd;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jmail.util.InetText;

/**
 * The client host name smtpd logs and writes into Received: — Postfix's verified name: the
 * reverse (PTR) name of the address, kept only when that name resolves back to the address;
 * otherwise {@code unknown}. Loopback addresses are {@code localhost} without any lookup.
 *
 * <p>The lookup (the system resolver: /etc/hosts, then DNS) runs on a helper thread and is
 * abandoned after a time limit, so that a slow DNS server never holds a session for long;
 * an abandoned lookup finishes in the background. Thread-safe.
 */
@FunctionalInterface
public interface ClientNames {

    /** The verified name of the client, or "unknown". Never blocks longer than its limit. */
    String nameOf(InetAddress address);

    /**
     * The verified and the reverse name with their lookup statuses. The default derives them
     * from {@link #nameOf} (no temporary failures can be seen that way).
     */
    default PeerNames lookup(InetAddress address) {
        return PeerNames.ofVerified(nameOf(address));
    }

    /** PTR then forward confirmation through the shared DNS resolver (see {@link DnsClientNames}). */
    static ClientNames dns(org.jmail.dns.DnsResolver dns) {
        return new DnsClientNames(dns);
    }

    /** Reverse + forward lookup by the system resolver, at most {@code limit} per client. */
    static ClientNames system(Duration limit) {
        return new SystemLookup(limit);
    }

    /** Postfix's name for a client whose name can't be verified. */
    String UNKNOWN = "unknown";

    /** The standard implementation (see the interface comment). */
    final class SystemLookup implements ClientNames {
        private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "smtpd-client-name");
            t.setDaemon(true);
            return t;
        });

        private final Duration limit;

        SystemLookup(Duration limit) {
            this.limit = limit;
        }

        @Override
        public String nameOf(InetAddress address) {
            // only the loopback addresses /etc/hosts names: the rest of 127/8 is looked up like
            // any client (tests bind 127.0.0.x to play clients without a name)
            if (isPrimaryLoopback(address)) {
                return "localhost";
            }
            Future<String> f = POOL.submit(() -> verified(address));
            try {
                return f.get(limit.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                f.cancel(true);
                return UNKNOWN;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return UNKNOWN;
            } catch (Exception e) {
                return UNKNOWN;
            }
        }

        private static boolean isPrimaryLoopback(InetAddress address) {
            byte[] b = address.getAddress();
            if (b.length == 4) {
                return b[0] == 127 && b[1] == 0 && b[2] == 0 && b[3] == 1;
            }
            return address.isLoopbackAddress();
        }

        private static String verified(InetAddress address) throws java.net.UnknownHostException {
            // getCanonicalHostName does PTR then checks that the name maps back to the address;
            // when either step fails it returns the address literal
            String name = InetAddress.getByAddress(address.getAddress()).getCanonicalHostName();
            if (name == null || name.isEmpty() || name.equals(address.getHostAddress())
                    || name.equals(InetText.format(address)) || name.indexOf(':') >= 0) {
                return UNKNOWN;
            }
            return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        }
    }
}
