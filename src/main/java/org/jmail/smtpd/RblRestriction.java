package org.jmail.smtpd;

import java.net.Inet6Address;
import java.net.InetAddress;
import org.jmail.dns.DnsAnswer;
import org.jmail.resolve.Addresses;

/**
 * {@code reject_rbl_client zone[=d.d.d.d]}, {@code reject_rhsbl_client zone[=...]} and
 * {@code reject_rhsbl_sender zone[=...]}: the client address (reversed octets, or nibbles for
 * IPv6), the client name or the sender domain is looked up as an A record under the zone; a
 * listing (optionally only one whose A record equals the filter address) rejects with
 * Postfix's default_rbl_reply:
 * {@code 554 5.7.1 Service unavailable; Client host [ip] blocked using zone; <TXT>}
 * ({@code maps_rbl_reject_code}; "Sender address [domain]" for the sender; without a TXT
 * record the "; reason" part is left out). DNS failures count as not listed, as in Postfix.
 */
final class RblRestriction implements Restriction {

    enum Subject { CLIENT_ADDRESS, CLIENT_NAME, SENDER_DOMAIN }

    private final Subject subject;
    private final String zone;
    private final String filter;

    RblRestriction(Subject subject, String name, String arg) {
        if (arg == null) {
            throw new Restriction.ConfigurationError("restriction " + name + " requires domain name argument");
        }
        int eq = arg.indexOf('=');
        this.subject = subject;
        this.zone = eq < 0 ? arg : arg.substring(0, eq);
        this.filter = eq < 0 ? null : arg.substring(eq + 1);
    }

    @Override
    public Verdict check(CheckContext ctx) {
        String what;
        String query;
        String cls;
        switch (subject) {
            case CLIENT_ADDRESS:
                what = ctx.client().addr();
                query = reversed(ctx.client().address());
                cls = "Client host";
                break;
            case CLIENT_NAME:
                what = ctx.client().name();
                if (what.equals("unknown")) {
                    return Verdict.DUNNO;
                }
                query = what;
                cls = "Client host";
                break;
            default:
                String s = ctx.sender();
                String d = s == null || s.isEmpty() ? null : Addresses.domain(s);
                if (d == null || d.isEmpty() || HostnameRestriction.isAddressLiteral(d)) {
                    return Verdict.DUNNO;
                }
                what = d;
                query = d;
                cls = "Sender address";
                break;
        }
        String name = query + "." + zone;
        DnsAnswer<InetAddress> a = ctx.checks().dns().a(name);
        if (!a.ok() || a.records().isEmpty()) {
            return Verdict.DUNNO;
        }
        if (filter != null && a.records().stream().noneMatch(x -> x.getHostAddress().equals(filter))) {
            return Verdict.DUNNO;
        }
        DnsAnswer<String> txt = ctx.checks().dns().txt(name);
        String reason = txt.ok() && !txt.records().isEmpty() ? "; " + txt.records().get(0) : "";
        return ctx.reject(ctx.settings().mapsRblRejectCode, "5.7.1",
                "Service unavailable; " + cls + " [" + what + "] blocked using " + zone + reason);
    }

    static String reversed(InetAddress address) {
        byte[] b = address.getAddress();
        StringBuilder sb = new StringBuilder(b.length * 4);
        if (address instanceof Inet6Address) {
            for (int i = b.length - 1; i >= 0; i--) {
                sb.append(Character.forDigit(b[i] & 0xf, 16)).append('.')
                        .append(Character.forDigit((b[i] >> 4) & 0xf, 16)).append('.');
            }
        } else {
            for (int i = b.length - 1; i >= 0; i--) {
                sb.append(b[i] & 0xff).append('.');
            }
        }
        sb.setLength(sb.length() - 1);
        return sb.toString();
    }
}
