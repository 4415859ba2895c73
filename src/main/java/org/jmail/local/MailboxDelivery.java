package org.jmail.local;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import org.jmail.local.Destination.MailboxCopy;
import org.jmail.log.MailLog;
import org.jmail.mailbox.LockPolicy;
import org.jmail.mailbox.MboxException;
import org.jmail.mailbox.MboxFormat;
import org.jmail.mailbox.MboxWriter;
import org.jmail.posix.FileInfo;
import org.jmail.posix.FsIdentity;
import org.jmail.posix.NativeFile;
import org.jmail.posix.Posix;
import org.jmail.posix.PosixException;

/**
 * Writes mailbox and {@code /file} copies (Postfix's mailbox.c and file.c over mbox_open and
 * mail_copy), batched: all copies of one request for the same file are appended under one lock
 * with one write, one fsync and one journal record.
 *
 * <p>Identity, as Postfix: a mailbox in the home directory, or in a world-writable spool
 * directory, is opened as the recipient; in a group-writable spool directory (Debian's
 * {@code /var/mail}, root:mail 2775) as the recipient with the directory's group; otherwise as
 * root. A new spool mailbox is then given to the user, group mail, mode 0660 (user's group and
 * 0600 when there is no mail group). {@code /file} destinations are opened with the delivery
 * rights of the alias or .forward they came from, created 0600.
 *
 * <p>Checks and failures, with Postfix's texts: a mailbox that is not a regular file bounces
 * ({@code 5.2.0 destination X is not a regular file}); one not owned by the recipient defers
 * (strict_mailbox_ownership); an executable /file bounces ({@code 5.7.1}). Lock and open
 * errors give {@code cannot update mailbox X for user U. REASON}, write errors
 * {@code ... error writing message: REASON}, classified by errno: EAGAIN 4.2.0, ENOSPC 4.3.0,
 * EFBIG/EDQUOT (and mailbox_size_limit) 5.2.2, others 5.2.0 (open) or 5.3.0 (write).
 *
 * <p>Recovery: for a request marked recovered, the journal record of the previous attempt is
 * checked against the file first ({@link DeliveryJournal}).
 */
final class MailboxDelivery {

    private static final MailLog LOG = MailLog.of("local");

    private final LocalSettings settings;
    private final DeliveryJournal journal;
    private final int mailGid;

    MailboxDelivery(LocalSettings settings, DeliveryJournal journal) {
        this.settings = settings;
        this.journal = journal;
        this.mailGid = Posix.getgrnam("mail");
    }

    /** Per-request facts the writer needs. */
    record Context(String queueId, boolean recovered, Instant time, List<DeliveryJournal.Slot> slots) {
    }

    private record Key(String path, int uid, int gid, boolean mailbox) {
    }

    /** One copy prepared for writing: its bytes and identity in the journal. */
    private static final class Prepared {
        final MailboxCopy copy;
        final int seq;
        byte[] envelope;
        int length;
        int crc;

        Prepared(MailboxCopy copy, int seq) {
            this.copy = copy;
            this.seq = seq;
        }
    }

    void deliver(List<MailboxCopy> copies, MessageContent msg, Context ctx) {
        Map<Key, List<MailboxCopy>> groups = new LinkedHashMap<>();
        for (MailboxCopy c : copies) {
            groups.computeIfAbsent(new Key(c.path(), c.uid(), c.gid(), c.isMailbox()), k -> new ArrayList<>()).add(c);
        }
        for (Map.Entry<Key, List<MailboxCopy>> g : groups.entrySet()) {
            deliverGroup(g.getKey(), g.getValue(), msg, ctx);
        }
    }

    private void deliverGroup(Key key, List<MailboxCopy> copies, MessageContent msg, Context ctx) {
        MailboxCopy first = copies.get(0);
        int uid = key.uid();
        int gid = key.gid();
        if (key.mailbox() && settings.homeMailbox.isEmpty()) {
            int[] ids = spoolIdentity(first);
            uid = ids[0];
            gid = ids[1];
        }
        List<Prepared> prepared = new ArrayList<>(copies.size());
        Map<Integer, Integer> seqs = new HashMap<>();
        for (MailboxCopy c : copies) {
            int idx = c.job().recipient.index();
            int seq = seqs.merge(idx, 1, Integer::sum) - 1;
            prepared.add(new Prepared(c, seq));
        }
        Phase phase = new Phase();
        DeliveryJournal.Slot slot = null;
        try {
            if (journal != null) {
                slot = journal.acquire(); // as the daemon: the journal is not the user's to write
            }
            DeliveryJournal.Slot s = slot;
            FsIdentity.runAs(uid, gid, () -> {
                writeGroup(key, prepared, msg, ctx, phase, s);
                return null;
            });
        } catch (MboxException e) {
            for (Prepared p : phase.pending(prepared)) {
                p.copy.report(failure(key, first, e, phase.writing));
            }
        } catch (Exception e) {
            LOG.warn(ctx.queueId() + ": " + key.path() + ": " + e);
            for (Prepared p : phase.pending(prepared)) {
                p.copy.report(Status.deferred("4.3.0", prefix(key, first) + e.getMessage()));
            }
        } finally {
            if (slot != null) {
                if (slot.record() != null) {
                    ctx.slots().add(slot); // released after qmgr's commit
                } else {
                    journal.release(slot);
                }
            }
        }
    }

