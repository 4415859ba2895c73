package org.jmail.cleanup;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jmail.config.MainConfig;
import org.jmail.log.MailLog;

/**
 * Postfix's header rewriting context: "local" for mail submitted on this host, "remote"
 * otherwise. Local submissions are sendmail(1) (protocol "local") and SMTP clients matched by
 * {@code local_header_rewrite_clients} (default {@code permit_inet_interfaces}: the client
 * connects from one of this host's own addresses, loopback included). Cleanup adds a missing
 * {@code From:} (and {@code undisclosed_recipients_header}) only in the local context, as
 * Postfix does.
 *
 * <p>Supported list entries: {@code permit_inet_interfaces}, {@code static:all}. Others
 * (e.g. {@code permit_mynetworks}, {@code permit_sasl_authenticated}) are warned about once
 * and never match.
 */
final class RewriteContext {

    private static final MailLog LOG = MailLog.of("cleanup");

    private final boolean all;
    private final boolean inetInterfaces;
    private final Map<String, Boolean> interfaceCache = new ConcurrentHashMap<>();

    RewriteContext(MainConfig config) {
        String v = config.get("local_header_rewrite_clients");
        List<String> entries = config.isExplicit("local_header_rewrite_clients") || !v.isEmpty()
                ? MainConfig.splitList(v) : List.of("permit_inet_interfaces");
        boolean a = false;
        boolean i = false;
        for (String e : entries) {
            switch (e.toLowerCase()) {
                case "static:all" -> a = true;
                case "permit_inet_interfaces" -> i = true;
                default -> LOG.warn("local_header_rewrite_clients: unsupported entry \"" + e + "\" is ignored");
            }
        }
        this.all = a;
        this.inetInterfaces = i;
    }

    boolean isLocal(MessageOrigin origin) {
        if ("local".equalsIgnoreCase(origin.protocol()) || all) {
            return true;
        }
        return inetInterfaces && origin.clientAddr() != null && isOwnAddress(origin.clientAddr());
    }

    private boolean isOwnAddress(String addr) {
        Boolean known = interfaceCache.get(addr);
        if (known != null) {
            return known;
        }
        boolean own = false;
        if (!addr.isEmpty() && (Character.digit(addr.charAt(0), 16) >= 0 || addr.indexOf(':') >= 0)) {
            try {
                // An IP literal: no DNS query is made.
                InetAddress a = InetAddress.getByName(addr);
                own = a.isLoopbackAddress() || NetworkInterface.getByInetAddress(a) != null;
            } catch (Exception e) {
                own = false;
            }
        }
        if (interfaceCache.size() > 4096) {
            interfaceCache.clear();
        }
        interfaceCache.put(addr, own);
        return own;
    }
}
