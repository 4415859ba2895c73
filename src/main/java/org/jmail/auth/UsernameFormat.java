package org.jmail.auth;

import java.util.Locale;

/**
 * Dovecot's {@code auth_username_format} (default {@code %Lu}): a template over the login name
 * with {@code %u} (user@domain), {@code %n} (user part), {@code %d} (domain part),
 * {@code %%}, long forms {@code %{user}}, {@code %{username}}, {@code %{domain}}, and the
 * modifiers {@code L} (lower-case) and {@code U} (upper-case): {@code %Lu}, {@code %Ln}.
 * The template is parsed once; {@link #apply} is allocation-light and thread-safe.
 *
 * <p>An unknown variable is an {@link IllegalArgumentException} at construction, so a
 * broken main.cf is reported at start, not at the first login.
 */
public final class UsernameFormat {

    private enum Var { USER, NAME, DOMAIN }

    private record Part(String literal, Var var, char modifier) {
    }

    private final String template;
    private final Part[] parts;

    public UsernameFormat(String template) {
        this.template = template;
        java.util.List<Part> list = new java.util.ArrayList<>();
        StringBuilder lit = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i++);
            if (c != '%') {
                lit.append(c);
                continue;
            }
            if (i >= template.length()) {
                throw new IllegalArgumentException("auth_username_format: trailing % in \"" + template + "\"");
            }
            char m = 0;
            char v = template.charAt(i++);
            if (v == '%') {
                lit.append('%');
                continue;
            }
            if ((v == 'L' || v == 'U') && i < template.length()) {
                m = v;
                v = template.charAt(i++);
            }
            Var var;
            if (v == '{') {
                int end = template.indexOf('}', i);
                if (end < 0) {
                    throw new IllegalArgumentException("auth_username_format: unclosed %{ in \"" + template + "\"");
                }
                String name = template.substring(i, end);
                i = end + 1;
                var = switch (name) {
                    case "user" -> Var.USER;
                    case "username" -> Var.NAME;
                    case "domain" -> Var.DOMAIN;
                    default -> throw new IllegalArgumentException("auth_username_format: unknown variable %{" + name + "}");
                };
            } else {
                var = switch (v) {
                    case 'u' -> Var.USER;
                    case 'n' -> Var.NAME;
                    case 'd' -> Var.DOMAIN;
                    default -> throw new IllegalArgumentException("auth_username_format: unknown variable %" + v);
                };
            }
            if (!lit.isEmpty()) {
                list.add(new Part(lit.toString(), null, (char) 0));
                lit.setLength(0);
            }
            list.add(new Part(null, var, m));
        }
        if (!lit.isEmpty()) {
            list.add(new Part(lit.toString(), null, (char) 0));
        }
        parts = list.toArray(new Part[0]);
    }

    public String template() {
        return template;
    }

    public String apply(String user) {
        if (parts.length == 1 && parts[0].var() == Var.USER) {
            return modify(user, parts[0].modifier()); // the common %Lu / %u
        }
        int at = user.indexOf('@');
        StringBuilder b = new StringBuilder(user.length() + 8);
        for (Part p : parts) {
            if (p.literal() != null) {
                b.append(p.literal());
                continue;
            }
            String value = switch (p.var()) {
                case USER -> user;
                case NAME -> at < 0 ? user : user.substring(0, at);
                case DOMAIN -> at < 0 ? "" : user.substring(at + 1);
            };
            b.append(modify(value, p.modifier()));
        }
        return b.toString();
    }

    private static String modify(String s, char m) {
        return m == 'L' ? s.toLowerCase(Locale.ROOT) : m == 'U' ? s.toUpperCase(Locale.ROOT) : s;
    }
}
