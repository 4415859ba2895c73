package org.jmail.master;

import java.util.List;
import org.jmail.config.ConfigProblem;
import org.jmail.config.MainConfig;
import org.jmail.table.TableChecker;

/**
 * Checks every lookup table main.cf names: its source syntax (file:line) and whether a
 * compiled file is missing or older than its source.
 */
final class TableCheck {

    /** main.cf keys whose values are table lists (or, for mydestination, may contain tables). */
    private static final List<String> TABLE_KEYS = List.of("alias_maps", "transport_maps", "mydestination",
            "local_recipient_maps", "virtual_alias_maps", "canonical_maps", "recipient_canonical_maps", "header_checks",
            "body_checks",
            "sender_canonical_maps", "relay_domains");

    private TableCheck() {
    }

    static void check(MainConfig config, List<String> errors, List<String> warnings) {
        for (String key : TABLE_KEYS) {
            for (String entry : config.list(key)) {
                if (entry.indexOf(':') <= 0 || entry.startsWith("[")) {
                    continue; // a plain domain name, not a table
                }
                for (ConfigProblem p : TableChecker.check(entry)) {
                    String text = p.toString();
                    // like "postfix check": table trouble is reported, but only a table jmail can
                    // never open (a type it does not know) stops start and reload
                    (text.contains("unsupported dictionary type") ? errors : warnings).add(text);
                }
            }
        }
    }
}
