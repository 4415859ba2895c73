package org.jmail.cleanup;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.jmail.config.MainConfig;

/**
 * The main.cf values cleanup uses, read once. Keys missing from {@code Defaults} are read
 * with Postfix's default: {@code hopcount_limit} (50), {@code message_drop_headers}
 * ("bcc, content-length, resent-bcc, return-path"), {@code undisclosed_recipients_header}
 * (empty since Postfix 2.8), {@code local_header_rewrite_clients} (permit_inet_interfaces).
 */
final class CleanupSettings {

    final String myhostname;
    final String myorigin;
    final String mailName;
    final long messageSizeLimit;
    final int headerSizeLimit;
    final int hopcountLimit;
    final Set<String> dropHeaders;
    final boolean alwaysAddMissingHeaders;
    final String undisclosedRecipientsHeader;
    /** Unqualified addresses in local submissions' headers get @$myorigin (Postfix's default). */
    final boolean appendAtMyorigin;

    CleanupSettings(MainConfig c) {
        myhostname = c.get("myhostname");
        myorigin = c.get("myorigin").isEmpty() ? myhostname : c.get("myorigin");
        mailName = c.get("mail_name").isEmpty() ? "jmail" : c.get("mail_name");
        messageSizeLimit = number(c, "message_size_limit", 10240000L);
        headerSizeLimit = (int) Math.max(1, number(c, "header_size_limit", 102400L));
        hopcountLimit = (int) number(c, "hopcount_limit", 50L);
        String drop = c.isExplicit("message_drop_headers") ? c.get("message_drop_headers")
                : "bcc, content-length, resent-bcc, return-path";
        dropHeaders = new HashSet<>();
        for (String h : MainConfig.splitList(drop)) {
            dropHeaders.add(h.toLowerCase(Locale.ROOT));
        }
        alwaysAddMissingHeaders = c.getBoolean("always_add_missing_headers");
        undisclosedRecipientsHeader = c.get("undisclosed_recipients_header").strip();
        appendAtMyorigin = c.getBoolean("append_at_myorigin");
    }

    /** A number from main.cf; {@code dflt} when empty or not a number (Postfix's default). */
    static long number(MainConfig c, String key, long dflt) {
        String v = c.get(key).strip();
        if (v.isEmpty()) {
            return dflt;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            return dflt;
        }
    }
}
