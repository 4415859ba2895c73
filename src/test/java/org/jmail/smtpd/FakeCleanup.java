package org.jmail.smtpd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jmail.cleanup.CleanupException;
import org.jmail.cleanup.CleanupService;
import org.jmail.cleanup.CleanupSession;
import org.jmail.cleanup.MessageOrigin;

/** A CleanupService that keeps messages in memory, with switches to make it fail. */
final class FakeCleanup implements CleanupService {

    final List<Message> messages = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger ids = new AtomicInteger(0x4F2A1);
    volatile String commitReply;     // commit throws CleanupException with this reply
    volatile boolean failOpen;
    volatile boolean failWrite;

    @Override
    public CleanupSession open(MessageOrigin origin, String sender) throws IOException {
        if (failOpen) {
            throw new IOException("cleanup unavailable");
        }
        Message m = new Message(String.format("%X", ids.getAndIncrement()) + "C9D", origin, sender);
        messages.add(m);
        return m;
    }

    @Override
    public CleanupSession open(MessageOrigin origin, String sender, java.util.Set<String> overrides)
            throws IOException {
        Message m = (Message) open(origin, sender);
        m.overrides = overrides;
        return m;
    }

    /** The only committed message (fails when there is not exactly one). */
    Message committed() {
        List<Message> c = new ArrayList<>();
        synchronized (messages) {
            for (Message m : messages) {
                if (m.committed) {
                    c.add(m);
                }
            }
        }
        if (c.size() != 1) {
            throw new AssertionError("expected one committed message, have " + c.size());
        }
        return c.get(0);
    }

    final class Message implements CleanupSession {
        final String id;
        final MessageOrigin origin;
        final String sender;
        final List<String> recipients = new ArrayList<>();
        final List<String> originals = new ArrayList<>();
        final List<String> orcpts = new ArrayList<>();
        final List<Integer> notifies = new ArrayList<>();
        java.util.Set<String> overrides;
        String dsnRet;
        String dsnEnvid;
        final List<String> headers = new ArrayList<>();
        final List<String> lines = new ArrayList<>();
        long size;
        boolean committed;
        int aborted;

        Message(String id, MessageOrigin origin, String sender) {
            this.id = id;
            this.origin = origin;
            this.sender = sender;
        }

        @Override
        public String queueId() {
            return id;
        }

        @Override
        public void addRecipient(String address, String original) throws IOException {
            if (failWrite) {
                throw new IOException("disk full");
            }
            recipients.add(address);
            originals.add(original);
        }

        @Override
        public void addRecipient(String address, String original, int notify, String orcpt) throws IOException {
            addRecipient(address, original);
            notifies.add(notify);
            orcpts.add(orcpt);
        }

        @Override
        public void dsn(String ret, String envid) {
            dsnRet = ret;
            dsnEnvid = envid;
        }

        @Override
        public void writeLine(byte[] line, int offset, int length) throws IOException {
            if (failWrite) {
                throw new IOException("disk full");
            }
            lines.add(new String(line, offset, length, StandardCharsets.UTF_8));
            size += length + 1;
        }

        @Override
        public void commit() throws CleanupException, IOException {
            if (commitReply != null) {
                throw new CleanupException(commitReply);
            }
            committed = true;
        }

        @Override
        public void abort() {
            aborted++;
        }

        @Override
        public void prependHeader(String headerLine) throws IOException {
            headers.add(headerLine);
        }

        @Override
        public long size() {
            return size;
        }

        String body() {
            return String.join("\n", lines);
        }
    }
}
