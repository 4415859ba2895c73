package org.jmail.table;

/**
 * inet_pton(3) for IPv4 dotted quads and IPv6 text, without any name service lookup (unlike
 * InetAddress.getByName, which would resolve a host name). Returns 4 or 16 bytes, or null
 * when the text is not an address of the requested family.
 */
final class InetText {

    private InetText() {
    }

    /** Parses IPv6 when the text contains ':', else IPv4 (Postfix's choice of family). */
    static byte[] parse(String s) {
        return s.indexOf(':') >= 0 ? parse6(s) : parse4(s);
    }

    static byte[] parse4(String s) {
        byte[] out = new byte[4];
        return parse4(s, out, 0) ? out : null;
    }

    private static boolean parse4(String s, byte[] out, int at) {
        int n = s.length();
        int part = 0;
        int i = 0;
        while (part < 4) {
            int start = i;
            int v = 0;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9' && i - start < 4) {
                v = v * 10 + (s.charAt(i) - '0');
                i++;
            }
            int len = i - start;
            if (len == 0 || len > 3 || v > 255 || (len > 1 && s.charAt(start) == '0')) {
                return false;
            }
            out[at + part++] = (byte) v;
            if (part < 4) {
                if (i >= n || s.charAt(i) != '.') {
                    return false;
                }
                i++;
            }
        }
        return i == n;
    }

    static byte[] parse6(String s) {
        int n = s.length();
        if (n < 2) {
            return null;
        }
        byte[] out = new byte[16];
        int[] words = new int[8];
        int count = 0;
        int gap = -1;
        int i = 0;
        if (s.startsWith("::")) {
            gap = 0;
            i = 2;
            if (i == n) {
                return out;
            }
        } else if (s.charAt(0) == ':') {
            return null;
        }
        while (i < n) {
            if (count == 8) {
                return null;
            }
            // An embedded IPv4 tail: ::ffff:1.2.3.4
            int dot = s.indexOf('.', i);
            int colon = s.indexOf(':', i);
            if (dot >= 0 && (colon < 0 || dot < colon)) {
                if (count > 6) {
                    return null;
                }
                byte[] v4 = new byte[4];
                if (!parse4(s.substring(i), v4, 0)) {
                    return null;
                }
                words[count++] = ((v4[0] & 0xff) << 8) | (v4[1] & 0xff);
                words[count++] = ((v4[2] & 0xff) << 8) | (v4[3] & 0xff);
                i = n;
                break;
            }
            int start = i;
            int v = 0;
            while (i < n && Character.digit(s.charAt(i), 16) >= 0) {
                v = (v << 4) | Character.digit(s.charAt(i), 16);
                i++;
                if (i - start > 4) {
                    return null;
                }
            }
            if (i == start) {
                return null;
            }
            words[count++] = v;
            if (i < n) {
                if (s.charAt(i) != ':') {
                    return null;
                }
                i++;
                if (i < n && s.charAt(i) == ':') {
                    if (gap >= 0) {
                        return null;
                    }
                    gap = count;
                    i++;
                } else if (i == n) {
                    return null; // trailing single colon
                }
            }
        }
        if (gap < 0 && count != 8) {
            return null;
        }
        if (gap >= 0 && count == 8) {
            return null;
        }
        int[] full = new int[8];
        if (gap < 0) {
            full = words;
        } else {
            int tail = count - gap;
            System.arraycopy(words, 0, full, 0, gap);
            System.arraycopy(words, gap, full, 8 - tail, tail);
        }
        for (int k = 0; k < 8; k++) {
            out[2 * k] = (byte) (full[k] >>> 8);
            out[2 * k + 1] = (byte) full[k];
        }
        return out;
    }

    /** Text form for messages: dotted quad or RFC 5952-ish IPv6 (zero-compressed). */
    static String format(byte[] a) {
        if (a.length == 4) {
            return (a[0] & 0xff) + "." + (a[1] & 0xff) + "." + (a[2] & 0xff) + "." + (a[3] & 0xff);
        }
        int[] w = new int[8];
        for (int k = 0; k < 8; k++) {
            w[k] = ((a[2 * k] & 0xff) << 8) | (a[2 * k + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int k = 0; k < 8;) {
            if (w[k] != 0) {
                k++;
                continue;
            }
            int j = k;
            while (j < 8 && w[j] == 0) {
                j++;
            }
            if (j - k > bestLen) {
                bestStart = k;
                bestLen = j - k;
            }
            k = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < 8; k++) {
            if (k == bestStart) {
                sb.append("::");
                k += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(w[k]));
        }
        return sb.toString();
    }
}
