package org.jmail.cleanup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jmail.log.MailLog;
import org.jmail.queue.MailQueue;
import org.jmail.queue.QueueFileWriter;

/**
 * One message on its way into the queue: the {@link CleanupSession} that {@link Cleanup#open}
 * returns. Envelope addresses are qualified as Postfix does in the local rewriting context
 * (an address without '@' gets {@code @$myorigin}; a sender of {@code MAILER-DAEMON@$myorigin}
 * becomes the null sender); identical recipients (same address and original) are kept once.
 * Content goes through {@link HeaderProcessor} into the queue file writer.
 *
 * <p>Failure modes: {@link #commit} throws {@link CleanupException} with
 * {@code 552 5.3.4 Message size exceeds fixed limit} when more than
 * {@code message_size_limit} content bytes were written, {@code 554 5.4.0 Error: too many
 * hops} at {@code hopcount_limit} Received: headers, {@code 554 5.5.1 Error: no valid
 * recipients} without recipients, and {@code 451 4.3.0 Error: queue file write error} when
 * the file cannot be written or made durable. In every failure case the queue file is
 * removed. Not thread-safe.
 */
final class CleanupTransaction implements CleanupSession {

    private static final MailLog LOG = MailLog.of("cleanup");
    static final String REPLY_TOO_BIG = "552 5.3.4 Message size exceeds fixed limit";
    static final String REPLY_HOPS = "554 5.4.0 Error: too many hops";
    static final String REPLY_NO_RCPT = "554 5.5.1 Error: no valid recipients";
    static final String REPLY_WRITE = "451 4.3.0 Error: queue file write error";

    private final CleanupSettings settings;
    private final MailQueue queue;
    private final QueueFileWriter writer;
    private final HeaderProcessor headers;
    private final AddressRewriter rewriter;
    private final Set<String> seenRecipients = new HashSet<>();
    private long size;
    private boolean tooBig;
    private boolean contentStarted;
    private boolean finished;
    private IOException writeFailure;
    private final ContentChecks.Verdict verdict;
    private String firstRecipient;

    CleanupTransaction(CleanupSettings settings, MailQueue queue, QueueFileWriter writer, boolean localContext,
                       AddressRewriter rewriter) {
        this(settings, queue, writer, localContext, rewriter, null, null);
    }

    /** With header_checks/body_checks ({@code checks} null for none) for a message from {@code origin}. */
    CleanupTransaction(CleanupSettings settings, MailQueue queue, QueueFileWriter writer, boolean localContext,
                       AddressRewriter rewriter, ContentChecks checks, MessageOrigin origin) {
        this.settings = settings;
        this.rewriter = rewriter;
        this.queue = queue;
        this.writer = writer;
        this.verdict = checks == null ? null
                : new ContentChecks.Verdict(writer.id(), origin, writer::sender, () -> firstRecipient);
        this.headers = new HeaderProcessor(settings, writer.id(), writer.arrivalTime(), writer.sender(),
                localContext, writer::appendLine, checks, verdict);
    }

    @Override
    public String queueId() {
        return writer.id();
    }

    @Override
    public void addRecipient(String address, String original) throws IOException {
        addRecipient(address, original, 0, null);
    }

    @Override
    public void addRecipient(String address, String original, int notify, String orcpt) throws IOException {
        requireOpen();
        if (contentStarted) {
            throw new IllegalStateException(queueId() + ": recipient added after content");
        }
        String stored = qualify(address, settings.myorigin);
        String orig = original != null ? original : address;
        if (rewriter == null || rewriter.isEmpty()) {
            add(stored, orig, notify, orcpt);
            return;
        }
        for (String r : rewriter.recipient(stored, queueId())) {
            add(qualify(r, settings.myorigin), orig, notify, orcpt); // orig_to stays what the client gave
        }
    }

    private void add(String stored, String orig, int notify, String orcpt) throws IOException {
        if (firstRecipient == null) {
            firstRecipient = orig;
        }
        if (seenRecipients.add(stored + '\0' + orig)) {
            writer.addRecipient(stored, orig, notify, orcpt);
        }
    }

