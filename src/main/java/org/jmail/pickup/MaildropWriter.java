package org.jmail.pickup;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.jmail.cleanup.CleanupException;
import org.jmail.cleanup.CleanupService;
import org.jmail.cleanup.CleanupSession;
import org.jmail.cleanup.MessageOrigin;

/**
 * The Java side of the maildrop format ({@link MaildropFile}): a {@link CleanupService} that
 * writes each message into {@code maildrop/} as the calling user instead of the queue, for
 * {@code sendmail -bs} (smtpd's protocol on stdin/stdout, run as the user, who cannot write
 * the queue). The daemon's pickup then takes the message like any sendmail submission.
 *
 * <p>Files are created 0600 (O_EXCL) and made ready (0700) at {@link CleanupSession#commit}.
 * The caller's Received: header is not kept: pickup adds Postfix's
 * {@code Received: by host (mail_name, from userid N)}. Failure: commit throws
 * {@link CleanupException} {@code 451 4.3.0 Error: queue file write error} when the file
 * cannot be written (the client may retry).
 */
public final class MaildropWriter implements CleanupService {

    private final Path maildrop;

    public MaildropWriter(Path maildrop) {
        this.maildrop = maildrop;
    }

    @Override
    public CleanupSession open(MessageOrigin origin, String sender) throws IOException {
        for (int attempt = 0; ; attempt++) {
            String name = System.currentTimeMillis() + "." + ProcessHandle.current().pid() + "." + System.nanoTime() % 1000000;
            Path p = maildrop.resolve(name);
            try {
                OutputStream out = Files.newOutputStream(Files.createFile(p,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))),
                        StandardOpenOption.WRITE);
                return new Session(p, name, new BufferedOutputStream(out, 65536), sender == null ? "" : sender);
            } catch (FileAlreadyExistsException e) {
                if (attempt > 10) {
                    throw e;
                }
            }
        }
    }

    private static final class Session implements CleanupSession {
        private final Path path;
        private final String id;
        private final OutputStream out;
        private final String sender;
        private final List<String> recipients = new ArrayList<>();
        private boolean contentStarted;
        private boolean committed;
        private long size;

        Session(Path path, String id, OutputStream out, String sender) {
            this.path = path;
            this.id = id;
            this.out = out;
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

        private void envelope() throws IOException {
            if (contentStarted) {
                return;
            }
            contentStarted = true;
            StringBuilder b = new StringBuilder(MaildropFile.MAGIC).append('\n');
            b.append("sender=").append(sender.replace('\n', ' ')).append('\n');
            for (String r : recipients) {
                b.append("rcpt=").append(r.replace('\n', ' ')).append('\n');
            }
            b.append('\n');
            out.write(b.toString().getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void writeLine(byte[] line, int offset, int length) throws IOException {
            envelope();
            out.write(line, offset, length);
            out.write('\n');
            size += length + 1;
        }

        @Override
        public void prependHeader(String headerLine) {
            // pickup writes its own Received: header for local submissions
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public void commit() throws CleanupException, IOException {
            try {
                envelope();
                out.close();
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwx------"));
                committed = true;
            } catch (IOException e) {
                abort();
                throw new CleanupException("451 4.3.0 Error: queue file write error", e);
            }
        }

        @Override
        public void abort() {
            if (committed) {
                return; // handed to pickup already
            }
            try {
                out.close();
            } catch (IOException ignored) {
                // removing anyway
            }
            try {
                Files.deleteIfExists(path);
            } catch (IOException ignored) {
                // a leftover 0600 file is never picked up
            }
        }
    }
}
