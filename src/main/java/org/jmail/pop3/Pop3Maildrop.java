package org.jmail.pop3;

import java.io.IOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jmail.store.Mailbox;
import org.jmail.store.StoreException;
import org.jmail.store.StoredMessage;

/**
 * The TRANSACTION and UPDATE states of RFC 1939 over one user's INBOX, as Dovecot's pop3
 * process does them. The message list is a snapshot taken at login: mail arriving during the
 * session is not shown, and message numbers never change. DELE only marks; QUIT applies the
 * marks (expunge, or Dovecot's {@code pop3_deleted_flag} keyword) together with the \Seen
 * flags RETR earned. A client that vanishes without QUIT deletes nothing, but its \Seen
 * flags are still saved, as Dovecot does.
 *
 * <p>Replies are Dovecot's (src/pop3/pop3-commands.c): "-ERR There's no message 3.",
 * "+OK Marked to be deleted.", "-ERR Unknown command: XYZ", … {@link #execute} returns
 * false for a command Dovecot counts as bad (20 of them in a row end the session).
 * Not thread-safe: one per session.
 */
final class Pop3Maildrop {

    private static final String CAPABILITY = "+OK\r\nCAPA\r\nTOP\r\nUIDL\r\nRESP-CODES\r\nPIPELINING\r\nAUTH-RESP-CODE\r\n.\r\n";

    /** What QUIT did. */
    enum QuitResult { LOGGED_OUT, STORAGE_ERROR }

    private final Pop3Settings settings;
    private final Mailbox mailbox;
    private final Pop3Output out;
    private final List<StoredMessage> messages;
    private final long uidValidity;
    private final long totalSize;
    private final BitSet deleted = new BitSet();
    private final BitSet seen = new BitSet();
    private String[] uidls;
    private long deletedSize;
    private int highestExpungedFetch = -1;
    private boolean quitSeen;
    private boolean deleteSuccess;
    private String quitError;
    private int topCount;
    private long topBytes;
    private int retrCount;
    private long retrBytes;

    Pop3Maildrop(Pop3Settings settings, Mailbox mailbox, Pop3Output out) {
        this.settings = settings;
        this.mailbox = mailbox;
        this.out = out;
        this.uidValidity = mailbox.uidValidity();
        List<StoredMessage> all = mailbox.messages();
        String hidden = settings.deletedFlag();
        List<StoredMessage> shown = all;
        if (!hidden.isEmpty()) {
            shown = new ArrayList<>(all.size());
            for (StoredMessage m : all) {
                if (!m.has(hidden)) {
                    shown.add(m);
                }
            }
        }
        this.messages = shown;
        long total = 0;
        for (StoredMessage m : shown) {
            total += m.size();
        }
        this.totalSize = total;
    }

    int count() {
        return messages.size();
    }

    /**
     * Runs one command. {@code name} is upper case, {@code args} has no leading spaces.
     *
     * @return false for a bad command (unknown, bad message number)
     */
    boolean execute(String name, String args) throws IOException {
        return switch (name) {
            case "CAPA" -> {
                out.raw(CAPABILITY);
                yield true;
            }
            case "DELE" -> dele(args);
            case "LIST" -> list(args);
            case "NOOP" -> {
                out.line("+OK");
                yield true;
            }
            case "QUIT" -> {
                quit();
                yield true;
            }
            case "RETR" -> retr(args);
            case "RSET" -> {
                deleted.clear();
                deletedSize = 0;
                seen.clear();
                out.line("+OK");
                yield true;
            }
            case "STAT" -> {
                out.line("+OK " + (messages.size() - deleted.cardinality()) + " " + (totalSize - deletedSize));
                yield true;
            }
            case "TOP" -> top(args);
            case "UIDL" -> uidl(args);
            default -> {
                out.line("-ERR Unknown command: " + name);
                yield false;
            }
        };
    }

    /** QUIT was given (the session ends after its reply). */
    boolean quitSeen() {
        return quitSeen;
    }

    /** The storage error QUIT met, or null. */
    String quitError() {
        return quitError;
    }

