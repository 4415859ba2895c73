package org.jmail.store.mbox;

import java.nio.file.Path;
import org.jmail.store.StoreException;

/**
 * Dovecot's {@code mail_location} for one user, expanded: {@code mbox:ROOT[:KEY=VALUE]...}
 * with the keys {@code INBOX=} (the inbox file), {@code INDEX=} (the index directory root, or
 * {@code MEMORY} for none), {@code LAYOUT=} (only {@code fs}, Dovecot's mbox default) and
 * {@code CONTROL=}/{@code SUBSCRIPTIONS=} (where {@code .subscriptions} lives, and its name).
 * {@code ::} stands for a literal colon, as in Dovecot. Variables: {@code %u} (user),
 * {@code %n} (user part before {@code @}), {@code %d} (domain part), {@code %h} (home),
 * {@code %%}, and the long forms {@code %{user}}, {@code %{username}}, {@code %{domain}},
 * {@code %{home}}; a leading {@code ~} is the home directory.
 *
 * <p>Refuses (CANNOT) other drivers than mbox (maildir, sdbox...). Dovecot also refuses a
 * relative root; jmail takes relative paths from the directory it was started in, as it does
 * for {@code queue_directory}, so that a development instance can keep mail in its tree.
 *
 * @param root   directory holding the folders
 * @param inbox  the INBOX mbox file
 * @param index  index root (Dovecot's INDEX=, default ROOT), or null for INDEX=MEMORY
 * @param control directory of the subscriptions file (default ROOT)
 * @param subscriptionsName file name of the subscriptions file (".subscriptions")
 */
public record MailLocation(Path root, Path inbox, Path index, Path control, String subscriptionsName) {

    /** Dovecot's default for Debian's mbox setups. */
    public static final String DEFAULT = "mbox:~/mail:INBOX=/var/mail/%u";

    /** Parses and expands {@code spec} for {@code user} whose home is {@code home}. */
    public static MailLocation parse(String spec, String user, String home) throws StoreException {
        if (spec == null || spec.isBlank()) {
            spec = DEFAULT;
        }
        java.util.List<String> parts = split(spec.strip());
        String driver = "mbox";
        int first = 0;
        if (!parts.isEmpty() && !parts.get(0).contains("/") && !parts.get(0).contains("=")
                && !parts.get(0).startsWith("~") && parts.size() > 1) {
            driver = parts.get(0).toLowerCase();
            first = 1;
        }
        if (!driver.equals("mbox")) {
            throw new StoreException(StoreException.Kind.CANNOT,
                    "mail_location driver " + driver + " is not supported (only mbox)");
        }
        if (parts.size() <= first) {
            throw new StoreException(StoreException.Kind.CANNOT, "mail_location has no root directory");
        }
        String root = expand(parts.get(first), user, home);
        String inbox = null;
        String index = null;
        String control = null;
        String subs = ".subscriptions";
        for (int i = first + 1; i < parts.size(); i++) {
            String p = parts.get(i);
            int eq = p.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String key = p.substring(0, eq).toUpperCase();
            String value = p.substring(eq + 1);
            switch (key) {
                case "INBOX" -> inbox = expand(value, user, home);
                case "INDEX" -> index = value.equalsIgnoreCase("MEMORY") ? "MEMORY" : expand(value, user, home);
                case "CONTROL" -> control = expand(value, user, home);
                case "SUBSCRIPTIONS" -> subs = value;
                case "LAYOUT" -> {
                    if (!value.equalsIgnoreCase("fs")) {
                        throw new StoreException(StoreException.Kind.CANNOT, "mail_location LAYOUT=" + value
                                + " is not supported (only fs)");
                    }
                }
                default -> {
                    // Dovecot's other keys (DIRNAME, VOLATILEDIR, ...) don't apply to mbox here
                }
            }
        }
        if (root.isEmpty()) {
            throw new StoreException(StoreException.Kind.CANNOT, "mail_location root is empty (no home directory?)");
        }
        Path rootPath = absolute(root);
        Path inboxPath = inbox == null ? rootPath.resolve("inbox") : absolute(inbox);
        Path indexPath = index == null ? rootPath : index.equals("MEMORY") ? null : absolute(index);
        Path controlPath = control == null ? rootPath : absolute(control);
        if (subs.isEmpty() || subs.contains("/")) {
            subs = ".subscriptions";
        }
        return new MailLocation(rootPath, inboxPath, indexPath, controlPath, subs);
    }

    private static Path absolute(String p) throws StoreException {
        try {
            return Path.of(p).toAbsolutePath().normalize();
        } catch (java.nio.file.InvalidPathException e) {
            // a NUL (or bytes the file system can't name) from main.cf or a passdb's mail field
            throw new StoreException(StoreException.Kind.CANNOT, "mail_location has an invalid path: " + e.getReason());
        }
    }

    /** Splits at single colons; "::" is a literal colon. */
    private static java.util.List<String> split(String spec) {
        java.util.List<String> out = new java.util.ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < spec.length(); i++) {
            char c = spec.charAt(i);
            if (c == ':') {
                if (i + 1 < spec.length() && spec.charAt(i + 1) == ':') {
                    cur.append(':');
                    i++;
                } else {
                    out.add(cur.toString());
                    cur.setLength(0);
                }
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }

    /** Expands Dovecot's %-variables and a leading ~ for one user. */
    static String expand(String value, String user, String home) {
        String h = home == null ? "" : home;
        int at = user.indexOf('@');
        String n = at < 0 ? user : user.substring(0, at);
        String d = at < 0 ? "" : user.substring(at + 1);
        StringBuilder sb = new StringBuilder();
        int i = 0;
        if (value.equals("~") || value.startsWith("~/")) {
            sb.append(h.endsWith("/") && value.length() > 1 ? h.substring(0, h.length() - 1) : h);
            i = 1;
        }
        for (; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != '%' || i + 1 >= value.length()) {
                sb.append(c);
                continue;
            }
            char v = value.charAt(++i);
            if (v == '{') {
                int close = value.indexOf('}', i);
                if (close < 0) {
                    sb.append("%{");
                    continue;
                }
                String name = value.substring(i + 1, close);
                i = close;
                switch (name) {
                    case "user" -> sb.append(user);
                    case "username" -> sb.append(n);
                    case "domain" -> sb.append(d);
                    case "home" -> sb.append(h);
                    default -> { }
                }
                continue;
            }
            switch (v) {
                case 'u' -> sb.append(user);
                case 'n' -> sb.append(n);
                case 'd' -> sb.append(d);
                case 'h' -> sb.append(h);
                case '%' -> sb.append('%');
                default -> sb.append('%').append(v);
            }
        }
        return sb.toString();
    }
}
