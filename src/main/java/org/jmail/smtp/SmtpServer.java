package org.jmail.smtp;

import java.net.InetAddress;

/**
 * One mail server to try: its name (the MX host, or the address itself for a literal), one of
 * its addresses, the port, and the MX preference it came with.
 */
public record SmtpServer(String host, InetAddress address, int port, int preference) {

    /** "host[ip]" as in Postfix's messages. */
    public String namaddr() {
        return host + "[" + address.getHostAddress() + "]";
    }

    /** "host[ip]:port", Postfix's relay= value. */
    public String namaddrport() {
        return namaddr() + ":" + port;
    }

    static boolean isNumeric(String host) {
        if (host.isEmpty()) {
            return false;
        }
        if (host.indexOf(':') >= 0) {
            return host.matches("[0-9A-Fa-f:.]+");
        }
        return host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }
}
