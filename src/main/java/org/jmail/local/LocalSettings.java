package org.jmail.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jmail.config.MainConfig;
import org.jmail.log.MailLog;
import org.jmail.mailbox.LockPolicy;

/**
 * The main.cf settings local(8) uses, read once when the agent is built (a reload builds a new
 * agent). Keys and defaults are Postfix's; keys that {@code Defaults} does not list yet are
 * read with their Postfix default here.
 *
 * <p>{@code forward_path}, {@code mailbox_command} and {@code luser_relay} are taken raw:
 * their {@code $user}, {@code $home}... are per-recipient and expanded by
 * {@link LocalExpander}, not by main.cf expansion.
 */
final class LocalSettings {

    /** Expansion types, as Postfix's EXPAND_TYPE_* bits. */
    static final int EXP_ALIAS = 1;
    static final int EXP_FORWARD = 2;
    static final int EXP_INCLUDE = 4;

    /** propagate_unmatched_extensions bits used by local(8). */
    static final int EXT_PROP_ALIAS = 1;
    static final int EXT_PROP_FORWARD = 2;
    static final int EXT_PROP_INCLUDE = 4;

    /** prepend_delivered_header bits. */
    static final int HDR_COMMAND = 1;
    static final int HDR_FILE = 2;
    static final int HDR_FORWARD = 4;

    static final String DEFAULT_FILTER =
            "1234567890!@%-_=+:,./abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    final String recipientDelimiter;
    final String aliasMaps;
    /** forward_path split at commas and white space, once (each delivery walks it). */
    final java.util.List<String> forwardPathEntries;
    final int commandMask;
    final int fileMask;
    final int extPropMask;
    final int deliveredHeaderMask;
    final String homeMailbox;
    final String spoolDirectory;
    final long mailboxSizeLimit;
    final String mailboxCommand;
    final String localCommandShell;
    final String defaultPrivs;
    final boolean ownerRequestSpecial;
    final boolean expandOwnerAlias;
    final boolean strictMailboxOwnership;
    /** frozen_delivered_to: Delivered-To stays the recipient local(8) was given, through aliases and .forward. */
    final boolean frozenDeliveredTo;
    final String myorigin;
    final String myhostname;
    final String mailName;
    final Path queueDirectory;
    final Duration commandTimeLimit;
    final String commandExpansionFilter;
    final String forwardExpansionFilter;
    /** export_environment with its values: what every command gets besides PATH and the recipient's. */
    final Map<String, String> exportedEnvironment;
    final String luserRelay;
    final LockPolicy lockPolicy;
    final Duration journalMaxAge;

    LocalSettings(MainConfig c) {
        recipientDelimiter = c.get("recipient_delimiter");
        aliasMaps = c.get("alias_maps");
        String forwardPath = raw(c, "forward_path", "$home/.forward${recipient_delimiter}${extension}, $home/.forward");
        forwardPathEntries = java.util.Arrays.stream(forwardPath.split("[,\\s]+"))
                .filter(e -> !e.isEmpty()).toList();
        commandMask = expansionMask(c, "allow_mail_to_commands", "alias, forward");
        fileMask = expansionMask(c, "allow_mail_to_files", "alias, forward");
        extPropMask = extPropMask(get(c, "propagate_unmatched_extensions", "canonical, virtual"));
        deliveredHeaderMask = deliveredMask(get(c, "prepend_delivered_header", "command, file, forward"));
        homeMailbox = c.get("home_mailbox");
        spoolDirectory = get(c, "mail_spool_directory", "/var/mail");
        mailboxSizeLimit = parseLong(get(c, "mailbox_size_limit", "51200000"), 51200000L);
        mailboxCommand = raw(c, "mailbox_command", "");
        localCommandShell = c.get("local_command_shell");
        defaultPrivs = get(c, "default_privs", "nobody");
        ownerRequestSpecial = bool(c, "owner_request_special", true);
        expandOwnerAlias = bool(c, "expand_owner_alias", false);
        strictMailboxOwnership = bool(c, "strict_mailbox_ownership", true);
        frozenDeliveredTo = bool(c, "frozen_delivered_to", true);
        myhostname = get(c, "myhostname", "localhost");
        myorigin = get(c, "myorigin", myhostname);
        mailName = get(c, "mail_name", "jmail");
        queueDirectory = Path.of(get(c, "queue_directory", "/var/spool/jmail"));
        commandTimeLimit = time(c, "command_time_limit", "1000s");
        commandExpansionFilter = get(c, "command_expansion_filter", DEFAULT_FILTER);
        forwardExpansionFilter = get(c, "forward_expansion_filter", DEFAULT_FILTER);
        exportedEnvironment = exported(MainConfig.splitList(get(c, "export_environment", "TZ MAIL_CONFIG LANG")),
                MainConfig.splitList(get(c, "import_environment", DEFAULT_IMPORT)), c.configDirectory(), System.getenv());
        luserRelay = raw(c, "luser_relay", "");
        int attempts = (int) parseLong(get(c, "deliver_lock_attempts", "20"), 20);
        Duration delay = time(c, "deliver_lock_delay", "1s");
        Duration stale = time(c, "stale_lock_time", "300s");
        lockPolicy = new LockPolicy(delay.multipliedBy(Math.max(1, attempts)), delay, stale, true, false);
        journalMaxAge = time(c, "maximal_queue_lifetime", "5d").plusDays(2);
    }

