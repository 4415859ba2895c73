package org.jmail.smtpd;

import java.net.Inet6Address;
import java.net.InetAddress;
import org.jmail.util.InetText;

/**
 * The SMTP client as smtpd knows it: its verified host name (or {@code unknown}), its address
 * in compact text form, and its port. {@link #namaddr()} is Postfix's {@code name[addr]} for
 * log lines; {@link #rfcAddr()} is the address as it appears in a Received: header
 * ({@code IPv6:::1} for IPv6, as Postfix writes it).
 */
record ClientInfo(String name, String addr, int port, InetAddress address, PeerNames names) {

    static ClientInfo of(String name, InetAddress address, int port) {
        return of(PeerNames.ofVerified(name), address, port);
    }

    /** With the reverse name and the lookup statuses (reject_unknown_*client_hostname). */
    static ClientInfo of(PeerNames names, InetAddress address, int port) {
        return new ClientInfo(names.name(), InetText.format(address), port, address, names);
    }

    String namaddr() {
        return name + "[" + addr + "]";
    }

    String rfcAddr() {
        return address instanceof Inet6Address ? "IPv6:" + addr : addr;
    }
}