    /** What happened so far in a group, for error reporting. */
    private static final class Phase {
        boolean writing;
        final List<Prepared> done = new ArrayList<>();

        List<Prepared> pending(List<Prepared> all) {
            List<Prepared> out = new ArrayList<>(all);
            out.removeAll(done);
            return out;
        }
    }

    private void writeGroup(Key key, List<Prepared> prepared, MessageContent msg, Context ctx, Phase phase,
                            DeliveryJournal.Slot slot) throws MboxException {
        MailboxCopy first = prepared.get(0).copy;
        LockPolicy policy = key.mailbox() ? settings.lockPolicy : settings.lockPolicy.withDotlockMayFail(true);
        try (MboxWriter w = MboxWriter.open(key.path(), 0600,
                key.mailbox() ? f -> fixNewMailbox(f, first.account()) : null, policy)) {
            String warning = w.lockWarning();
            if (warning != null) {
                LOG.warn(warning);
            }
            FileInfo st = w.info();
            if (key.mailbox()) {
                if (!st.isRegular()) {
                    bounceAll(prepared, phase, "5.2.0", prefix(key, first) + "destination " + key.path()
                            + " is not a regular file");
                    return;
                }
                if (settings.strictMailboxOwnership && Posix.isRoot() && st.uid() != first.account().uid()) {
                    LOG.warn("specify \"strict_mailbox_ownership = no\" to ignore mailbox ownership mismatch");
                    for (Prepared p : prepared) {
                        p.copy.report(Status.deferred("4.2.0", prefix(key, first) + "destination " + key.path()
                                + " is not owned by recipient"));
                        phase.done.add(p);
                    }
                    return;
                }
            } else if (st.isRegular() && (st.mode() & 0111) != 0) {
                bounceAll(prepared, phase, "5.7.1", prefix(key, first) + "file is executable");
                return;
            }
            byte[] body = msg.mboxBody();
            long time = ctx.time().getEpochSecond();
            List<Prepared> todo = prepared;
            if (ctx.recovered() && journal != null && st.isRegular()) {
                DeliveryJournal.Record rec = findRecord(ctx.queueId(), key.path(), prepared);
                if (rec != null) {
                    time = rec.time();
                    build(prepared, body, time);
                    todo = recover(w, rec, prepared, body, key, phase);
                }
            }
            build(todo, body, time);
            phase.writing = true;
            long size = w.size();
            List<Prepared> fits = new ArrayList<>(todo.size());
            long total = 0;
            for (Prepared p : todo) {
                if (settings.mailboxSizeLimit > 0 && st.isRegular()
                        && size + total + p.length > settings.mailboxSizeLimit) {
                    p.copy.report(Status.bounced("5.2.2", prefix(key, first) + "error writing message: "
                            + PosixException.strerror(PosixException.EFBIG)));
                    phase.done.add(p);
                    continue;
                }
                fits.add(p);
                total += p.length;
            }
            if (fits.isEmpty()) {
                return;
            }
            if (total > Integer.MAX_VALUE - 16) {
                throw new MboxException(PosixException.EFBIG, "error writing message: "
                        + PosixException.strerror(PosixException.EFBIG));
            }
            if (slot != null && st.isRegular()) {
                List<DeliveryJournal.Entry> entries = new ArrayList<>(fits.size());
                for (Prepared p : fits) {
                    entries.add(new DeliveryJournal.Entry(p.copy.job().recipient.index(), p.seq, p.length, p.crc));
                }
                try {
                    journal.write(slot, new DeliveryJournal.Record(ctx.queueId(), "mbox", key.path(), size, time,
                            entries, null));
                } catch (IOException e) {
                    LOG.warn("cannot write delivery journal: " + e.getMessage());
                    throw new MboxException(PosixException.EAGAIN, "cannot write delivery journal: " + e.getMessage());
                }
            }
            w.append(pieces(fits, body), 0); // the limit was applied per copy above
            for (Prepared p : fits) {
                p.copy.report(Status.sent(p.copy.isMailbox() ? "delivered to mailbox"
                        : "delivered to file: " + key.path()));
                phase.done.add(p);
            }
        }
    }