    private boolean dele(String args) throws IOException {
        int n = msgnum(args, false);
        if (n < 0) {
            return false;
        }
        deleted.set(n);
        deletedSize += messages.get(n).size();
        out.line("+OK Marked to be deleted.");
        return true;
    }

    private boolean list(String args) throws IOException {
        if (args.isEmpty()) {
            out.line("+OK " + (messages.size() - deleted.cardinality()) + " messages:");
            StringBuilder b = new StringBuilder(32);
            for (int i = 0; i < messages.size(); i++) {
                if (!deleted.get(i)) {
                    b.setLength(0);
                    b.append(i + 1).append(' ').append(messages.get(i).size());
                    out.line(b.toString());
                }
            }
            out.line(".");
            return true;
        }
        int n = msgnum(args, false);
        if (n < 0) {
            return false;
        }
        out.line("+OK " + (n + 1) + " " + messages.get(n).size());
        return true;
    }

    private boolean retr(String args) throws IOException {
        int n = msgnum(args, false);
        if (n < 0) {
            return false;
        }
        StoredMessage m = messages.get(n);
        byte[] body;
        try {
            body = mailbox.read(m.uid());
        } catch (StoreException e) {
            return expunged(n);
        }
        if (!settings.noFlagUpdates() && !m.has(StoredMessage.SEEN)) {
            seen.set(n);
        }
        retrCount++;
        long before = out.offset();
        out.line("+OK " + m.size() + " octets");
        out.message(body, -1);
        retrBytes += out.offset() - before;
        out.line(".");
        return true;
    }

    private boolean top(String args) throws IOException {
        int n = msgnum(args, true);
        if (n < 0) {
            return false;
        }
        int i = args.indexOf(' ');
        while (i < args.length() && args.charAt(i) == ' ') {
            i++;
        }
        String sizeArg = args.substring(i);
        if (sizeArg.isEmpty() || sizeArg.charAt(0) < '0' || sizeArg.charAt(0) > '9') {
            out.line("-ERR Invalid size: " + sizeArg);
            return false;
        }
        int end = 0;
        while (end < sizeArg.length() && Character.isDigit(sizeArg.charAt(end))) {
            end++;
        }
        long lines;
        try {
            lines = Long.parseLong(sizeArg.substring(0, end));
        } catch (NumberFormatException e) {
            out.line("-ERR Size too large: " + sizeArg.substring(end));
            return false;
        }
        if (end < sizeArg.length()) {
            out.line("-ERR Noise after size: " + sizeArg.substring(end));
            return false;
        }
        byte[] body;
        try {
            body = mailbox.read(messages.get(n).uid());
        } catch (StoreException e) {
            return expunged(n);
        }
        topCount++;
        long before = out.offset();
        out.line("+OK");
        out.message(body, lines);
        topBytes += out.offset() - before;
        out.line(".");
        return true;
    }

    private boolean uidl(String args) throws IOException {
        String[] all = uidls();
        if (args.isEmpty()) {
            out.line("+OK");
            StringBuilder b = new StringBuilder(32);
            for (int i = 0; i < all.length; i++) {
                if (!deleted.get(i)) {
                    b.setLength(0);
                    b.append(i + 1).append(' ').append(all[i]);
                    out.line(b.toString());
                }
            }
            out.line(".");
            return true;
        }
        int n = msgnum(args, false);
        if (n < 0) {
            return false;
        }
        out.line("+OK " + (n + 1) + " " + all[n]);
        return true;
    }

    /** The UIDLs of the snapshot, computed once per session. */
    String[] uidls() {
        if (uidls == null) {
            String[] u = new String[messages.size()];
            for (int i = 0; i < u.length; i++) {
                u[i] = settings.uidlFormat().format(messages.get(i).uid(), uidValidity);
            }
            uidls = u;
        }
        return uidls;
    }

