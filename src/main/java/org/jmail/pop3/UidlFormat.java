package org.jmail.pop3;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Dovecot's {@code pop3_uidl_format}, compiled once: the UIDL a message gets from its UID and
 * the mailbox's UIDVALIDITY, exactly as Dovecot's var_expand() writes it. The default
 * {@code %08Xu%08Xv} gives 16 lowercase hex digits (Dovecot's {@code X} modifier prints with
 * {@code %llx}), so a mailbox served by Dovecot yesterday keeps its UIDLs today and POP3 clients
 * that "leave mail on server" do not download everything again.
 *
 * <p>Supported: variables {@code %u}/{@code %{uid}}, {@code %v}/{@code %{uidvalidity}},
 * {@code %%}; Dovecot's {@code [-][0]width} and {@code offset.width} forms; the modifiers
 * {@code L U X R T E}. The storage-specific variables {@code %m} (header MD5), {@code %f}
 * (file name) and {@code %g} (GUID) have no meaning for jmail's store and are refused with
 * an {@link IllegalArgumentException} at compile time, as is a format without {@code %u} or
 * {@code %v} (Dovecot refuses that too: "Invalid pop3_uidl_format").
 */
public final class UidlFormat {

    public static final String DEFAULT = "%08Xu%08Xv";

    private sealed interface Part permits Literal, Variable {
    }

    private record Literal(String text) implements Part {
    }

    private record Variable(boolean uid, int offset, int width, boolean zeroPadding, String modifiers)
            implements Part {
    }

    private final String format;
    private final List<Part> parts;

    private UidlFormat(String format, List<Part> parts) {
        this.format = format;
        this.parts = parts;
    }

    public static UidlFormat compile(String format) {
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        boolean hasKey = false;
        int i = 0;
        int n = format.length();
        while (i < n) {
            char c = format.charAt(i++);
            if (c != '%') {
                literal.append(c);
                continue;
            }
            int sign = 1;
            int offset = 0;
            int width = 0;
            boolean zero = false;
            if (i < n && format.charAt(i) == '-') {
                sign = -1;
                i++;
            }
            if (i < n && format.charAt(i) == '0') {
                zero = true;
                i++;
            }
            while (i < n && Character.isDigit(format.charAt(i))) {
                width = width * 10 + (format.charAt(i++) - '0');
            }
            if (i < n && format.charAt(i) == '.') {
                offset = sign * width;
                sign = 1;
                width = 0;
                i++;
                zero = false;
                if (i < n && format.charAt(i) == '0') {
                    zero = true;
                    i++;
                }
                if (i < n && format.charAt(i) == '-') {
                    sign = -1;
                    i++;
                }
                while (i < n && Character.isDigit(format.charAt(i))) {
                    width = width * 10 + (format.charAt(i++) - '0');
                }
                width = sign * width;
            }
            StringBuilder mods = new StringBuilder();
            while (i < n && "LUXRTEHNMD".indexOf(format.charAt(i)) >= 0) {
                char m = format.charAt(i++);
                if ("HNMD".indexOf(m) >= 0) {
                    throw new IllegalArgumentException("pop3_uidl_format: modifier '" + m + "' is not supported");
                }
                mods.append(m);
            }
            if (i >= n) {
                break; // Dovecot ignores a trailing '%'
            }
            String key;
            if (format.charAt(i) == '{') {
                int end = format.indexOf('}', i);
                if (end < 0) {
                    throw new IllegalArgumentException("pop3_uidl_format: unterminated %{");
                }
                key = format.substring(i + 1, end);
                i = end + 1;
            } else {
                key = String.valueOf(format.charAt(i++));
            }
            switch (key) {
                case "%" -> literal.append('%');
                case "u", "uid", "v", "uidvalidity" -> {
                    if (literal.length() > 0) {
                        parts.add(new Literal(literal.toString()));
                        literal.setLength(0);
                    }
                    parts.add(new Variable(key.startsWith("u") && !key.equals("uidvalidity"), offset, width, zero,
                            mods.toString()));
                    hasKey = true;
                }
                default -> throw new IllegalArgumentException("pop3_uidl_format: variable %" + key
                        + " is not supported (only %u and %v)");
            }
        }
        if (literal.length() > 0) {
            parts.add(new Literal(literal.toString()));
        }
        if (!hasKey) {
            throw new IllegalArgumentException("Invalid pop3_uidl_format: " + format);
        }
        return new UidlFormat(format, List.copyOf(parts));
    }

    /** The UIDL of the message with this UID in a mailbox with this UIDVALIDITY. */
    public String format(long uid, long uidValidity) {
        StringBuilder out = new StringBuilder(24);
        for (Part p : parts) {
            if (p instanceof Literal l) {
                out.append(l.text());
            } else {
                Variable v = (Variable) p;
                append(out, v, Long.toString(v.uid() ? uid : uidValidity));
            }
        }
        return out.toString();
    }

    private static void append(StringBuilder out, Variable v, String value) {
        for (int k = 0; k < v.modifiers().length(); k++) {
            value = switch (v.modifiers().charAt(k)) {
                case 'L' -> value.toLowerCase(Locale.ROOT);
                case 'U' -> value.toUpperCase(Locale.ROOT);
                case 'X' -> hex(value);
                case 'R' -> new StringBuilder(value).reverse().toString();
                case 'T' -> value.stripTrailing();
                default -> value; // 'E': numbers need no escaping
            };
        }
        if (v.offset() < 0) {
            if (value.length() > -v.offset()) {
                value = value.substring(value.length() + v.offset());
            }
        } else if (v.offset() > 0) {
            value = value.substring(Math.min(v.offset(), value.length()));
        }
        int width = v.width();
        if (width == 0) {
            out.append(value);
        } else if (!v.zeroPadding()) {
            if (width < 0) {
                width = value.length() + width;
            }
            out.append(value, 0, Math.max(0, Math.min(width, value.length())));
        } else {
            for (int len = value.length(); len < width; len++) {
                out.append('0');
            }
            out.append(value);
        }
    }

    /** Dovecot's m_str_hex: the decimal value (0 if not a number) in lowercase hex. */
    private static String hex(String decimal) {
        try {
            return Long.toHexString(Long.parseUnsignedLong(decimal));
        } catch (NumberFormatException e) {
            return "0";
        }
    }

    @Override
    public String toString() {
        return format;
    }
}
