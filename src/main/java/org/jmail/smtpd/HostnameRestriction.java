package org.jmail.smtpd;

import org.jmail.dns.DnsStatus;
import org.jmail.resolve.Addresses;

/**
 * The name checks of Postfix's smtpd_check.c, with its reply codes and texts:
 * <ul>
 * <li>{@code reject_invalid_helo_hostname}: {@code 501 5.5.2 <h>: Helo command rejected: Invalid name}
 *     ({@code invalid_hostname_reject_code});
 * <li>{@code reject_non_fqdn_helo_hostname}: {@code 504 5.5.2 <h>: Helo command rejected: need
 *     fully-qualified hostname} ({@code non_fqdn_reject_code}); address literals pass;
 * <li>{@code reject_unknown_helo_hostname}: no A, AAAA or MX record:
 *     {@code 450 4.7.1 <h>: Helo command rejected: Host not found} ({@code unknown_hostname_reject_code});
 * <li>{@code reject_unknown_reverse_client_hostname}: no PTR: {@code 450 4.7.1 Client host rejected:
 *     cannot find your reverse hostname, [ip]} ({@code unknown_client_reject_code});
 * <li>{@code reject_unknown_client_hostname}: no forward-confirmed name (the client name is
 *     {@code unknown}): {@code 450 4.7.25 Client host rejected: cannot find your hostname, [ip]} ({@code unknown_client_reject_code}; RFC 7372);
 *     for both client checks a temporary lookup failure ({@link PeerNames.Status#TEMP}) is always 450;
 * <li>{@code reject_non_fqdn_sender}/{@code _recipient}: {@code 504 5.5.2 <a>: Sender address
 *     rejected: need fully-qualified address};
 * <li>{@code reject_unknown_sender_domain}/{@code _recipient_domain}: no A, AAAA or MX:
 *     {@code 450 4.1.8 <a>: Sender address rejected: Domain not found}
 *     ({@code unknown_address_reject_code}; 4.1.2 for recipients).
 * </ul>
 * A DNS temporary failure gives 450 with the same DSN and text, never a 5xx, and only
 * when the request would otherwise be permitted (Postfix's defer_if_permit, the default
 * unknown_*_tempfail_action): a later reject in the lists wins. A domain with a null MX (RFC 7505) gets
 * {@code 550 5.7.27 <a>: Sender address rejected: Domain d does not accept mail (nullMX)}
 * ({@code 556 5.1.10} for recipients). The null sender and addresses without a domain pass the domain checks.
 */
final class HostnameRestriction implements Restriction {

    enum Check {
        INVALID_HELO, NON_FQDN_HELO, UNKNOWN_HELO, UNKNOWN_REVERSE_CLIENT, UNKNOWN_CLIENT,
        NON_FQDN_SENDER, NON_FQDN_RECIPIENT, UNKNOWN_SENDER_DOMAIN, UNKNOWN_RECIPIENT_DOMAIN
    }

    private static final java.util.regex.Pattern IPV4 = java.util.regex.Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final java.util.regex.Pattern IPV6 = java.util.regex.Pattern.compile("[0-9A-Fa-f:.]+");

    private final Check check;

    HostnameRestriction(Check check) {
        this.check = check;
    }

    @Override
    public Verdict check(CheckContext ctx) {
        SmtpdSettings s = ctx.settings();
        switch (check) {
            case INVALID_HELO: {
                String h = ctx.helo();
                if (h == null || isAddressLiteral(h) || validHostname(h) || bareAddress(h)) {
                    return Verdict.DUNNO;
                }
                return ctx.reject(s.invalidHostnameRejectCode, "5.5.2", "<" + h + ">: Helo command rejected: Invalid name");
            }
            case NON_FQDN_HELO: {
                String h = ctx.helo();
                if (h == null || isAddressLiteral(h) || fqdn(h)) {
                    return Verdict.DUNNO;
                }
                return ctx.reject(s.nonFqdnRejectCode, "5.5.2",
                        "<" + h + ">: Helo command rejected: need fully-qualified hostname");
            }
            case UNKNOWN_HELO: {
                String h = ctx.helo();
                if (h == null || isAddressLiteral(h)) {
                    return Verdict.DUNNO;
                }
                DnsStatus st = hostStatus(ctx, h);
                if (st == DnsStatus.OK) {
                    return Verdict.DUNNO;
                }
                String text = "<" + h + ">: Helo command rejected: Host not found";
                return st == DnsStatus.TRY_AGAIN ? ctx.deferIfPermit(450, "4.7.1", text)
                        : ctx.reject(s.unknownHostnameRejectCode, "4.7.1", text);
            }
            case UNKNOWN_REVERSE_CLIENT: {
                // smtpd_check.c reject_unknown_reverse_name: 4.7.1 (not RFC 7372's code); temporary failure always 450
                ClientInfo c = ctx.client();
                PeerNames.Status st = c.names().reverseStatus();
                if (st == PeerNames.Status.OK) {
                    return Verdict.DUNNO;
                }
                return ctx.reject(st == PeerNames.Status.PERM ? s.unknownClientRejectCode : 450, "4.7.1",
                        "Client host rejected: cannot find your reverse hostname, [" + c.addr() + "]");
            }
            case UNKNOWN_CLIENT: {
                // smtpd_check.c reject_unknown_client: RFC 7372's 4.7.25; temporary failure always 450
                ClientInfo c = ctx.client();
                PeerNames.Status st = c.names().nameStatus();
                if (st == PeerNames.Status.OK) {
                    return Verdict.DUNNO;
                }
                return ctx.reject(st == PeerNames.Status.PERM ? s.unknownClientRejectCode : 450, "4.7.25",
                        "Client host rejected: cannot find your hostname, [" + c.addr() + "]");
            }
            case NON_FQDN_SENDER:
                return nonFqdnAddress(ctx, ctx.sender(), "Sender address");
            case NON_FQDN_RECIPIENT:
                return nonFqdnAddress(ctx, ctx.recipient(), "Recipient address");
            case UNKNOWN_SENDER_DOMAIN:
                return unknownDomain(ctx, ctx.sender(), "Sender address", "4.1.8");
            case UNKNOWN_RECIPIENT_DOMAIN:
                return unknownDomain(ctx, ctx.recipient(), "Recipient address", "4.1.2");
            default:
                return Verdict.DUNNO;
        }
    }

