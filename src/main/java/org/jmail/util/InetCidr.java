package org.jmail.util;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * One IPv4 or IPv6 network in CIDR notation, as Postfix writes them in {@code mynetworks} and
 * cidr tables: {@code 192.168.1.0/24}, {@code 10.1.2.3} (a host), {@code ::1}, {@code [::1]/128},
 * {@code [2001:db8::]/32}. Brackets around an IPv6 address are optional.
 *
 * <p>IPv4-mapped IPv6 networks such as {@code [::ffff:127.0.0.0]/104} are stored as the
 * equivalent IPv4 network ({@code 127.0.0.0/8}), because Java reports a client that connects
 * with a mapped address as an IPv4 address.
 *
 * <p>Parsing never consults DNS: anything that is not an address literal is refused with
 * {@link IllegalArgumentException}. Host bits set below the prefix are cleared (Postfix warns
 * about them; {@link #hadHostBits()} tells the caller so it can warn too). Instances are
 * immutable and thread-safe.
 */
public final class InetCidr {

    private final byte[] network;
    private final int prefix;
    private final boolean hadHostBits;
    private final String text;

    private InetCidr(byte[] network, int prefix, boolean hadHostBits, String text) {
        this.network = network;
        this.prefix = prefix;
        this.hadHostBits = hadHostBits;
        this.text = text;
    }

    /**
     * Parses {@code address[/prefix]} with optional brackets around the address.
     *
     * @throws IllegalArgumentException when the text is not an address literal or the prefix
     *         is out of range
     */
    public static InetCidr parse(String text) {
        String s = text.strip();
        String addrPart = s;
        String prefixPart = null;
        int slash = s.lastIndexOf('/');
        if (slash >= 0) {
            addrPart = s.substring(0, slash);
            prefixPart = s.substring(slash + 1);
        }
        if (addrPart.startsWith("[") && addrPart.endsWith("]")) {
            addrPart = addrPart.substring(1, addrPart.length() - 1);
        }
        byte[] bytes = parseLiteral(addrPart);
        if (bytes == null) {
            throw new IllegalArgumentException("bad address syntax: \"" + text + "\"");
        }
        int maxBits = bytes.length * 8;
        int bits = maxBits;
        if (prefixPart != null) {
            if (prefixPart.isEmpty() || prefixPart.length() > 3 || !prefixPart.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("bad net/mask pattern: \"" + text + "\"");
            }
            bits = Integer.parseInt(prefixPart);
        }
        // ::ffff:a.b.c.d/n is the IPv4 network a.b.c.d/(n-96); Java hands us such clients as IPv4
        if (bytes.length == 16 && isV4Mapped(bytes)) {
            byte[] v4 = new byte[4];
            System.arraycopy(bytes, 12, v4, 0, 4);
            bytes = v4;
            bits = Math.max(0, bits - 96);
            maxBits = 32;
        }
        if (bits < 0 || bits > maxBits) {
            throw new IllegalArgumentException("bad net/mask pattern: \"" + text + "\"");
        }
        boolean hostBits = false;
        for (int i = 0; i < bytes.length; i++) {
            int keep = Math.max(0, Math.min(8, bits - i * 8));
            int mask = keep == 0 ? 0 : (0xff << (8 - keep)) & 0xff;
            if ((bytes[i] & ~mask & 0xff) != 0) {
                hostBits = true;
            }
            bytes[i] = (byte) (bytes[i] & mask);
        }
        return new InetCidr(bytes, bits, hostBits, s);
    }

    /** Whether {@code address} lies inside this network. Addresses of the other family never match. */
    public boolean matches(InetAddress address) {
        return matches(address.getAddress());
    }

    /** Same as {@link #matches(InetAddress)} for raw address bytes (4 or 16). */
    public boolean matches(byte[] addr) {
        if (addr.length == 16 && network.length == 4 && isV4Mapped(addr)) {
            byte[] v4 = new byte[4];
            System.arraycopy(addr, 12, v4, 0, 4);
            addr = v4;
        }
        if (addr.length != network.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (addr[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (addr[full] & mask) == (network[full] & mask);
    }

    public int prefixLength() {
        return prefix;
    }

    public boolean isIpv4() {
        return network.length == 4;
    }

    /** True when the pattern had bits set below the prefix (they were cleared). */
    public boolean hadHostBits() {
        return hadHostBits;
    }

    /** The network address, e.g. {@code 192.168.1.0}, as a Java address. */
    public InetAddress networkAddress() {
        try {
            return InetAddress.getByAddress(network.clone());
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return text;
    }

    /**
     * The bytes of an IPv4 dotted quad or an IPv6 literal, or null. Never does DNS: Java's
     * getByName is only used for text containing ':' (it refuses bad IPv6 text without lookup).
     */
    public static byte[] parseLiteral(String s) {
        if (s.isEmpty()) {
            return null;
        }
        if (s.indexOf(':') >= 0) {
            if (s.indexOf('%') >= 0) {
                return null; // scoped addresses have no place in access lists
            }
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (!(c == ':' || c == '.' || Character.digit(c, 16) >= 0)) {
                    return null;
                }
            }
            try {
                InetAddress a = InetAddress.getByName(s);
                byte[] b = a.getAddress();
                if (b.length == 4) {
                    // Java collapsed ::ffff:a.b.c.d to IPv4; keep the IPv6 form for the caller
                    byte[] v6 = new byte[16];
                    v6[10] = (byte) 0xff;
                    v6[11] = (byte) 0xff;
                    System.arraycopy(b, 0, v6, 12, 4);
                    return v6;
                }
                return b;
            } catch (UnknownHostException e) {
                return null;
            }
        }
        return parseIpv4(s);
    }

    private static byte[] parseIpv4(String s) {
        byte[] out = new byte[4];
        int part = 0;
        int value = -1;
        for (int i = 0; i <= s.length(); i++) {
            char c = i < s.length() ? s.charAt(i) : '.';
            if (c == '.') {
                if (value < 0 || part > 3) {
                    return null;
                }
                out[part++] = (byte) value;
                value = -1;
            } else if (c >= '0' && c <= '9') {
                value = value < 0 ? c - '0' : value * 10 + (c - '0');
                if (value > 255) {
                    return null;
                }
            } else {
                return null;
            }
        }
        return part == 4 ? out : null;
    }

    private static boolean isV4Mapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
    }
}