    @Override
    public void dsn(String ret, String envid) throws IOException {
        requireOpen();
        if (contentStarted) {
            throw new IllegalStateException(queueId() + ": DSN parameters after content");
        }
        writer.attribute("dsn_ret", ret);
        writer.attribute("dsn_envid", envid);
    }

    @Override
    public void prependHeader(String headerLine) throws IOException {
        requireOpen();
        if (contentStarted) {
            throw new IllegalStateException(queueId() + ": prependHeader after content");
        }
        // Lines end in LF or CR LF; trailing empty lines are dropped: what split("\r?\n")
        // did, without a regex per message
        List<String> lines = new ArrayList<>(2);
        int start = 0;
        int n = headerLine.length();
        while (true) {
            int nl = headerLine.indexOf('\n', start);
            if (nl < 0) {
                lines.add(headerLine.substring(start));
                break;
            }
            lines.add(headerLine.substring(start, nl > start && headerLine.charAt(nl - 1) == '\r' ? nl - 1 : nl));
            start = nl + 1;
        }
        int count = lines.size();
        while (count > 1 && lines.get(count - 1).isEmpty()) {
            count--;
        }
        if (count == 1 && lines.get(0).isEmpty() && n > 0) {
            count = 0; // only line ends: split gives nothing
        }
        for (int i = 0; i < count; i++) {
            byte[] b = lines.get(i).getBytes(StandardCharsets.UTF_8);
            content(b, 0, b.length);
        }
    }

    @Override
    public void writeLine(byte[] line, int offset, int length) throws IOException {
        requireOpen();
        contentStarted = true;
        content(line, offset, length);
    }

    private void content(byte[] b, int off, int len) throws IOException {
        size += len + 1;
        if (tooBig || writeFailure != null) {
            return; // keep counting, as the client keeps sending; nothing more is stored
        }
        if (settings.messageSizeLimit > 0 && size > settings.messageSizeLimit) {
            tooBig = true;
            return;
        }
        try {
            headers.line(b, off, len);
        } catch (IOException e) {
            // Reported at commit time with a 4xx; the client is still sending DATA.
            writeFailure = e;
        }
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public void commit() throws CleanupException, IOException {
        commit(null);
    }

    @Override
    public void commit(Runnable whenQueued) throws CleanupException, IOException {
        requireOpen();
        finished = true;
        if (tooBig) {
            writer.discard();
            throw new CleanupException(REPLY_TOO_BIG);
        }
        if (writer.recipientCount() == 0) {
            writer.discard();
            throw new CleanupException(REPLY_NO_RCPT);
        }
        try {
            if (writeFailure != null) {
                throw writeFailure;
            }
            headers.end();
            if (settings.hopcountLimit > 0 && headers.hopCount() >= settings.hopcountLimit) {
                LOG.warn(queueId() + ": message rejected: hopcount exceeded");
                writer.discard();
                throw new CleanupException(REPLY_HOPS);
            }
            if (verdict != null && verdict.reject != null) {
                writer.discard(); // header_checks/body_checks REJECT: 550, or 451 for a 4.x.x reason
                throw new CleanupException((verdict.reject.charAt(0) == '4' ? "451 " : "550 ") + verdict.reject);
            }
            if (verdict != null && verdict.discard) {
                writer.discard(); // DISCARD: accepted, then dropped (the client hears 250)
                runIfSet(whenQueued);
                return;
            }
            if (verdict != null && verdict.hold) {
                queue.commitHeld(writer);
                runIfSet(whenQueued);
                return;
            }
            queue.commit(writer, whenQueued);
        } catch (IOException e) {
            writer.discard();
            LOG.warn(queueId() + ": write queue file: " + e.getMessage());
            throw new CleanupException(REPLY_WRITE, e);
        }
    }

    @Override
    public void abort() {
        finished = true;
        writer.discard();
    }

    private static void runIfSet(Runnable r) {
        if (r != null) {
            r.run();
        }
    }

    private void requireOpen() {
        if (finished) {
            throw new IllegalStateException(queueId() + ": cleanup session already finished");
        }
    }

    /** Postfix's local-context envelope rewriting: "user" becomes "user@$myorigin". */
    static String qualify(String address, String myorigin) {
        if (address.isEmpty() || address.indexOf('@') >= 0 || myorigin.isEmpty()) {
            return address;
        }
        return address + "@" + myorigin;
    }
}