    private static Verdict nonFqdnAddress(CheckContext ctx, String address, String cls) {
        if (address == null || address.isEmpty()) {
            return Verdict.DUNNO;
        }
        String domain = Addresses.domain(address);
        if (domain != null && (isAddressLiteral(domain) || fqdn(domain))) {
            return Verdict.DUNNO;
        }
        return ctx.reject(ctx.settings().nonFqdnRejectCode, "5.5.2",
                "<" + address + ">: " + cls + " rejected: need fully-qualified address");
    }

    private static Verdict unknownDomain(CheckContext ctx, String address, String cls, String dsn) {
        if (address == null || address.isEmpty()) {
            return Verdict.DUNNO;
        }
        String domain = Addresses.domain(address);
        if (domain == null || domain.isEmpty() || isAddressLiteral(domain)) {
            return Verdict.DUNNO;
        }
        String d = domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain;
        var mx = ctx.checks().dns().mx(d);
        if (mx.ok() && mx.records().size() == 1 && mx.records().get(0).isNullMx()) {
            boolean sender = cls.startsWith("Sender");
            return ctx.reject(sender ? 550 : 556, sender ? "5.7.27" : "5.1.10",
                    "<" + address + ">: " + cls + " rejected: Domain " + d + " does not accept mail (nullMX)");
        }
        DnsStatus st = hostStatus(ctx, domain);
        if (st == DnsStatus.OK) {
            return Verdict.DUNNO;
        }
        if (st == DnsStatus.TRY_AGAIN) {
            return ctx.deferIfPermit(450, dsn, "<" + address + ">: " + cls + " rejected: Domain not found");
        }
        return ctx.reject(ctx.settings().unknownAddressRejectCode, dsn,
                "<" + address + ">: " + cls + " rejected: Domain not found");
    }

    /** OK when the name has an MX, A or AAAA record; TRY_AGAIN when any lookup failed temporarily. */
    private static DnsStatus hostStatus(CheckContext ctx, String name) {
        var dns = ctx.checks().dns();
        String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        DnsStatus mx = dns.mx(n).status();
        if (mx == DnsStatus.OK) {
            return DnsStatus.OK;
        }
        DnsStatus a = dns.a(n).status();
        if (a == DnsStatus.OK) {
            return DnsStatus.OK;
        }
        DnsStatus aaaa = dns.aaaa(n).status();
        if (aaaa == DnsStatus.OK) {
            return DnsStatus.OK;
        }
        if (mx == DnsStatus.TRY_AGAIN || a == DnsStatus.TRY_AGAIN || aaaa == DnsStatus.TRY_AGAIN) {
            return DnsStatus.TRY_AGAIN;
        }
        return DnsStatus.NOT_FOUND;
    }

    static boolean isAddressLiteral(String s) {
        return s.length() > 2 && s.charAt(0) == '[' && s.charAt(s.length() - 1) == ']';
    }

    /** A bare IPv4 or IPv6 address, which Postfix's reject_invalid_helo_hostname lets pass. */
    private static boolean bareAddress(String h) {
        return IPV4.matcher(h).matches() || (h.indexOf(':') >= 0 && IPV6.matcher(h).matches());
    }

    private static boolean fqdn(String h) {
        String n = h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
        return n.indexOf('.') > 0 && validHostname(n);
    }

    /** Postfix's valid_hostname: labels of letters, digits and inner hyphens, not all-numeric. */
    static boolean validHostname(String h) {
        String n = h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
        if (n.isEmpty() || n.length() > 255) {
            return false;
        }
        boolean allNumeric = true;
        for (String label : n.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63 || label.charAt(0) == '-'
                    || label.charAt(label.length() - 1) == '-') {
                return false;
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                if (!(Character.isLetterOrDigit(c) && c < 128) && c != '-' && c != '_') {
                    return false;
                }
            }
        }
        String last = n.substring(n.lastIndexOf('.') + 1);
        for (int i = 0; i < last.length(); i++) {
            if (!Character.isDigit(last.charAt(i))) {
                allNumeric = false;
            }
        }
        return !allNumeric;
    }
}