    /** "-ERR Message 3 expunged." – bad only when the client asks for such a message again. */
    private boolean expunged(int n) throws IOException {
        out.line("-ERR Message " + (n + 1) + " expunged.");
        if (n <= highestExpungedFetch) {
            return false;
        }
        highestExpungedFetch = n;
        return true;
    }

    /**
     * Dovecot's get_msgnum(): the 0-based message index, or -1 after an error reply.
     *
     * @param thenSpace a size argument must follow (TOP)
     */
    private int msgnum(String args, boolean thenSpace) throws IOException {
        if (args.isEmpty() || args.charAt(0) < '0' || args.charAt(0) > '9') {
            out.line("-ERR Invalid message number: " + args);
            return -1;
        }
        int end = 0;
        while (end < args.length() && Character.isDigit(args.charAt(end))) {
            end++;
        }
        long num;
        String rest = args.substring(end);
        if (end > 10 || (num = Long.parseLong(args.substring(0, end))) > 0xffffffffL) {
            out.line("-ERR Message number too large: " + args);
            return -1;
        }
        if (thenSpace ? !rest.startsWith(" ") : !rest.isEmpty()) {
            out.line("-ERR Noise after message number: " + rest);
            return -1;
        }
        if (num == 0 || num > messages.size()) {
            out.line("-ERR There's no message " + num + ".");
            return -1;
        }
        int n = (int) num - 1;
        if (deleted.get(n)) {
            out.line("-ERR Message is deleted.");
            return -1;
        }
        return n;
    }

    private void quit() throws IOException {
        quitSeen = true;
        try {
            update(true);
            deleteSuccess = true;
            // metadata rewrites happen before the reply, as Dovecot commits before "+OK": a
            // client that reconnects at once must not find its last session still counted
            mailbox.close();
        } catch (StoreException e) {
            quitError = e.getMessage();
            out.line((temporary(e) ? "-ERR [SYS/TEMP] " : "-ERR [SYS/PERM] ") + e.getMessage());
            return;
        }
        out.line(deleted.isEmpty() ? "+OK Logging out." : "+OK Logging out, messages deleted.");
    }

    /**
     * Writes the session's changes: \Seen for the messages RETR fetched and, after QUIT only,
     * the deletions. Read-only mailboxes are silently left alone (Dovecot does the same).
     */
    private void update(boolean applyDeletes) throws StoreException {
        if (mailbox.readOnly()) {
            return;
        }
        List<Long> seenUids = new ArrayList<>();
        List<Long> deletedUids = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            if (applyDeletes && deleted.get(i)) {
                deletedUids.add(messages.get(i).uid());
            } else if (seen.get(i)) {
                seenUids.add(messages.get(i).uid());
            }
        }
        if (!seenUids.isEmpty()) {
            mailbox.setFlags(seenUids, Set.of(StoredMessage.SEEN), Mailbox.FlagMode.ADD);
        }
        if (!deletedUids.isEmpty()) {
            if (settings.deleteByFlag()) {
                mailbox.setFlags(deletedUids, Set.of(settings.deletedFlag()), Mailbox.FlagMode.ADD);
            } else {
                mailbox.setFlags(deletedUids, Set.of(StoredMessage.DELETED), Mailbox.FlagMode.ADD);
                mailbox.expunge(deletedUids);
            }
        }
        seen.clear();
    }

    /** At the end of a session without QUIT: keep the \Seen flags, delete nothing. */
    void saveSeenFlags() throws StoreException {
        if (!quitSeen && !seen.isEmpty()) {
            update(false);
        }
    }

    static boolean temporary(StoreException e) {
        return e.kind() == StoreException.Kind.TEMPORARY || e.kind() == StoreException.Kind.OVERQUOTA;
    }

    /** Dovecot's default pop3_logout_format: "top=%t/%p, retr=%r/%b, del=%d/%m, size=%s". */
    String stats() {
        return String.format(Locale.ROOT, "top=%d/%d, retr=%d/%d, del=%d/%d, size=%d", topCount, topBytes,
                retrCount, retrBytes, deleteSuccess ? deleted.cardinality() : 0, messages.size(), totalSize);
    }
}
