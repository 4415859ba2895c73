package org.jmail.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.jmail.posix.NativeFile;
import org.jmail.posix.Posix;
import org.jmail.posix.UnixUser;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AliasExpansionTest {

    @TempDir
    Path dir;
    LocalHarness h;
    Path shared;

    static final String MSG = "From: sender@remote.example\nSubject: hello\n\nbody\n";

    @BeforeEach
    void setUp() throws Exception {
        h = new LocalHarness(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
        shared = Files.createDirectory(dir.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
    }

    private static UnixUser nobody() {
        UnixUser u = Posix.getpwnam("nobody");
        assumeTrue(u != null && Posix.isRoot(), "needs root and a nobody account");
        return u;
    }

    @Test
    void aliasListingItselfKeepsACopyForTheUser() throws Exception {
        nobody();
        h.aliases.put("nobody", "nobody, root");
        FakeRequest r = h.deliver(MSG, "nobody@host.example");
        assertEquals("nobody@host.example sent 2.0.0 (delivered to mailbox)", r.only().toString());
        assertEquals(1, LocalHarness.pythonMessages(h.mbox("nobody")).size());
        assertEquals(1, LocalHarness.pythonMessages(h.mbox("root")).size());
        String rootMbox = h.read(h.mbox("root"));
        // Postfix (frozen_delivered_to = yes): Delivered-To is the recipient local(8) was given
        assertTrue(rootMbox.contains("\nX-Original-To: nobody@host.example\nDelivered-To: nobody@host.example\n"), rootMbox);
        assertTrue(h.cleanup.sessions.isEmpty(), "local alias targets are delivered directly");
    }

    @Test
    void nestedAliasMailboxCopyIsDeliveredToTheTopLevelRecipient() throws Exception {
        h.aliases.put("team", "lead");
        h.aliases.put("lead", "root");
        assertEquals("sent", h.deliver(MSG, "team@host.example").only().kind());
        String rootMbox = h.read(h.mbox("root"));
        assertTrue(rootMbox.contains("\nX-Original-To: team@host.example\nDelivered-To: team@host.example\n"), rootMbox);
    }

    @Test
    void unfrozenDeliveredToNamesTheFinalRecipient() throws Exception {
        h.conf.put("frozen_delivered_to", "no");
        h.aliases.put("team", "lead");
        h.aliases.put("lead", "root");
        assertEquals("sent", h.deliver(MSG, "team@host.example").only().kind());
        String rootMbox = h.read(h.mbox("root"));
        assertTrue(rootMbox.contains("\nX-Original-To: team@host.example\nDelivered-To: root@host.example\n"), rootMbox);
    }

    @Test
    void eachAliasMemberIsLoggedWithTheRecipientAsOrigTo() throws Exception {
        nobody();
        h.aliases.put("team", "nobody, root");
        FakeRequest r = h.deliver(MSG, "team@host.example");
        assertEquals("sent", r.only().kind());
        // Postfix's local(8): to=<member>, orig_to=<team> for each mailbox delivery
        assertEquals(List.of("to=<nobody@host.example> orig_to=<team@host.example> sent (delivered to mailbox)",
                "to=<root@host.example> orig_to=<team@host.example> sent (delivered to mailbox)"),
                r.logged.stream().sorted().toList());
    }

    @Test
    void aliasToAnotherUserForwardsOnly() throws Exception {
        h.aliases.put("alice", "root");
        FakeRequest r = h.deliver(MSG, "alice@host.example");
        assertEquals("sent", r.only().kind());
        assertFalse(Files.exists(h.mbox("alice")));
        assertEquals(1, LocalHarness.pythonMessages(h.mbox("root")).size());
    }

    @Test
    void aliasNamesAreCaseInsensitive() throws Exception {
        h.aliases.put("alice", "root");
        assertEquals("sent", h.deliver(MSG, "Alice@host.example").only().kind());
        assertTrue(Files.exists(h.mbox("root")));
    }

    @Test
    void nestedAliasesAreFollowed() throws Exception {
        h.aliases.put("team", "lead");
        h.aliases.put("lead", "boss");
        h.aliases.put("boss", "root");
        assertEquals("sent", h.deliver(MSG, "team@host.example").only().kind());
        assertEquals(1, LocalHarness.pythonMessages(h.mbox("root")).size());
    }

    @Test
    void aliasLoopBouncesAtTheNestingLimit() {
        h.aliases.put("ping", "pong");
        h.aliases.put("pong", "ping");
        FakeRequest r = h.deliver(MSG, "ping@host.example");
        assertEquals("bounced", r.only().kind());
        assertEquals("5.4.6", r.only().dsn());
        // as Postfix 3.7 (local/alias.c): the alias nesting check names the alias
        assertEquals("alias database loop for pong", r.only().text());
        assertEquals(List.of("to=<pong@host.example> orig_to=<ping@host.example> bounced (alias database loop for pong)"),
                r.logged);
    }

    @Test
    void aliasWithExtensionIsLookedUpWithAndWithoutIt() throws Exception {
        h.conf.put("recipient_delimiter", "+");
        h.aliases.put("team+urgent", "root");
        h.aliases.put("team", "/dev/null");
        FakeRequest r = h.deliver(MSG, "team+urgent@host.example", "team+other@host.example");
        assertEquals("delivered to mailbox", r.of("team+urgent@host.example").text());
        assertEquals("delivered to file: /dev/null", r.of("team+other@host.example").text());
    }

    @Test
    void remoteAliasTargetIsResubmittedThroughCleanup() {
        h.aliases.put("ext", "someone@remote.example, other@elsewhere.example");
        FakeRequest r = h.deliver(MSG, "ext@host.example");
        assertEquals("ext@host.example sent 2.0.0 (forwarded as FWD1)", r.only().toString());
        List<FakeCleanup.Session> s = h.cleanup.committed();
        assertEquals(1, s.size());
        assertEquals("sender@remote.example", s.get(0).sender);
        assertEquals(List.of("someone@remote.example", "other@elsewhere.example"), s.get(0).recipients);
        assertEquals("Received: by host.example (jmail)", s.get(0).lines.get(0));
        assertTrue(s.get(0).lines.get(1).startsWith("\tid FWD1; "), s.get(0).lines.get(1));
        assertEquals("Delivered-To: ext@host.example", s.get(0).lines.get(2));
        assertEquals(List.of("From: sender@remote.example", "Subject: hello", "", "body"),
                s.get(0).lines.subList(3, s.get(0).lines.size()));
    }

    @Test
    void cleanupRefusalOfAForwardBounces() {
        h.aliases.put("ext", "someone@remote.example");
        h.cleanup.refuseWith = "552 5.3.4 Message size exceeds fixed limit";
        FakeRequest r = h.deliver(MSG, "ext@host.example");
        assertEquals("ext@host.example bounced 5.3.4 (Message size exceeds fixed limit)", r.only().toString());
    }

    @Test
    void ownerAliasReplacesTheSenderAndResubmits() {
        h.aliases.put("list", "root");
        h.aliases.put("owner-list", "root");
        FakeRequest r = h.deliver(MSG, "list@host.example");
        assertEquals("sent", r.only().kind());
        List<FakeCleanup.Session> s = h.cleanup.committed();
        assertEquals(1, s.size());
        assertEquals("owner-list@host.example", s.get(0).sender);
        assertEquals(List.of("root@host.example"), s.get(0).recipients);
    }

    @Test
    void includeFileRecipientsAreResubmitted() throws Exception {
        Path list = dir.resolve("list.txt");
        Files.writeString(list, "# members\nroot\nfriend@remote.example\n");
        h.aliases.put("members", ":include:" + list);
        FakeRequest r = h.deliver(MSG, "members@host.example");
        assertEquals("sent", r.only().kind(), r.reports.toString());
        List<FakeCleanup.Session> s = h.cleanup.committed();
        assertEquals(1, s.size());
        assertEquals(List.of("root@host.example", "friend@remote.example"), s.get(0).recipients);
        assertFalse(Files.exists(h.mbox("root")));
    }

    @Test
    void commandEnvironmentIsPostfixsImportedOne() throws Exception {
        nobody();
        Path out = shared.resolve("env.txt");
        h.aliases.put("pipe", "\"|env > " + out + "\"");
        assertEquals("sent", h.deliver(MSG, "pipe@host.example").only().kind());
        List<String> env = Files.readAllLines(out);
        // import_environment's LANG=C, not the launcher's locale; MAIL_CONFIG is the config directory
        assertTrue(env.contains("LANG=C"), env.toString());
        assertTrue(env.contains("MAIL_CONFIG=" + dir), env.toString());
    }

    @Test
    void failedCommandBouncesWithAnXUnixDiagnostic() {
        nobody();
        h.aliases.put("fail", "|/bin/false");
        FakeRequest r = h.deliver(MSG, "fail@host.example");
        assertEquals("fail@host.example bounced 5.3.0 (Command died with status 1: \"/bin/false\")", r.only().toString());
        // Postfix 3.7's bounce: "Diagnostic-Code: x-unix; unknown mail system error 1"
        assertEquals(List.of("x-unix; unknown mail system error 1"), r.diagnostics);
    }

    @Test
    void commandEnvironmentNamesTheClient() throws Exception {
        nobody();
        Path out = shared.resolve("env.txt");
        h.aliases.put("pipe", "\"|env > " + out + "\"");
        FakeRequest r = h.request(MSG, "pipe@host.example");
        r.attributes.putAll(Map.of("client_name", "localhost", "client_address", "127.0.0.1",
                "helo_name", "client.example", "protocol", "ESMTP", "sasl_username", ""));
        LocalDeliveryAgent a = h.agent();
        a.deliver(r);
        a.afterCommit(r);
        assertEquals("sent", r.only().kind());
        List<String> env = Files.readAllLines(out);
        // Postfix's command.c exports the non-empty client attributes of the queue file
        assertTrue(env.containsAll(List.of("CLIENT_HOSTNAME=localhost", "CLIENT_ADDRESS=127.0.0.1",
                "CLIENT_HELO=client.example", "CLIENT_PROTOCOL=ESMTP")), env.toString());
        assertFalse(env.stream().anyMatch(e -> e.startsWith("SASL_")), env.toString());
    }

    @Test
    void worldWritableIncludeFileIsRefused() throws Exception {
        Path list = dir.resolve("list.txt");
        Files.writeString(list, "root\n");
        Files.setPosixFilePermissions(list, PosixFilePermissions.fromString("rw-rw-rw-"));
        h.aliases.put("members", ":include:" + list);
        FakeRequest r = h.deliver(MSG, "members@host.example");
        assertEquals("members@host.example bounced 5.3.5 (mail system configuration error)", r.only().toString());
    }

    @Test
    void commandInAliasRunsAsDefaultPrivsWithEnvironment() throws Exception {
        UnixUser nobody = nobody();
        Path out = shared.resolve("out");
        Path env = shared.resolve("env");
        String cmd = "cat > " + out + "; echo \"$SENDER|$RECIPIENT|$LOCAL|$USER|$DOMAIN|$EXTENSION\" > " + env;
        h.conf.put("recipient_delimiter", "+");
        h.aliases.put("pipe", "\"|" + cmd + "\"");
        FakeRequest r = h.deliver(MSG, "pipe+x@host.example");
        assertEquals("pipe+x@host.example sent 2.0.0 (delivered to command: " + cmd + ")", r.only().toString());
        String piped = h.read(out);
        assertTrue(piped.startsWith("From sender@remote.example  "), piped);
        assertTrue(piped.contains("\nReturn-Path: <sender@remote.example>\n"), piped);
        assertTrue(piped.contains("\nDelivered-To: pipe+x@host.example\n"), piped);
        assertTrue(piped.endsWith("Subject: hello\n\nbody\n"), piped);
        assertEquals("sender@remote.example|pipe+x@host.example|pipe+x|pipe|host.example|x\n", h.read(env));
        assertEquals(nobody.uid(), NativeFile.lstat(out.toString()).uid(), "ran as default_privs");
    }

    @Test
    void commandExitCodesFollowSysexits() {
        h.aliases.put("tempfail", "\"|exit 75\"");
        h.aliases.put("nouser", "\"|exit 67\"");
        h.aliases.put("other", "\"|echo oops; exit 3\"");
        h.aliases.put("dsn", "\"|echo 5.2.2 mailbox full; exit 1\"");
        FakeRequest r = h.deliver(MSG, "tempfail@host.example", "nouser@host.example", "other@host.example",
                "dsn@host.example");
        assertEquals("tempfail@host.example deferred 4.3.0 (temporary failure)", r.of("tempfail@host.example").toString());
        assertEquals("nouser@host.example bounced 5.1.1 (user unknown)", r.of("nouser@host.example").toString());
        assertEquals("other@host.example bounced 5.3.0 (Command died with status 3: \"echo oops; exit 3\". "
                + "Command output: oops )", r.of("other@host.example").toString());
        assertEquals("dsn@host.example bounced 5.2.2 (mailbox full)", r.of("dsn@host.example").toString());
    }

    @Test
    void commandTimeLimitKillsTheCommand() {
        h.conf.put("command_time_limit", "1s");
        h.aliases.put("slow", "\"|sleep 30\"");
        long t0 = System.nanoTime();
        FakeRequest r = h.deliver(MSG, "slow@host.example");
        assertEquals("slow@host.example bounced 5.3.0 (Command time limit exceeded: \"sleep 30\")", r.only().toString());
        assertTrue(System.nanoTime() - t0 < 10_000_000_000L);
    }

    @Test
    void fileInAliasIsAppendedAsMbox() throws Exception {
        UnixUser nobody = nobody();
        Path archive = shared.resolve("archive");
        h.aliases.put("arch", archive.toString());
        FakeRequest r = h.deliver(MSG, "arch@host.example");
        assertEquals("arch@host.example sent 2.0.0 (delivered to file: " + archive + ")", r.only().toString());
        List<String> msgs = LocalHarness.pythonMessages(archive, "Delivered-To");
        assertEquals(1, msgs.size());
        assertTrue(msgs.get(0).contains("|arch@host.example|"), msgs.get(0));
        assertEquals(nobody.uid(), NativeFile.lstat(archive.toString()).uid());
        assertEquals(0600, NativeFile.lstat(archive.toString()).permissions());
    }

    @Test
    void deliveryToCommandsAndFilesCanBeForbidden() {
        h.conf.put("allow_mail_to_commands", "forward");
        h.conf.put("allow_mail_to_files", "forward");
        h.aliases.put("pipe", "\"|cat\"");
        h.aliases.put("arch", shared.resolve("x").toString());
        FakeRequest r = h.deliver(MSG, "pipe@host.example", "arch@host.example");
        assertEquals("pipe@host.example bounced 5.7.1 (mail to command is restricted)", r.of("pipe@host.example").toString());
        assertEquals("arch@host.example bounced 5.7.1 (mail to file is restricted)", r.of("arch@host.example").toString());
    }

    @Test
    void executableFileIsNotWrittenTo() throws Exception {
        nobody();
        Path script = shared.resolve("script");
        Files.writeString(script, "#!/bin/sh\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxrwxrwx"));
        h.aliases.put("arch", script.toString());
        FakeRequest r = h.deliver(MSG, "arch@host.example");
        assertEquals("arch@host.example bounced 5.7.1 (cannot append message to file " + script + ": file is executable)",
                r.only().toString());
        assertEquals("#!/bin/sh\n", h.read(script));
    }

    @Test
    void mailboxCommandReplacesMailboxDeliveryAndRunsAsTheUser() throws Exception {
        UnixUser nobody = nobody();
        h.conf.put("mailbox_command", "cat > " + shared + "/$user.mc");
        FakeRequest r = h.deliver(MSG, "nobody@host.example");
        assertEquals("nobody@host.example sent 2.0.0 (delivered to command: cat > " + shared + "/nobody.mc)",
                r.only().toString());
        assertEquals(nobody.uid(), NativeFile.lstat(shared.resolve("nobody.mc").toString()).uid());
        assertFalse(Files.exists(h.mbox("nobody")));
    }

    @Test
    void emptyAliasValueDefers() {
        h.aliases.put("empty", " ");
        FakeRequest r = h.deliver(MSG, "empty@host.example");
        assertEquals("empty@host.example deferred 4.3.0 (alias database unavailable)", r.only().toString());
    }

    @Test
    void unreadableAliasTableDefers() {
        LocalDeliveryAgent a = new LocalDeliveryAgent(org.jmail.config.MainConfig.of(dir, h.conf), h.cleanup, null,
                value -> {
                    throw new java.io.IOException("unsupported dictionary type: " + value);
                });
        FakeRequest r = h.request(MSG, "root@host.example");
        a.deliver(r);
        assertEquals("root@host.example deferred 4.3.0 (alias database unavailable)", r.only().toString());
    }

    @Test
    void dotForwardIsReadAsTheUserAndSelfReferenceKeepsACopy() throws Exception {
        UnixUser nobody = nobody();
        Path fwdDir = Files.createDirectory(dir.resolve("fwd"));
        Files.setPosixFilePermissions(fwdDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path forward = fwdDir.resolve("nobody.forward");
        Files.writeString(forward, "\\nobody, friend@remote.example\n");
        Files.setAttribute(forward, "unix:uid", nobody.uid());
        h.conf.put("forward_path", fwdDir + "/$user.forward");
        FakeRequest r = h.deliver(MSG, "nobody@host.example");
        assertEquals("sent", r.only().kind(), r.reports.toString());
        assertEquals(1, LocalHarness.pythonMessages(h.mbox("nobody")).size());
        List<FakeCleanup.Session> s = h.cleanup.committed();
        assertEquals(1, s.size());
        assertEquals(List.of("friend@remote.example"), s.get(0).recipients);
        assertTrue(s.get(0).lines.contains("Delivered-To: nobody@host.example"), s.get(0).lines.toString());
    }

    @Test
    void dotForwardToAnotherLocalUserIsResubmitted() throws Exception {
        UnixUser nobody = nobody();
        Path forward = dir.resolve("nobody.forward");
        Files.writeString(forward, "root\n");
        Files.setAttribute(forward, "unix:uid", nobody.uid());
        h.conf.put("forward_path", dir + "/$user.forward");
        FakeRequest r = h.deliver(MSG, "nobody@host.example");
        assertEquals("nobody@host.example sent 2.0.0 (forwarded as FWD1)", r.only().toString());
        assertEquals(List.of("root@host.example"), h.cleanup.committed().get(0).recipients);
        assertFalse(Files.exists(h.mbox("nobody")));
    }

    @Test
    void worldWritableDotForwardIsIgnored() throws Exception {
        UnixUser nobody = nobody();
        Path forward = dir.resolve("nobody.forward");
        Files.writeString(forward, "friend@remote.example\n");
        Files.setAttribute(forward, "unix:uid", nobody.uid());
        Files.setPosixFilePermissions(forward, PosixFilePermissions.fromString("rw-rw-rw-"));
        h.conf.put("forward_path", dir + "/$user.forward");
        FakeRequest r = h.deliver(MSG, "nobody@host.example");
        assertEquals("delivered to mailbox", r.only().text());
        assertTrue(h.cleanup.sessions.isEmpty());
    }

    @Test
    void dotForwardOwnedBySomeoneElseIsIgnored() throws Exception {
        UnixUser nobody = nobody();
        UnixUser daemon = Posix.getpwnam("daemon");
        assumeTrue(daemon != null);
        Path forward = dir.resolve("nobody.forward");
        Files.writeString(forward, "friend@remote.example\n");
        Files.setAttribute(forward, "unix:uid", daemon.uid());
        h.conf.put("forward_path", dir + "/$user.forward");
        assertEquals("delivered to mailbox", h.deliver(MSG, "nobody@host.example").only().text());
        assertTrue(h.cleanup.sessions.isEmpty());
        assertTrue(nobody.uid() != daemon.uid());
    }

    @Test
    void extensionSpecificDotForwardIsPreferred() throws Exception {
        UnixUser nobody = nobody();
        h.conf.put("recipient_delimiter", "+");
        h.conf.put("forward_path", dir + "/$user.forward${recipient_delimiter}${extension}, " + dir + "/$user.forward");
        Path plain = dir.resolve("nobody.forward");
        Path ext = dir.resolve("nobody.forward+lists");
        Files.writeString(plain, "plain@remote.example\n");
        Files.writeString(ext, "lists@remote.example\n");
        Files.setAttribute(plain, "unix:uid", nobody.uid());
        Files.setAttribute(ext, "unix:uid", nobody.uid());
        h.deliver(MSG, "nobody+lists@host.example", "nobody+other@host.example", "nobody@host.example");
        List<FakeCleanup.Session> s = h.cleanup.committed();
        assertEquals(3, s.size());
        assertEquals(List.of("lists@remote.example"), s.get(0).recipients);
        assertEquals(List.of("plain@remote.example"), s.get(1).recipients);
        assertEquals(List.of("plain@remote.example"), s.get(2).recipients);
    }

    @Test
    void loopThroughAliasesAndForwardedCopiesIsCaughtByDeliveredTo() {
        // a message that already went through ext@host.example once comes back
        h.aliases.put("ext", "someone@remote.example");
        FakeRequest r = h.deliver("Delivered-To: ext@host.example\nSubject: again\n\nx\n", "ext@host.example");
        assertEquals("ext@host.example bounced 5.4.6 (mail forwarding loop for ext@host.example)", r.only().toString());
        assertTrue(h.cleanup.sessions.isEmpty());
    }
}
