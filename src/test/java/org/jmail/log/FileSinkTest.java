package org.jmail.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.jmail.config.MainConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The log file jmail writes itself: rotation by rename (logrotate), reopen on reload, mode. */
class FileSinkTest {

    @TempDir
    Path dir;

    @AfterEach
    void reset() {
        MailLog.setSink(new StderrSink(), "jmail");
    }

    @Test
    void theFirstLineAfterARenameGoesToTheNewFileWithoutASignal() throws Exception {
        Path log = dir.resolve("mail.log");
        FileSink sink = new FileSink(log, "mx.example.tst");
        try {
            sink.write(6, "jmail/smtpd[1]", "before rotation");
            sink.flush();
            Path rotated = dir.resolve("mail.log.1");
            Files.move(log, rotated);
            sink.write(6, "jmail/smtpd[1]", "after rotation");
            sink.flush();
            assertTrue(Files.readString(rotated).contains("before rotation"));
            assertFalse(Files.readString(rotated).contains("after rotation"));
            assertTrue(Files.readString(log).contains("after rotation"), "new file gets the new lines");
        } finally {
            sink.close();
        }
    }

    @Test
    void reloadOpensTheLogAnewAtOnce() throws Exception {
        Path log = dir.resolve("mail.log");
        MainConfig c = MainConfig.of(dir, Map.of("maillog_file", log.toString(), "myhostname", "mx.example.tst"));
        LogSetup.configure(c, dir.resolve("no-dev-log").toString());
        MailLog.of("master").info("first");
        ((AsyncSink) MailLog.sink()).flush();
        Files.move(log, dir.resolve("mail.log.1"));
        LogSetup.configure(c, dir.resolve("no-dev-log").toString()); // what SIGHUP does
        MailLog.of("master").info("reload -- after");
        ((AsyncSink) MailLog.sink()).flush();
        assertTrue(Files.readString(log).contains(MailLog.of("master").tag() + "[" + MailLog.pid() + "]: reload -- after"));
        assertFalse(Files.readString(dir.resolve("mail.log.1")).contains("after"));
    }

    @Test
    void aNewLogFileIsNotWorldReadable() throws Exception {
        Path log = dir.resolve("sub/mail.log");
        FileSink sink = new FileSink(log, "mx");
        sink.close();
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(log)));
    }

    @Test
    void anExistingLogKeepsItsMode() throws Exception {
        Path log = dir.resolve("mail.log");
        Files.createFile(log, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
        FileSink sink = new FileSink(log, "mx");
        sink.close();
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(log)));
    }
}
