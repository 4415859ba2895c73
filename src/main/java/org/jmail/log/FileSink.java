package org.jmail.log;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.jmail.posix.Posix;

/**
 * Appends syslog-format lines ({@code Nov 28 04:41:24 host postfix/smtpd[42]: text}) to a file,
 * as Postfix's postlog does for {@code maillog_file}. The file is reopened when it is renamed
 * or removed (logrotate without copytruncate), checked before each batch of lines (one
 * stat(2) per batch: the writer batches under load, so this stays cheap), so every line
 * written after a rotation lands in the new file;
 * a reload ({@link LogSetup#configure}) opens it anew as well. A file it creates is mode 0640,
 * group adm (Debian's convention for /var/log/mail.log).
 */
public final class FileSink extends AsyncSink {

    private final Path path;
    private final String hostname;
    private OutputStream out;
    private Object fileKey;

    public FileSink(Path path, String hostname) throws IOException {
        super("log-file");
        this.path = path;
        this.hostname = hostname.indexOf('.') > 0 ? hostname.substring(0, hostname.indexOf('.')) : hostname;
        open();
        startWriter();
    }

    private void open() throws IOException {
        if (path.getParent() != null) {
            Files.createDirectories(path.getParent());
        }
        if (!Files.exists(path)) {
            create();
        }
        out = Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        fileKey = Files.readAttributes(path, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
    }

    /**
     * A new log file gets Debian's mode for logs that name users and addresses, as rsyslog
     * and logrotate's "create 0640 root adm" make it: 0640, group adm when that group exists
     * and we may give it (root). Best effort: the file is still written when this fails.
     */
    private void create() {
        try {
            Files.createFile(path, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----")));
            if (Posix.isRoot()) {
                int adm = Posix.getgrnam("adm");
                if (adm >= 0) {
                    Files.setAttribute(path, "unix:gid", adm);
                }
            }
        } catch (IOException | RuntimeException e) {
            // another writer made it meanwhile, or no POSIX attributes: keep what is there
        }
    }

    private void reopenIfRotated() {
        try {
            Object k;
            try {
                k = Files.readAttributes(path, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
            } catch (java.nio.file.NoSuchFileException gone) {
                k = null; // removed: make a new one
            }
            if (k == null || !k.equals(fileKey)) {
                out.close();
                open();
            }
        } catch (IOException e) {
            // keep writing to the old descriptor rather than lose lines
        }
    }

    @Override
    void writeBatch(List<Rec> records) {
        StringBuilder sb = new StringBuilder(records.size() * 120);
        for (Rec r : records) {
            sb.append(StderrSink.stamp(r.millis()))
                    .append(' ').append(hostname).append(' ').append(r.tag()).append(": ").append(r.message()).append('\n');
        }
        try {
            reopenIfRotated();
            out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            PrintStream err = System.err;
            err.print(sb);
        }
    }

    @Override
    void closeOutput() {
        try {
            out.close();
        } catch (IOException ignored) {
            // nothing more to say about a log we are closing
        }
    }
}
