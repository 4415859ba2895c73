package org.jmail.smtpd;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jmail.table.LookupTable;

/**
 * {@code check_client_access}, {@code check_helo_access}, {@code check_sender_access} and
 * {@code check_recipient_access type:table}: the first key the table knows decides, as
 * Postfix's check_access/check_table_result.
 *
 * <p>Keys, in Postfix's order: client: the verified name and its parent domains (not when the
 * name is {@code unknown}), then the address and its shorter prefixes ({@code 1.2.3.4},
 * {@code 1.2.3}, {@code 1.2}, {@code 1}; IPv6 by {@code :} groups) — cidr:/regexp: tables
 * see the full address only; HELO: the name and its parent domains; sender/recipient:
 * {@code user@domain}, {@code domain} and its parent domains, {@code user@} (the null sender
 * as {@code smtpd_null_access_lookup_key}, {@code <>}).
 *
 * <p>Actions: {@code OK}/{@code PERMIT}; {@code DUNNO}; {@code REJECT [text]}
 * ({@code access_map_reject_code} 554, {@code 5.7.1}, text default {@code Access denied});
 * {@code DEFER [text]} ({@code access_map_defer_code} 450, {@code 4.7.1}); {@code 4NN text},
 * {@code 5NN text} (optionally with a DSN code); or a restriction list such as
 * {@code permit_mynetworks, reject}, evaluated in place. Replies read
 * {@code 554 5.7.1 <name>: Client host rejected: text}. Unknown actions are a configuration
 * error (451 4.3.5), as Postfix's "unknown action" warning.
 */
final class AccessRestriction implements Restriction {

    enum Kind { CLIENT, HELO, SENDER, RECIPIENT }

    private static final java.util.regex.Pattern DSN = java.util.regex.Pattern.compile("[45]\\.\\d{1,3}\\.\\d{1,3}");

    private final Kind kind;
    private final String spec;
    private final Map<String, RestrictionList> nested = new ConcurrentHashMap<>();

    AccessRestriction(Kind kind, String name, String spec) {
        if (spec == null) {
            throw new Restriction.ConfigurationError("restriction " + name + " requires type:table argument");
        }
        this.kind = kind;
        this.spec = spec;
    }

    @Override
    public Verdict check(CheckContext ctx) throws IOException {
        LookupTable table = ctx.checks().accessTable(spec);
        String value = switch (kind) {
            case CLIENT -> findClient(ctx, table);
            case HELO -> ctx.helo() == null ? null : findDomain(ctx, table, ctx.helo().toLowerCase(Locale.ROOT));
            case SENDER -> ctx.sender() == null ? null : findAddress(ctx, table, ctx.sender());
            case RECIPIENT -> ctx.recipient() == null ? null : findAddress(ctx, table, ctx.recipient());
        };
        return value == null ? Verdict.DUNNO : action(ctx, value.strip());
    }

