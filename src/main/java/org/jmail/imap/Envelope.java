package org.jmail.imap;

import java.util.ArrayList;
import java.util.List;

/**
 * FETCH ENVELOPE (RFC 3501 7.4.2) from a header: date, subject, from, sender, reply-to, to,
 * cc, bcc, in-reply-to, message-id, values undecoded as Dovecot sends them; sender and
 * reply-to default to from. Addresses are parsed leniently (display names, quoted strings,
 * comments, source routes, groups) without regular expressions.
 */
final class Envelope {

    /** One address; a group start has only mailbox (the group name), a group end nothing. */
    record Address(String name, String route, String mailbox, String host) {
    }

    private Envelope() {
    }

    static void write(StringBuilder b, MessageHeader h) {
        b.append('(');
        nstring(b, h.value("Date"));
        b.append(' ');
        nstring(b, h.value("Subject"));
        String from = h.value("From");
        String sender = h.value("Sender");
        String replyTo = h.value("Reply-To");
        b.append(' ');
        addresses(b, from);
        b.append(' ');
        addresses(b, isBlank(sender) ? from : sender);
        b.append(' ');
        addresses(b, isBlank(replyTo) ? from : replyTo);
        b.append(' ');
        addresses(b, h.value("To"));
        b.append(' ');
        addresses(b, h.value("Cc"));
        b.append(' ');
        addresses(b, h.value("Bcc"));
        b.append(' ');
        nstring(b, h.value("In-Reply-To"));
        b.append(' ');
        nstring(b, h.value("Message-ID"));
        b.append(')');
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    /** A quoted string, or a literal for values with CR/LF/8-bit (rare in an unfolded header). */
    static void nstring(StringBuilder b, String s) {
        if (s == null) {
            b.append("NIL");
            return;
        }
        if (ImapWriter.needsLiteral(s)) {
            byte[] u = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            // the caller writes the StringBuilder as UTF-8, so the octet count is what we announce
            b.append('{').append(u.length).append("}\r\n").append(s);
            return;
        }
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\');
            }
            b.append(c);
        }
        b.append('"');
    }

    private static void addresses(StringBuilder b, String value) {
        List<Address> list = value == null ? List.of() : parse(value);
        if (list.isEmpty()) {
            b.append("NIL");
            return;
        }
        b.append('(');
        for (Address a : list) {
            b.append('(');
            nstring(b, a.name);
            b.append(' ');
            nstring(b, a.route);
            b.append(' ');
            nstring(b, a.mailbox);
            b.append(' ');
            nstring(b, a.host);
            b.append(')');
        }
        b.append(')');
    }

    /** Parses an address list (RFC 5322 3.4, leniently). */
    static List<Address> parse(String s) {
        List<Address> out = new ArrayList<>();
        int i = 0;
        int n = s.length();
        StringBuilder phrase = new StringBuilder();
        String comment = null;
        boolean inGroup = false;
        StringBuilder addr = new StringBuilder();
        String angle = null;
        while (i <= n) {
            char c = i < n ? s.charAt(i) : ',';
            if (c == '"') {
                int j = i + 1;
                StringBuilder q = new StringBuilder();
                while (j < n && s.charAt(j) != '"') {
                    if (s.charAt(j) == '\\' && j + 1 < n) {
                        j++;
                    }
                    q.append(s.charAt(j));
                    j++;
                }
                phrase.append(q);
                addr.append('"').append(q).append('"');
                i = j + 1;
                continue;
            }
            if (c == '(') {
                int depth = 1;
                int j = i + 1;
                StringBuilder cm = new StringBuilder();
                while (j < n && depth > 0) {
                    char d = s.charAt(j);
                    if (d == '\\' && j + 1 < n) {
                        cm.append(s.charAt(j + 1));
                        j += 2;
                        continue;
                    }
                    if (d == '(') {
                        depth++;
                    } else if (d == ')') {
                        depth--;
                        if (depth == 0) {
                            break;
                        }
                    }
                    cm.append(d);
                    j++;
                }
                if (comment == null) {
                    comment = cm.toString().strip();
                }
                i = j + 1;
                continue;
            }
            if (c == '<') {
                int j = s.indexOf('>', i + 1);
                if (j < 0) {
                    j = n;
                }
                angle = s.substring(i + 1, j).strip();
                i = j + 1;
                continue;
            }
            if (c == ':' && !inGroup && angle == null) {
                out.add(new Address(null, null, phrase.toString().strip(), null));
                inGroup = true;
                phrase.setLength(0);
                addr.setLength(0);
                comment = null;
                i++;
                continue;
            }
            if (c == ',' || c == ';') {
                String spec = angle != null ? angle : addr.toString().strip();
                if (!spec.isEmpty() || angle != null) {
                    String name = angle != null ? clean(phrase.toString()) : comment;
                    out.add(spec(name, spec));
                }
                phrase.setLength(0);
                addr.setLength(0);
                angle = null;
                comment = null;
                if (c == ';' && inGroup) {
                    out.add(new Address(null, null, null, null));
                    inGroup = false;
                }
                i++;
                continue;
            }
            phrase.append(c);
            addr.append(c);
            i++;
        }
        if (inGroup) {
            out.add(new Address(null, null, null, null));
        }
        return out;
    }

    private static String clean(String phrase) {
        String p = phrase.strip();
        StringBuilder b = new StringBuilder(p.length());
        boolean space = false;
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == ' ' || c == '\t') {
                space = true;
                continue;
            }
            if (space && b.length() > 0) {
                b.append(' ');
            }
            space = false;
            b.append(c);
        }
        return b.length() == 0 ? null : b.toString();
    }

    private static Address spec(String name, String spec) {
        String route = null;
        String s = spec.replace(" ", "").replace("\t", "");
        if (s.startsWith("@")) {
            int colon = s.indexOf(':');
            if (colon > 0) {
                route = s.substring(0, colon);
                s = s.substring(colon + 1);
            }
        }
        int at = s.lastIndexOf('@');
        String mailbox = at < 0 ? s : s.substring(0, at);
        String host = at < 0 ? null : s.substring(at + 1);
        if (mailbox.length() >= 2 && mailbox.startsWith("\"") && mailbox.endsWith("\"")) {
            mailbox = mailbox.substring(1, mailbox.length() - 1);
        }
        return new Address(name == null || name.isEmpty() ? null : name, route, mailbox,
                host == null || host.isEmpty() ? (at < 0 ? "MISSING_DOMAIN" : null) : host);
    }
}
