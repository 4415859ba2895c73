package org.jmail.pickup;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The envelope of a message that {@code sendmail} (packaging/bin/sendmail) left in
 * {@code maildrop/}: a magic line {@code JMD1}, then {@code name=value} lines up to an empty
 * line, then the message as the user gave it on stdin.
 * <pre>
 *   flags=t            -t: extract recipients from the headers (added to rcpt= ones)
 *   sender=TEXT        -f/-r as given (absent: the submitting user's login name)
 *   fullname=TEXT      -F or $NAME (absent: the GECOS name)
 *   rcpt=TEXT          one per command-line recipient argument (an address list)
 *   encoding= envid= notify= ret=     -B -V -N -R as given
 * </pre>
 * Unknown names are ignored (a newer sendmail may add some). Nothing here says who submitted
 * the message: that is the file's owner.
 *
 * <p>Failure: {@link Malformed} for a missing magic, a line without '=', an envelope over
 * {@value #MAX_ENVELOPE} bytes, or a file that ends inside the envelope.
 */
public final class MaildropFile {

    public static final String MAGIC = "JMD1";
    static final int MAX_ENVELOPE = 1 << 20;

    /** A maildrop file that is not in the format above. */
    public static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        public Malformed(String message) {
            super(message);
        }
    }

    private final boolean extractRecipients;
    private final String sender;
    private final String fullName;
    private final List<String> recipientArgs;
    private final Map<String, String> attributes;

    MaildropFile(boolean extractRecipients, String sender, String fullName, List<String> recipientArgs,
                 Map<String, String> attributes) {
        this.extractRecipients = extractRecipients;
        this.sender = sender;
        this.fullName = fullName;
        this.recipientArgs = List.copyOf(recipientArgs);
        this.attributes = Collections.unmodifiableMap(attributes);
    }

    /** Reads the envelope; {@code in} is left at the first byte of the message. */
    public static MaildropFile readEnvelope(InputStream in) throws IOException, Malformed {
        String magic;
        try {
            magic = line(in, new int[] {16});
        } catch (Malformed tooLong) {
            magic = null;
        }
        if (!MAGIC.equals(magic)) {
            throw new Malformed("unexpected file format (no " + MAGIC + " header)");
        }
        int[] budget = {MAX_ENVELOPE};
        boolean t = false;
        String sender = null;
        String fullName = null;
        List<String> rcpt = new ArrayList<>();
        Map<String, String> attrs = new LinkedHashMap<>();
        while (true) {
            String l = line(in, budget);
            if (l == null) {
                throw new Malformed("premature end of file in envelope");
            }
            if (l.isEmpty()) {
                break;
            }
            int eq = l.indexOf('=');
            if (eq <= 0) {
                throw new Malformed("malformed envelope line");
            }
            String name = l.substring(0, eq);
            String value = l.substring(eq + 1);
            switch (name) {
                case "flags" -> t = value.indexOf('t') >= 0;
                case "sender" -> sender = value;
                case "fullname" -> fullName = value;
                case "rcpt" -> rcpt.add(value);
                default -> attrs.put(name, value);
            }
        }
        return new MaildropFile(t, sender, fullName, rcpt, attrs);
    }

    /** One LF-terminated UTF-8 line, or null at end of input; counts bytes against the budget. */
    private static String line(InputStream in, int[] budget) throws IOException, Malformed {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream(64);
        int c;
        while ((c = in.read()) >= 0) {
            if (--budget[0] < 0) {
                throw new Malformed("envelope too large");
            }
            if (c == '\n') {
                return b.toString(StandardCharsets.UTF_8);
            }
            b.write(c);
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.UTF_8);
    }

    /** -t: recipients come from the headers as well. */
    public boolean extractRecipients() {
        return extractRecipients;
    }

    /** The -f/-r text as given, or null when the user's login name is the sender. */
    public String sender() {
        return sender;
    }

    /** -F or $NAME, or null (the GECOS name applies). */
    public String fullName() {
        return fullName;
    }

    /** The command-line recipient arguments, each an address list. */
    public List<String> recipientArgs() {
        return recipientArgs;
    }

    /** encoding, envid, notify, ret and whatever else a newer sendmail wrote. */
    public Map<String, String> attributes() {
        return attributes;
    }
}
