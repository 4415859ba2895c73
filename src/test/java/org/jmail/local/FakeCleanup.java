package org.jmail.local;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jmail.cleanup.CleanupException;
import org.jmail.cleanup.CleanupService;
import org.jmail.cleanup.CleanupSession;
import org.jmail.cleanup.MessageOrigin;

/** Records the messages local(8) resubmits. */
final class FakeCleanup implements CleanupService {

    static final class Session implements CleanupSession {
        final String id;
        final String sender;
        final List<String> recipients = new ArrayList<>();
        final List<String> lines = new ArrayList<>();
        boolean committed;
        boolean aborted;

        Session(String id, String sender) {
            this.id = id;
            this.sender = sender;
        }

        @Override
        public String queueId() {
            return id;
        }

        @Override
        public void addRecipient(String address, String original) {
            recipients.add(address);
        }

        @Override
        public void writeLine(byte[] line, int offset, int length) {
            lines.add(new String(line, offset, length, StandardCharsets.UTF_8));
        }

        @Override
        public void commit() throws CleanupException {
            if (refuse != null) {
                throw new CleanupException(refuse);
            }
            committed = true;
        }

        String refuse;

        @Override
        public void abort() {
            aborted = true;
        }

        @Override
        public void prependHeader(String headerLine) {
            lines.add(0, headerLine);
        }

        @Override
        public long size() {
            return lines.stream().mapToLong(String::length).sum();
        }
    }

    final List<Session> sessions = new ArrayList<>();
    String refuseWith;

    @Override
    public synchronized CleanupSession open(MessageOrigin origin, String sender) {
        Session s = new Session("FWD" + (sessions.size() + 1), sender);
        s.refuse = refuseWith;
        sessions.add(s);
        return s;
    }

    List<Session> committed() {
        return sessions.stream().filter(s -> s.committed).toList();
    }
}