    static final String DEFAULT_IMPORT = "MAIL_CONFIG MAIL_DEBUG MAIL_LOGTAG TZ XAUTHORITY DISPLAY LANG=C"
            + " POSTLOG_SERVICE POSTLOG_HOSTNAME";

    /**
     * Postfix daemons start from an environment cleaned to import_environment (NAME keeps the
     * inherited value, NAME=VALUE sets it: LANG=C by default) plus MAIL_CONFIG, the
     * configuration directory; commands then get the export_environment subset of that.
     */
    static Map<String, String> exported(List<String> export, List<String> imports, Path configDir,
                                        Map<String, String> inherited) {
        Map<String, String> daemon = environment(imports, inherited);
        if (configDir != null) {
            daemon.put("MAIL_CONFIG", configDir.toString());
        }
        return Map.copyOf(environment(export, daemon));
    }

    /** A Postfix environment list: NAME takes its value from {@code from}, NAME=VALUE sets it. */
    private static Map<String, String> environment(List<String> entries, Map<String, String> from) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String entry : entries) {
            int eq = entry.indexOf('=');
            if (eq > 0) {
                env.put(entry.substring(0, eq), entry.substring(eq + 1));
            } else if (from.get(entry) != null) {
                env.put(entry, from.get(entry));
            }
        }
        return env;
    }

    private static String get(MainConfig c, String key, String dflt) {
        String v = c.get(key);
        return v == null || v.isBlank() && !c.isExplicit(key) ? dflt : v.strip();
    }

    private static String raw(MainConfig c, String key, String dflt) {
        String v = c.raw(key);
        return v == null ? dflt : v.strip();
    }

    private static boolean bool(MainConfig c, String key, boolean dflt) {
        String v = c.get(key).strip().toLowerCase(Locale.ROOT);
        if (v.isEmpty()) {
            return dflt;
        }
        return v.equals("yes") || v.equals("true") || v.equals("on") || v.equals("1");
    }

    private static Duration time(MainConfig c, String key, String dflt) {
        String v = get(c, key, dflt);
        try {
            return MainConfig.parseTime(v, 's');
        } catch (RuntimeException e) {
            MailLog.of("local").warn("bad time value for " + key + ": " + v + "; using " + dflt);
            return MainConfig.parseTime(dflt, 's');
        }
    }

    private static long parseLong(String v, long dflt) {
        try {
            return Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    private static int expansionMask(MainConfig c, String key, String dflt) {
        int mask = 0;
        for (String s : MainConfig.splitList(get(c, key, dflt))) {
            switch (s.toLowerCase(Locale.ROOT)) {
                case "alias" -> mask |= EXP_ALIAS;
                case "forward" -> mask |= EXP_FORWARD;
                case "include" -> mask |= EXP_INCLUDE;
                default -> MailLog.of("local").warn("unknown " + key + " value \"" + s + "\"");
            }
        }
        return mask;
    }

    private static int extPropMask(String value) {
        int mask = 0;
        for (String s : MainConfig.splitList(value)) {
            switch (s.toLowerCase(Locale.ROOT)) {
                case "alias" -> mask |= EXT_PROP_ALIAS;
                case "forward" -> mask |= EXT_PROP_FORWARD;
                case "include" -> mask |= EXT_PROP_INCLUDE;
                default -> { } // canonical, virtual, generic: other daemons' business
            }
        }
        return mask;
    }

    private static int deliveredMask(String value) {
        int mask = 0;
        for (String s : MainConfig.splitList(value)) {
            switch (s.toLowerCase(Locale.ROOT)) {
                case "command" -> mask |= HDR_COMMAND;
                case "file" -> mask |= HDR_FILE;
                case "forward" -> mask |= HDR_FORWARD;
                default -> MailLog.of("local").warn("unknown prepend_delivered_header value \"" + s + "\"");
            }
        }
        return mask;
    }
}