    private void bounceAll(List<Prepared> prepared, Phase phase, String dsn, String text) {
        for (Prepared p : prepared) {
            p.copy.report(Status.bounced(dsn, text));
            phase.done.add(p);
        }
    }

    /** The record of an earlier attempt for this path that covers some of these copies. */
    private DeliveryJournal.Record findRecord(String queueId, String path, List<Prepared> prepared) {
        for (DeliveryJournal.Record r : journal.recovered(queueId)) {
            if (!"mbox".equals(r.kind()) || !r.path().equals(path)) {
                continue;
            }
            for (DeliveryJournal.Entry e : r.entries()) {
                for (Prepared p : prepared) {
                    if (p.copy.job().recipient.index() == e.recipient() && p.seq == e.seq()) {
                        return r;
                    }
                }
            }
        }
        return null;
    }

    /**
     * Compares the previous attempt's record with the file. Copies found complete are
     * reported delivered; a torn copy at the end of the file is truncated away. Returns the
     * copies that still have to be written.
     */
    private List<Prepared> recover(MboxWriter w, DeliveryJournal.Record rec, List<Prepared> prepared, byte[] body,
                                   Key key, Phase phase) throws MboxException {
        long size = w.size();
        long pos = rec.offset();
        List<Prepared> present = new ArrayList<>();
        boolean consistent = pos <= size;
        for (DeliveryJournal.Entry e : rec.entries()) {
            if (!consistent) {
                break;
            }
            Prepared p = match(prepared, e);
            if (pos + e.length() <= size) {
                if (crcAt(w, pos, e.length()) != e.crc()) {
                    consistent = false; // someone rewrote the mailbox since
                    break;
                }
                if (p != null) {
                    present.add(p);
                }
                pos += e.length();
            } else {
                if (pos < size) {
                    // Torn write: truncate only if the tail is exactly the start of this copy.
                    if (p != null && p.crc == e.crc() && p.length == e.length()
                            && tailMatches(w, pos, size, p, body)) {
                        LOG.warn(key.path() + ": removing " + (size - pos) + " bytes of an interrupted delivery");
                        w.truncate(pos);
                    } else {
                        consistent = false;
                    }
                }
                break;
            }
        }
        if (!consistent) {
            // The file changed after the crash (a mail reader rewrote it): look for each copy.
            present.clear();
            for (Prepared p : prepared) {
                if (contains(w, p, body)) {
                    present.add(p);
                }
            }
            if (!present.isEmpty()) {
                LOG.warn(key.path() + ": mailbox changed since an interrupted delivery; "
                        + present.size() + " copies were found and are not written again");
            }
        }
        List<Prepared> todo = new ArrayList<>(prepared);
        for (Prepared p : present) {
            p.copy.report(Status.sent(p.copy.isMailbox() ? "delivered to mailbox"
                    : "delivered to file: " + key.path()));
            phase.done.add(p);
            todo.remove(p);
        }
        return todo;
    }

    private static Prepared match(List<Prepared> prepared, DeliveryJournal.Entry e) {
        for (Prepared p : prepared) {
            if (p.copy.job().recipient.index() == e.recipient() && p.seq == e.seq()) {
                return p;
            }
        }
        return null;
    }

    private static int crcAt(MboxWriter w, long pos, int len) throws MboxException {
        CRC32C crc = new CRC32C();
        ByteBuffer buf = ByteBuffer.allocate(Math.min(len, 64 * 1024));
        long off = pos;
        long left = len;
        while (left > 0) {
            buf.clear();
            buf.limit((int) Math.min(buf.capacity(), left));
            int n = w.read(buf, off);
            if (n <= 0) {
                return ~0;
            }
            crc.update(buf.array(), 0, n);
            off += n;
            left -= n;
        }
        return (int) crc.getValue();
    }

    private static boolean tailMatches(MboxWriter w, long pos, long size, Prepared p, byte[] body)
            throws MboxException {
        byte[] copy = copyBytes(p, body);
        int n = (int) (size - pos);
        ByteBuffer buf = ByteBuffer.allocate(n);
        long off = pos;
        while (buf.hasRemaining()) {
            int r = w.read(buf, off);
            if (r <= 0) {
                return false;
            }
            off += r;
        }
        return java.util.Arrays.equals(buf.array(), 0, n, copy, 0, n);
    }

