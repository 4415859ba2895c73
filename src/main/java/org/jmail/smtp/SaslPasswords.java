package org.jmail.smtp;

import java.io.IOException;
import java.util.List;
import org.jmail.table.LookupTable;
import org.jmail.table.Tables;

/**
 * smtp_sasl_password_maps: the user name and password for a server, looked up by the next hop
 * as written ({@code [mail.isp.example]:587}) and then by the server's host name, in the
 * tables in order. A value is {@code user:password} (split at the first colon). Tables are
 * opened on first use and reload themselves when their files change.
 */
final class SaslPasswords {

    record Credentials(String user, String password) {
    }

    private final String maps;
    private volatile List<LookupTable> tables;

    SaslPasswords(String maps) {
        this.maps = maps == null ? "" : maps.strip();
    }

    boolean configured() {
        return !maps.isEmpty();
    }

    /** The credentials for this next hop or host; null when there are none. IOException: table trouble. */
    Credentials find(String nexthop, String host) throws IOException {
        if (maps.isEmpty()) {
            return null;
        }
        List<LookupTable> t = tables;
        if (t == null) {
            t = Tables.openList(maps);
            tables = t;
        }
        for (String key : new String[] {nexthop, host}) {
            if (key == null || key.isEmpty()) {
                continue;
            }
            for (LookupTable table : t) {
                String v = table.find(key);
                if (v == null) {
                    v = table.find(key.toLowerCase(java.util.Locale.ROOT));
                }
                if (v != null) {
                    int colon = v.indexOf(':');
                    return colon < 0 ? new Credentials(v.strip(), "")
                            : new Credentials(v.substring(0, colon).strip(), v.substring(colon + 1).strip());
                }
            }
        }
        return null;
    }
}