    private String findClient(CheckContext ctx, LookupTable table) throws IOException {
        ClientInfo c = ctx.client();
        if (!c.name().equals("unknown")) {
            String v = findDomain(ctx, table, c.name().toLowerCase(Locale.ROOT));
            if (v != null) {
                return v;
            }
        }
        String addr = c.addr();
        String v = table.find(addr);
        if (v != null || isPatternTable()) {
            return v;
        }
        char sep = addr.indexOf(':') >= 0 ? ':' : '.';
        for (int i = addr.lastIndexOf(sep); i > 0; i = addr.lastIndexOf(sep, i - 1)) {
            String prefix = addr.substring(0, i);
            if (prefix.endsWith(String.valueOf(sep))) {
                continue;
            }
            v = table.find(prefix);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    private boolean isPatternTable() {
        String type = spec.substring(0, Math.max(0, spec.indexOf(':'))).toLowerCase(Locale.ROOT);
        return type.equals("cidr") || type.equals("regexp") || type.equals("pcre");
    }

    /**
     * The domain, then its parents: "b.c", "c" when parent_domain_matches_subdomains names
     * smtpd_access_maps (the default), else ".b.c", ".c".
     */
    private static String findDomain(CheckContext ctx, LookupTable table, String domain) throws IOException {
        String d = domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain;
        String v = table.find(d);
        boolean bare = ctx.settings().accessParentMatchesSubdomains;
        for (int dot = d.indexOf('.'); v == null && dot >= 0; dot = d.indexOf('.', dot + 1)) {
            v = table.find(bare ? d.substring(dot + 1) : d.substring(dot));
        }
        return v;
    }

    /** user@domain, user@domain without the extension, domain and parents, user@, user@ without extension. */
    private static String findAddress(CheckContext ctx, LookupTable table, String address) throws IOException {
        if (address.isEmpty()) {
            return table.find(ctx.settings().nullAccessLookupKey);
        }
        String a = address.toLowerCase(Locale.ROOT);
        int at = a.lastIndexOf('@');
        String local = at < 0 ? a : a.substring(0, at);
        String bareLocal = stripExtension(local, ctx.settings().recipientDelimiter);
        String v = table.find(a);
        if (v == null && at >= 0 && !bareLocal.equals(local)) {
            v = table.find(bareLocal + a.substring(at));
        }
        if (v != null || at < 0) {
            return v;
        }
        v = findDomain(ctx, table, a.substring(at + 1));
        if (v == null) {
            v = table.find(local + "@");
        }
        if (v == null && !bareLocal.equals(local)) {
            v = table.find(bareLocal + "@");
        }
        return v;
    }

    private static String stripExtension(String local, String delimiters) {
        if (delimiters == null || delimiters.isEmpty() || local.equals("postmaster")) {
            return local;
        }
        for (int i = 0; i < local.length(); i++) {
            if (delimiters.indexOf(local.charAt(i)) >= 0 && i > 0) {
                return local.substring(0, i);
            }
        }
        return local;
    }

    private Verdict action(CheckContext ctx, String value) throws IOException {
        String word = value;
        String text = "";
        int sp = indexOfSpace(value);
        if (sp > 0) {
            word = value.substring(0, sp);
            text = value.substring(sp).strip();
        }
        String upper = word.toUpperCase(Locale.ROOT);
        switch (upper) {
            case "OK", "PERMIT":
                return Verdict.PERMIT;
            case "DUNNO":
                return Verdict.DUNNO;
            case "REJECT":
                return ctx.rejectClass(ctx.settings().accessMapRejectCode, "5.7.1",
                        text.isEmpty() ? "Access denied" : text);
            case "DEFER":
                return ctx.rejectClass(ctx.settings().accessMapDeferCode, "4.7.1",
                        text.isEmpty() ? "Access denied" : text);
            default:
                break;
        }
        if (word.length() == 3 && (word.charAt(0) == '4' || word.charAt(0) == '5')
                && Character.isDigit(word.charAt(1)) && Character.isDigit(word.charAt(2))) {
            int code = Integer.parseInt(word);
            String dsn = code >= 500 ? "5.7.1" : "4.7.1";
            int sp2 = indexOfSpace(text);
            String first = sp2 > 0 ? text.substring(0, sp2) : text;
            if (DSN.matcher(first).matches()) {
                dsn = first;
                text = sp2 > 0 ? text.substring(sp2).strip() : "";
            }
            return ctx.rejectClass(code, dsn, text.isEmpty() ? "Access denied" : text);
        }
        if (Character.isDigit(word.charAt(0))) {
            throw new Restriction.ConfigurationError("access table " + spec + ": unknown action \"" + value + "\"");
        }
        RestrictionList list = nested.computeIfAbsent(value, v -> Restrictions.parse(spec, v));
        List<String> unknown = list.unknownNames();
        if (!unknown.isEmpty()) {
            throw new Restriction.ConfigurationError("access table " + spec + ": unknown action \"" + value + "\"");
        }
        return list.evaluateNested(ctx);
    }

    private static int indexOfSpace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }
}
