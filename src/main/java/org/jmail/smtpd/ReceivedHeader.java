package org.jmail.smtpd;

import java.time.Instant;
import org.jmail.resolve.Addresses;
import org.jmail.util.MailDate;

/**
 * smtpd's own trace header, in Postfix's exact shape:
 * <pre>
 * Received: from HELO (NAME [ADDR])
 * 	by myhostname (mail_name) with ESMTP id QUEUEID
 * 	for &lt;rcpt&gt;; Sat, 28 Nov 2026 04:41:24 +0000 (UTC)
 * </pre>
 * The {@code for} clause appears only for a message with exactly one recipient; without it the
 * date goes on its own line after {@code id QUEUEID;}. HELO falls back to the client name;
 * ADDR is {@code IPv6:...} for IPv6 clients. Lines are joined with "\n" (folded header).
 */
final class ReceivedHeader {

    private ReceivedHeader() {
    }

    static String build(String helo, ClientInfo client, String myhostname, String mailName, String protocol,
                        String queueId, int recipientCount, String firstRecipient, Instant arrival) {
        return build(helo, client, null, null, myhostname, mailName, protocol, queueId, recipientCount,
                firstRecipient, arrival);
    }

    /**
     * As above, with the TLS note after the first line when {@code tls} (a
     * {@code ServerTls.describe} text) is not null, as Postfix with
     * {@code smtpd_tls_received_header = yes}:
     * {@code (using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits))} and
     * {@code (No client certificate requested)}, each on its own folded line; then, when
     * {@code saslUser} is not null (smtpd_sasl_authenticated_header = yes),
     * {@code (Authenticated sender: login)}.
     */
    static String build(String helo, ClientInfo client, String tls, String saslUser, String myhostname,
                        String mailName,
                        String protocol, String queueId, int recipientCount, String firstRecipient, Instant arrival) {
        StringBuilder sb = new StringBuilder(300);
        sb.append("Received: from ").append(helo != null ? helo : client.name())
                .append(" (").append(client.name()).append(" [").append(client.rfcAddr()).append("])");
        if (tls != null) {
            sb.append("\n\t(using ").append(tls).append(")\n\t(No client certificate requested)");
        }
        if (saslUser != null) {
            sb.append("\n\t(Authenticated sender: ").append(commentSafe(saslUser)).append(')');
        }
        sb.append("\n\tby ")
                .append(myhostname).append(" (").append(mailName).append(") with ").append(protocol)
                .append(" id ").append(queueId);
        String date = MailDate.format(arrival);
        if (recipientCount == 1 && firstRecipient != null) {
            sb.append("\n\tfor <").append(Addresses.quote(firstRecipient)).append(">; ").append(date);
        } else {
            sb.append(";\n\t").append(date);
        }
        return sb.toString();
    }

    /** Postfix's comment_sanitize(), simplified: nothing that could end or nest the comment. */
    private static String commentSafe(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append(c == '(' || c == ')' || c == '\\' || c < ' ' ? '?' : c);
        }
        return sb.toString();
    }
}
