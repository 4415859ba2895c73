package org.jmail.store.mbox;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.jmail.auth.AuthUser;
import org.jmail.config.MainConfig;
import org.jmail.mailbox.LockPolicy;
import org.jmail.posix.Posix;
import org.jmail.store.MailStore;
import org.jmail.store.MailStores;
import org.jmail.store.StoreException;

/**
 * Dovecot-compatible mbox storage for logged-in users, configured from main.cf:
 * <ul>
 * <li>{@code mail_location} (default {@code mbox:~/mail:INBOX=/var/mail/%u}), or the userdb's
 *     per-user {@code mail};</li>
 * <li>{@code mail_privileged_group} (default {@code mail}): INBOX in a spool directory writable
 *     by this group is accessed with it, so the user's dotlock can be created;</li>
 * <li>{@code mbox_lock_timeout} (Dovecot's name; jmail default 30s, Dovecot's 5min): how long
 *     to wait for the dotlock/fcntl lock before answering "try again";</li>
 * <li>{@code stale_lock_time} (300s): a dotlock older than this without a live owner is removed;</li>
 * <li>{@code mailbox_size_limit} (Postfix's, default 51200000): appends that would make a
 *     mailbox larger fail with OVERQUOTA, and QUOTA reports INBOX against it.</li>
 * </ul>
 * {@link #open} expands the location, creates the mail root and the special-use folders
 * Sent, Drafts, Trash and Junk when missing. Thread-safe; one instance per daemon.
 */
public final class MboxMailStores implements MailStores {

    private final MainConfig config;

    public MboxMailStores(MainConfig config) {
        this.config = config;
    }

    @Override
    public MailStore open(AuthUser user) throws StoreException {
        String spec = user.mail() != null && !user.mail().isBlank() ? user.mail() : config.get("mail_location");
        MailLocation loc = MailLocation.parse(spec, user.name(), user.home());
        MboxMailStore store = new MboxMailStore(user, loc, lockPolicy(), sizeLimit(), inboxGid(user, loc));
        try {
            store.createDefaults();
        } catch (StoreException e) {
            // Dovecot logs and goes on: INBOX may still work without ~/mail
            org.jmail.log.MailLog.of("imap").warn("user " + user.name() + ": cannot create " + loc.root()
                    + " or its special-use folders: " + e.getMessage());
        }
        return store;
    }

    LockPolicy lockPolicy() {
        Duration wait = time("mbox_lock_timeout", Duration.ofSeconds(30));
        Duration stale = time("stale_lock_time", Duration.ofSeconds(300));
        return new LockPolicy(wait, Duration.ofMillis(200), stale, true, false);
    }

    private Duration time(String key, Duration fallback) {
        String v = config.get(key);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return MainConfig.parseTime(v, 's');
        } catch (RuntimeException e) {
            return fallback;
        }
    }

    private long sizeLimit() {
        String v = config.get("mailbox_size_limit");
        try {
            return v == null || v.isBlank() ? 0 : Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Local delivery's rule: a group-writable (not world-writable) spool means its group. */
    private int inboxGid(AuthUser user, MailLocation loc) {
        Path dir = loc.inbox().getParent();
        if (dir == null || dir.startsWith(loc.root())) {
            return user.gid();
        }
        try {
            Map<String, Object> a = Files.readAttributes(dir, "unix:mode,gid");
            int mode = ((Number) a.get("mode")).intValue();
            int gid = ((Number) a.get("gid")).intValue();
            String group = config.get("mail_privileged_group");
            int privileged = group == null || group.isBlank() ? -1 : Posix.getgrnam(group.strip());
            if ((mode & 0002) == 0 && (mode & 0020) != 0 && (privileged < 0 || gid == privileged)) {
                return gid;
            }
        } catch (Exception e) {
            // no spool directory: the user's own group
        }
        return user.gid();
    }
}
