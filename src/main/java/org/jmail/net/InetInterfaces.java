package org.jmail.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.jmail.config.MainConfig;

/**
 * Which local addresses an inet service listens on: main.cf {@code inet_interfaces}
 * ({@code all}, {@code loopback-only}, or a list of addresses/names) filtered by
 * {@code inet_protocols} ({@code all}, {@code ipv4}, {@code ipv6}), unless the master.cf service
 * name carries its own host ({@code 127.0.0.1:2525}).
 */
public final class InetInterfaces {

    private InetInterfaces() {
    }

    public static List<InetAddress> bindAddresses(MainConfig config, String serviceHost) throws UnknownHostException {
        boolean v4 = true;
        boolean v6 = true;
        String protocols = config.get("inet_protocols").toLowerCase();
        if (!protocols.contains("all")) {
            v4 = protocols.contains("ipv4");
            v6 = protocols.contains("ipv6");
        }
        List<InetAddress> out = new ArrayList<>();
        if (serviceHost != null && !serviceHost.isEmpty()) {
            for (InetAddress a : InetAddress.getAllByName(serviceHost)) {
                out.add(a);
            }
            return out;
        }
        List<String> ifaces = config.list("inet_interfaces");
        if (ifaces.isEmpty() || ifaces.contains("all")) {
            // the wildcard: on Linux "::" also takes IPv4 unless v6-only; bind 0.0.0.0 when v4 only
            out.add(InetAddress.getByName(v6 ? "::" : "0.0.0.0"));
            return out;
        }
        for (String i : ifaces) {
            if (i.equals("loopback-only") || i.equals("localhost")) {
                if (v4) {
                    out.add(InetAddress.getByName("127.0.0.1"));
                }
                if (v6) {
                    out.add(InetAddress.getByName("::1"));
                }
                continue;
            }
            String h = i.startsWith("[") && i.endsWith("]") ? i.substring(1, i.length() - 1) : i;
            for (InetAddress a : InetAddress.getAllByName(h)) {
                boolean isV6 = a instanceof java.net.Inet6Address;
                if ((isV6 && v6) || (!isV6 && v4)) {
                    out.add(a);
                }
            }
        }
        return out;
    }
}
