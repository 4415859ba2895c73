package org.jmail.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** packaging/bin/sendmail (the JVM-free submission path) run by dash against a temp queue. */
class SendmailScriptTest {

    private static final Path SCRIPT = Path.of("packaging/bin/sendmail").toAbsolutePath();

    @TempDir
    Path dir;
    private Path maildrop;

    record Run(int status, String stderr) {
    }

    @BeforeEach
    void queue() throws Exception {
        maildrop = dir.resolve("spool/maildrop");
        Files.createDirectories(maildrop);
        Files.writeString(dir.resolve("main.cf"), "myhostname = x.tst\nqueue_directory = " + dir.resolve("spool") + "  \n");
    }

    private Run sendmail(String stdin, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("/bin/dash", SCRIPT.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("MAIL_CONFIG", dir.toString());
        pb.environment().remove("NAME");
        Process p = pb.start();
        try {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
        } catch (java.io.IOException exitedWithoutReading) {
            // usage errors end the script before it reads stdin
        }
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        return new Run(p.exitValue(), new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private String onlyFile() throws Exception {
        try (Stream<Path> s = Files.list(maildrop)) {
            List<Path> l = s.toList();
            assertEquals(1, l.size(), l.toString());
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(l.get(0))),
                    "ready mode");
            return Files.readString(l.get(0));
        }
    }

    @Test
    void scriptIsValidPosixShell() throws Exception {
        Process p = new ProcessBuilder("/bin/dash", "-n", SCRIPT.toString()).redirectErrorStream(true).start();
        assertEquals(0, p.waitFor(), new String(p.getInputStream().readAllBytes()));
    }

    @Test
    void phpStyleDashTDashIKeepsLoneDots() throws Exception {
        assertEquals(0, sendmail("To: a@x.tst\n\nline\n.\nmore\n", "-t", "-i").status());
        assertEquals("JMD1\nflags=t\n\nTo: a@x.tst\n\nline\n.\nmore\n", onlyFile());
    }

    @Test
    void withoutDashIALoneDotEndsTheInput() throws Exception {
        assertEquals(0, sendmail("Subject: x\n\nline\n.\r\nnot read\n", "b@x.tst").status());
        assertEquals("JMD1\nrcpt=b@x.tst\n\nSubject: x\n\nline\n", onlyFile());
    }

    @Test
    void cronInvocationIsAccepted() throws Exception {
        Run r = sendmail("Subject: cron\n\nout\n", "-FCronDaemon", "-i", "-B8BITMIME", "-oem", "root");
        assertEquals(0, r.status(), r.stderr());
        assertEquals("JMD1\nfullname=CronDaemon\nencoding=8BITMIME\nrcpt=root\n\nSubject: cron\n\nout\n", onlyFile());
    }

    @Test
    void dashFAndOiAndConfigDirOption() throws Exception {
        Files.writeString(dir.resolve("main.cf"), "queue_directory = /nonexistent\n");
        Path other = dir.resolve("other");
        Files.createDirectories(other);
        Files.writeString(other.resolve("main.cf"), "queue_directory=" + dir.resolve("spool") + "\n");
        Run r = sendmail("x\n.\ny\n", "-oi", "-f", "Me <me@x.tst>", "-C", other.resolve("main.cf").toString(), "a@x.tst", "b@x.tst");
        assertEquals(0, r.status(), r.stderr());
        assertEquals("JMD1\nsender=Me <me@x.tst>\nrcpt=a@x.tst\nrcpt=b@x.tst\n\nx\n.\ny\n", onlyFile());
    }

    /** Postfix 3.7's sendmail exits 75 (EX_TEMPFAIL) on every fatal error, usage errors too. */
    @Test
    void usageErrorsArePostfixWordsAndTempfail() throws Exception {
        Run r = sendmail("x\n");
        assertEquals(75, r.status());
        String user = new String(new ProcessBuilder("id", "-un").start().getInputStream().readAllBytes()).strip();
        String uid = new String(new ProcessBuilder("id", "-u").start().getInputStream().readAllBytes()).strip();
        assertEquals("sendmail: fatal: " + user + "(" + uid
                + "): Recipient addresses must be specified on the command line or via the -t option\n",
                r.stderr().replace(SCRIPT.getFileName().toString(), "sendmail"));
        assertTrue(sendmail("x\n", "-f", "a@b.tst").stderr().contains("fatal: a@b.tst(" + uid + "): Recipient"));
        assertEquals(75, sendmail("x\n", "-B", "9BIT", "a").status());
        Run bad = sendmail("x\n", "-z", "a");
        assertEquals(75, bad.status());
        assertTrue(bad.stderr().contains("invalid option -- 'z'"), bad.stderr());
        assertEquals(75, sendmail("x\n", "-n", "a").status());
        try (Stream<Path> s = Files.list(maildrop)) {
            assertEquals(0, s.count(), "nothing queued on errors");
        }
    }

    @Test
    void missingMaildropIsTempfail() throws Exception {
        Files.delete(maildrop);
        Run r = sendmail("x\n", "a@x.tst");
        assertEquals(75, r.status());
        assertTrue(r.stderr().contains("fatal: mail_queue_enter: create file"), r.stderr());
    }

    @Test
    void queueRunIntervalAndHostStatusAreIgnored() throws Exception {
        assertEquals(0, sendmail("", "-q1h").status());
        assertEquals(0, sendmail("", "-bh").status());
    }
}