    /** Scans the whole file for the copy's exact bytes (only after a crash and a rewrite). */
    private static boolean contains(MboxWriter w, Prepared p, byte[] body) throws MboxException {
        byte[] copy = copyBytes(p, body);
        long size = w.size();
        if (size < copy.length) {
            return false;
        }
        int chunk = Math.max(1 << 20, copy.length * 2);
        byte[] window = new byte[chunk + copy.length];
        long off = 0;
        int carried = 0;
        while (off < size) {
            ByteBuffer buf = ByteBuffer.wrap(window, carried, (int) Math.min(chunk, size - off));
            int n = w.read(buf, off);
            if (n <= 0) {
                return false;
            }
            int have = carried + n;
            if (indexOf(window, have, copy) >= 0) {
                return true;
            }
            carried = Math.min(copy.length - 1, have);
            System.arraycopy(window, have - carried, window, 0, carried);
            off += n;
        }
        return false;
    }

    private static int indexOf(byte[] hay, int hayLen, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hayLen; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static byte[] copyBytes(Prepared p, byte[] body) {
        byte[] out = new byte[p.envelope.length + body.length];
        System.arraycopy(p.envelope, 0, out, 0, p.envelope.length);
        System.arraycopy(body, 0, out, p.envelope.length, body.length);
        return out;
    }

    /** Builds envelope, length and CRC of each copy for From_ time {@code time}. */
    private void build(List<Prepared> prepared, byte[] body, long time) {
        for (Prepared p : prepared) {
            MailboxCopy c = p.copy;
            p.envelope = MboxFormat.envelope(c.sender(), Instant.ofEpochSecond(time), ZoneId.systemDefault(),
                    c.originalRecipient(), c.deliveredTo());
            p.length = p.envelope.length + body.length;
            CRC32C crc = new CRC32C();
            crc.update(p.envelope, 0, p.envelope.length);
            crc.update(body, 0, body.length);
            p.crc = (int) crc.getValue();
        }
    }

    /** Envelope and body of each copy, in order: written as one append without joining them first. */
    private static ByteBuffer[] pieces(List<Prepared> fits, byte[] body) {
        ByteBuffer[] out = new ByteBuffer[fits.size() * 2];
        int k = 0;
        for (Prepared p : fits) {
            out[k++] = ByteBuffer.wrap(p.envelope);
            out[k++] = ByteBuffer.wrap(body);
        }
        return out;
    }

    /** Postfix's spool identity rule; returns {uid, gid} to open and lock with. */
    private int[] spoolIdentity(MailboxCopy c) {
        FileInfo st;
        try {
            st = NativeFile.stat(settings.spoolDirectory);
        } catch (PosixException e) {
            st = null;
        }
        if (st == null || (st.mode() & 0002) != 0) {
            return new int[] {c.account().uid(), c.account().gid()};
        }
        if ((st.mode() & 0020) != 0) {
            return new int[] {c.account().uid(), st.gid()};
        }
        return new int[] {0, 0};
    }

    /** New mailbox: owner the user, group mail and 0660, or the user's group and 0600. */
    private void fixNewMailbox(NativeFile f, org.jmail.posix.UnixUser account) {
        if (!Posix.isRoot()) {
            return;
        }
        boolean home = !settings.homeMailbox.isEmpty();
        int gid = !home && mailGid >= 0 ? mailGid : account.gid();
        int mode = !home && mailGid >= 0 ? 0660 : 0600;
        try {
            FsIdentity.asRoot(() -> {
                FileInfo st = f.stat();
                if (st.uid() != account.uid() || st.gid() != gid) {
                    f.chown(account.uid(), gid);
                }
                if (st.permissions() != mode) {
                    f.chmod(mode);
                }
                return null;
            });
        } catch (Exception e) {
            LOG.warn(f.path() + ": cannot change file ownership: "
                    + (e instanceof PosixException pe ? pe.reason() : e.toString()));
        }
    }

    private static String prefix(Key key, MailboxCopy first) {
        return key.mailbox()
                ? "cannot update mailbox " + key.path() + " for user " + first.account().name() + ". "
                : "cannot append message to file " + key.path() + ": ";
    }

    private static Status failure(Key key, MailboxCopy first, MboxException e, boolean writing) {
        String dsn = mboxDsn(e.errno(), writing ? "5.3.0" : "5.2.0");
        if (e.reason().startsWith("target file status changed unexpectedly")) {
            LOG.warn(key.path() + ": file status changed unexpectedly");
        }
        return Status.failed(dsn, prefix(key, first) + e.reason());
    }

    /** mbox_dsn(): errno to DSN; a busy dotlock (EEXIST) counts as EAGAIN. */
    static String mboxDsn(int errno, String dflt) {
        if (errno == PosixException.EAGAIN || errno == PosixException.ESTALE || errno == PosixException.EEXIST) {
            return "4.2.0";
        }
        if (errno == PosixException.ENOSPC) {
            return "4.3.0";
        }
        if (errno == PosixException.EDQUOT || errno == PosixException.EFBIG) {
            return "5.2.2";
        }
        return dflt;
    }
}
