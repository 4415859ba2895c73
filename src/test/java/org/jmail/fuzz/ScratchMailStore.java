package org.jmail.fuzz;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.jmail.auth.AuthResult;
import org.jmail.auth.AuthUser;
import org.jmail.auth.Authenticator;
import org.jmail.config.MainConfig;
import org.jmail.store.MailStores;
import org.jmail.store.mbox.MboxMailStores;

/**
 * A real mbox mail store in a temporary directory, reset before every fuzz input so that each
 * session starts from the same mailboxes (an INBOX with a few messages, one of them MIME
 * multipart). The user is "fuzz" / "secret", owned by the uid running the tests, with
 * mail_location {@code mbox:DIR/mail:INBOX=DIR/inbox}.
 */
final class ScratchMailStore {

    static final String USER = "fuzz";
    static final String PASS = "secret";

    static final String INBOX = """
            From alice@example.tst Sat Nov 28 04:41:24 2026
            From: Alice <alice@example.tst>
            To: fuzz@example.tst
            Subject: plain
            Date: Sat, 28 Nov 2026 04:41:24 +0000
            Message-ID: <1@example.tst>

            Hello there.
            >From a quoted line

            From bob@example.tst Sat Nov 28 04:42:00 2026
            From: "Bob, B." <bob@example.tst>
            To: fuzz@example.tst, "x" <y@example.tst>
            Subject: =?utf-8?q?caf=C3=A9?=
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary="XX"
            Status: RO
            X-Keywords: $Forwarded

            --XX
            Content-Type: text/plain; charset=utf-8
            Content-Transfer-Encoding: quoted-printable

            caf=C3=A9
            --XX
            Content-Type: message/rfc822

            Subject: inner

            inner body
            --XX--

            """;

    final Path dir;
    final Path home;
    final MailStores stores;
    final Authenticator auth;

    ScratchMailStore() throws IOException {
        dir = Files.createTempDirectory("jmail-fuzz-");
        home = dir.resolve("home");
        int uid = (Integer) Files.getAttribute(dir, "unix:uid");
        int gid = (Integer) Files.getAttribute(dir, "unix:gid");
        AuthUser user = new AuthUser(USER, uid, gid, home.toString(),
                "mbox:" + home.resolve("mail") + ":INBOX=" + home.resolve("inbox"));
        auth = req -> req.user().equals(USER) && req.password().equals(PASS) ? AuthResult.ok(user)
                : AuthResult.failed("bad password");
        stores = new MboxMailStores(MainConfig.of(Path.of("/nonexistent"),
                Map.of("mbox_lock_timeout", "5s", "mailbox_size_limit", "20000000")));
    }

    /** Back to the initial mailboxes, with the INBOX holding {@code inbox}. */
    void reset(byte[] inbox) throws IOException {
        delete(home);
        Files.createDirectories(home);
        Files.write(home.resolve("inbox"), inbox);
        Files.setPosixFilePermissions(home.resolve("inbox"), PosixFilePermissions.fromString("rw-rw----"));
    }

    void reset() throws IOException {
        reset(INBOX.getBytes(StandardCharsets.UTF_8));
    }

    void close() throws IOException {
        delete(dir);
    }

    private static void delete(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        Files.walkFileTree(p, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
