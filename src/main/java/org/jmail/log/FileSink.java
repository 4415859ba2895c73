package org.jmail.log;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/**
 * Appends syslog-format lines ({@code Nov 28 04:41:24 host postfix/smtpd[42]: text}) to a file,
 * as Postfix's postlog does for {@code maillog_file}. The file is reopened when it is renamed
 * or removed (logrotate without copytruncate), checked once a second.
 */
public final class FileSink extends AsyncSink {

    private final Path path;
    private final String hostname;
    private OutputStream out;
    private Object fileKey;
    private long lastCheck;

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
        out = Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        fileKey = Files.readAttributes(path, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
    }

    private void reopenIfRotated(long now) {
        if (now - lastCheck < 1000) {
            return;
        }
        lastCheck = now;
        try {
            Object k = Files.exists(path)
                    ? Files.readAttributes(path, java.nio.file.attribute.BasicFileAttributes.class).fileKey() : null;
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
            sb.append(StderrSink.STAMP.format(Instant.ofEpochMilli(r.millis()).atZone(ZoneId.systemDefault())))
                    .append(' ').append(hostname).append(' ').append(r.tag()).append(": ").append(r.message()).append('\n');
        }
        try {
            reopenIfRotated(System.currentTimeMillis());
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
