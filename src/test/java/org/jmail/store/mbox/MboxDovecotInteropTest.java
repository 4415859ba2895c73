package org.jmail.store.mbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.jmail.auth.AuthUser;
import org.jmail.config.MainConfig;
import org.jmail.posix.Posix;
import org.jmail.posix.UnixUser;
import org.jmail.store.MailStore;
import org.jmail.store.Mailbox;
import org.jmail.store.StoredMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * jmail and Dovecot 2.3 on the same mbox: what one writes, the other reads with the same
 * UIDs, UIDVALIDITY and flags. Uses the real {@code doveadm} (Debian package dovecot-core) as
 * test user ({@code jmtest1}, else {@code jcompat}, else a throw-away {@code jmstoretest} made
 * with useradd and removed afterwards); skipped unless running as root with doveadm installed.
 */
class MboxDovecotInteropTest {

    Path dir;
    UnixUser unix;
    String location;

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue(Posix.isRoot(), "needs root to act as a test user");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/doveadm")), "doveadm (dovecot-core) not installed");
        unix = Posix.getpwnam("jmtest1");
        if (unix == null) {
            unix = Posix.getpwnam("jcompat");
        }
        if (unix == null && Files.isExecutable(Path.of("/usr/sbin/useradd"))) {
            // a throw-away account, removed again in tearDown
            Process p = new ProcessBuilder("/usr/sbin/useradd", "-M", "-s", "/usr/sbin/nologin", TEMP_USER)
                    .redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (p.waitFor() == 0) {
                createdUser = true;
                unix = Posix.getpwnam(TEMP_USER);
            }
        }
        assumeTrue(unix != null, "no test user jmtest1/jcompat and useradd failed");
        dir = Files.createTempDirectory(Path.of("/tmp"), "jmail-interop");
        Files.setAttribute(dir, "unix:uid", unix.uid());
        Files.setAttribute(dir, "unix:gid", unix.gid());
        location = "mbox:" + dir + "/mail:INBOX=" + dir + "/inbox";
    }

    private static final String TEMP_USER = "jmstoretest";
    private boolean createdUser;

    @AfterEach
    void tearDown() throws Exception {
        if (createdUser) {
            new ProcessBuilder("/usr/sbin/userdel", TEMP_USER).redirectErrorStream(true).start().waitFor();
        }
        if (dir != null) {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    MailStore store() throws Exception {
        AuthUser u = new AuthUser(unix.name(), unix.uid(), unix.gid(), dir.toString(), location);
        return new MboxMailStores(MainConfig.of(dir, Map.of("mailbox_size_limit", "0"))).open(u);
    }

    String doveadm(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("runuser", "-u", unix.name(), "--", "env", "USER=" + unix.name(),
                "HOME=" + dir, "doveadm", "-o", "mail_location=" + location));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + "\n" + out);
        return out;
    }

    String doveadmSave(String mailbox, String message) throws Exception {
        List<String> cmd = List.of("runuser", "-u", unix.name(), "--", "env", "USER=" + unix.name(),
                "HOME=" + dir, "doveadm", "-o", "mail_location=" + location, "save", "-m", mailbox);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().write(message.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    /** uid → flags (without \Recent) as Dovecot reports them. */
    Map<Long, Set<String>> dovecotFlags(String mailbox) throws Exception {
        String out = doveadm("fetch", "uid flags", "mailbox", mailbox, "all");
        Map<Long, Set<String>> m = new LinkedHashMap<>();
        long uid = -1;
        for (String line : out.split("\n")) {
            if (line.startsWith("uid: ")) {
                uid = Long.parseLong(line.substring(5).trim());
            } else if (line.startsWith("flags:")) {
                Set<String> f = new TreeSet<>(List.of(line.substring(6).trim().split(" +")));
                f.remove("");
                f.remove("\\Recent");
                m.put(uid, f);
            }
        }
        return m;
    }

    long dovecotUidValidity(String mailbox) throws Exception {
        String out = doveadm("mailbox", "status", "uidvalidity", mailbox);
        return Long.parseLong(out.trim().replaceAll("\\D", ""));
    }

    Map<Long, Set<String>> jmailFlags(Mailbox box) {
        Map<Long, Set<String>> m = new LinkedHashMap<>();
        for (StoredMessage s : box.messages()) {
            m.put(s.uid(), new TreeSet<>(s.flags()));
        }
        return m;
    }

    static String raw(int i) {
        return "From sender@example.org  Mon Jan  5 10:00:0" + i + " 2026\nFrom: s@example.org\nSubject: m" + i
                + "\n\nbody " + i + "\n\n";
    }

    @Test
    void dovecotReadsWhatJmailWrote() throws Exception {
        Files.writeString(dir.resolve("inbox"), raw(1) + raw(2) + raw(3));
        Files.setAttribute(dir.resolve("inbox"), "unix:uid", unix.uid());
        MailStore s = store();
        s.append("INBOX", "Subject: appended\r\n\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII),
                Set.of("\\Flagged", "$Work"), null);
        long validity;
        try (Mailbox box = s.open("INBOX", false)) {
            validity = box.uidValidity();
            box.setFlags(List.of(1L), Set.of("\\Seen", "\\Answered"), Mailbox.FlagMode.ADD);
            box.setFlags(List.of(3L), Set.of("\\Deleted"), Mailbox.FlagMode.ADD);
            box.expunge(null);
            box.setFlags(List.of(2L), Set.of("\\Draft", "Later"), Mailbox.FlagMode.ADD);
        }
        Map<Long, Set<String>> expected;
        try (Mailbox box = store().open("INBOX", true)) {
            expected = jmailFlags(box);
        }
        assertEquals(List.of(1L, 2L, 4L), new ArrayList<>(expected.keySet()));
        assertEquals(expected, dovecotFlags("INBOX"));
        assertEquals(validity, dovecotUidValidity("INBOX"));
    }

    @Test
    void jmailReadsWhatDovecotWrote() throws Exception {
        Files.writeString(dir.resolve("inbox"), raw(1) + raw(2));
        Files.setAttribute(dir.resolve("inbox"), "unix:uid", unix.uid());
        doveadmSave("INBOX", "From: x@example.org\nSubject: saved by dovecot\n\nFrom the body\n");
        doveadm("flags", "add", "\\Seen $Label1", "mailbox", "INBOX", "uid", "2");
        doveadm("flags", "add", "\\Deleted", "mailbox", "INBOX", "uid", "1");
        doveadm("expunge", "mailbox", "INBOX", "uid", "1");
        Map<Long, Set<String>> expected = dovecotFlags("INBOX");
        long validity = dovecotUidValidity("INBOX");
        assertEquals(List.of(2L, 3L), new ArrayList<>(expected.keySet()));
        try (Mailbox box = store().open("INBOX", false)) {
            assertEquals(expected, jmailFlags(box));
            assertEquals(validity, box.uidValidity());
            String body = new String(box.read(3), StandardCharsets.US_ASCII);
            assertTrue(body.endsWith("\r\n\r\nFrom the body\r\n"), body);
            assertTrue(!body.contains("X-UID") && !body.contains("X-Keywords"), body);
            // jmail changes something; Dovecot still agrees afterwards
            box.setFlags(List.of(3L), Set.of("\\Flagged"), Mailbox.FlagMode.ADD);
        }
        doveadmSave("INBOX", "Subject: second save\n\nx\n");
        Map<Long, Set<String>> after = dovecotFlags("INBOX");
        try (Mailbox box = store().open("INBOX", true)) {
            assertEquals(after, jmailFlags(box));
            assertEquals(List.of(2L, 3L, 4L), new ArrayList<>(after.keySet()));
        }
        // jmail expunges (rewrite + rename) under Dovecot's existing index: Dovecot follows
        try (Mailbox box = store().open("INBOX", false)) {
            box.setFlags(List.of(2L), Set.of("\\Deleted"), Mailbox.FlagMode.ADD);
            assertEquals(List.of(2L), box.expunge(null));
            box.setFlags(List.of(4L), Set.of("\\Answered"), Mailbox.FlagMode.ADD);
            Map<Long, Set<String>> mine = jmailFlags(box);
            assertEquals(mine, dovecotFlags("INBOX"));
            assertEquals(List.of(3L, 4L), new ArrayList<>(mine.keySet()));
        }
        // folders and subscriptions Dovecot made
        doveadm("mailbox", "create", "Lists/debian");
        doveadm("mailbox", "subscribe", "Lists/debian");
        MailStore s = store();
        assertTrue(s.subscriptions().contains("Lists/debian"));
        assertTrue(s.list().stream().anyMatch(i -> i.name().equals("Lists/debian")));
    }
}
