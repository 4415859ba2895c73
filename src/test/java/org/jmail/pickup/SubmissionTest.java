package org.jmail.pickup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jmail.cleanup.CleanupService;
import org.jmail.cleanup.CleanupSession;
import org.jmail.cleanup.MessageOrigin;
import org.junit.jupiter.api.Test;

class SubmissionTest {

    /** Records what pickup hands to cleanup. */
    static final class Recorder implements CleanupService {
        String sender;
        MessageOrigin origin;
        final List<String> recipients = new ArrayList<>();
        final List<String> lines = new ArrayList<>();
        boolean committed;
        boolean aborted;

        @Override
        public CleanupSession open(MessageOrigin o, String s) {
            origin = o;
            sender = s;
            return new CleanupSession() {
                @Override
                public String queueId() {
                    return "0123456789AB";
                }

                @Override
                public void addRecipient(String address, String original) {
                    assertTrue(lines.isEmpty(), "recipients come before content");
                    recipients.add(address);
                }

                @Override
                public void writeLine(byte[] line, int offset, int length) {
                    lines.add(new String(line, offset, length, StandardCharsets.UTF_8));
                }

                @Override
                public void commit() {
                    committed = true;
                }

                @Override
                public void abort() {
                    aborted = true;
                }

                @Override
                public void prependHeader(String headerLine) {
                    lines.add(headerLine);
                }

                @Override
                public long size() {
                    return 0;
                }
            };
        }
    }

    private final Recorder cleanup = new Recorder();
    private final Submission submission = new Submission(cleanup, "mail.example.tst", "example.tst", "jmail");

    private void submit(String file) throws Exception {
        InputStream in = new ByteArrayInputStream(file.getBytes(StandardCharsets.UTF_8));
        MaildropFile env = MaildropFile.readEnvelope(in);
        submission.submit(env, in, "alex", 1000, "Alex Example,,,");
    }

    @Test
    void dashTAddsHeaderRecipientsToCommandLineOnesIncludingBcc() throws Exception {
        submit("JMD1\nflags=t\nrcpt=extra@x.tst\n\nTo: A <a@x.tst>, b@x.tst\nCc: c@x.tst\nBcc: hidden@x.tst\n"
                + "Subject: s\n\nbody\n");
        assertEquals(List.of("extra@x.tst", "a@x.tst", "b@x.tst", "c@x.tst", "hidden@x.tst"), cleanup.recipients);
        assertTrue(cleanup.committed);
    }

    @Test
    void withoutDashTHeadersAreNotRecipients() throws Exception {
        submit("JMD1\nrcpt=only@x.tst\n\nTo: a@x.tst\n\nbody\n");
        assertEquals(List.of("only@x.tst"), cleanup.recipients);
    }

    @Test
    void resentHeadersTakeOverRecipientExtraction() throws Exception {
        submit("JMD1\nflags=t\n\nTo: old@x.tst\nResent-From: r@x.tst\nResent-To: new@x.tst\n\nbody\n");
        assertEquals(List.of("new@x.tst"), cleanup.recipients);
    }

    @Test
    void onlyResentRecipientHeadersSwitchExtraction() throws Exception {
        // as Postfix 3.7 here: Resent-From alone leaves To: in charge...
        submit("JMD1\nflags=t\n\nTo: old@x.tst\nResent-From: r@x.tst\n\nbody\n");
        assertEquals(List.of("old@x.tst"), cleanup.recipients);
    }

    @Test
    void anEmptyResentToStillSwitchesExtraction() throws Exception {
        // ...while an empty Resent-To: group leaves no recipient at all (sendmail: fatal)
        assertThrows(Submission.NoRecipients.class,
                () -> submit("JMD1\nflags=t\n\nTo: old@x.tst\nResent-To: grp: ;\n\nbody\n"));
    }

    @Test
    void loginNameIsSenderAndFromHeaderGetsGecosName() throws Exception {
        submit("JMD1\nrcpt=b@x.tst\n\nSubject: s\n\nbody\n");
        assertEquals("alex", cleanup.sender);
        assertEquals("alex", cleanup.origin.localSubmitter());
        assertEquals("local", cleanup.origin.protocol());
        assertTrue(cleanup.lines.get(0).startsWith("Received: by mail.example.tst (jmail, from userid 1000)\n\tid 0123456789AB; "),
                cleanup.lines.get(0));
        assertEquals(List.of("Subject: s", "From: Alex Example <alex@example.tst>", "", "body"),
                cleanup.lines.subList(1, cleanup.lines.size()));
    }

    @Test
    void dashFAndDashFNameShapeSenderAndFrom() throws Exception {
        submit("JMD1\nsender=Cron <cron@x.tst>\nfullname=Cron Daemon (x)\nrcpt=b@x.tst\n\nSubject: s\n\nbody\n");
        assertEquals("cron@x.tst", cleanup.sender);
        assertTrue(cleanup.lines.contains("From: \"Cron Daemon (x)\" <cron@x.tst>"), cleanup.lines.toString());
    }

    @Test
    void existingFromIsKeptAndNullSenderAddsNone() throws Exception {
        submit("JMD1\nsender=<>\nrcpt=b@x.tst\n\nFrom: me@x.tst\n\nbody\n");
        assertEquals("", cleanup.sender);
        assertEquals(1, cleanup.lines.stream().filter(l -> l.startsWith("From:")).count());
    }

    @Test
    void leadingFromLinesAndCarriageReturnsAreRemoved() throws Exception {
        submit("JMD1\nrcpt=b@x.tst\n\nFrom alex Sat Nov 28 10:00:00 2026\r\nSubject: s\r\nFrom: a@x.tst\r\n\r\nline\r\n");
        assertEquals(List.of("Subject: s", "From: a@x.tst", "", "line"), cleanup.lines.subList(1, cleanup.lines.size()));
    }

    @Test
    void bodyWithoutSeparatorStillGetsFromInTheHeader() throws Exception {
        submit("JMD1\nrcpt=b@x.tst\n\nSubject: s\nnot a header line\n");
        assertEquals(List.of("Subject: s", "From: Alex Example <alex@example.tst>", "not a header line"),
                cleanup.lines.subList(1, cleanup.lines.size()));
    }

    @Test
    void noRecipientsAnywhereIsRefusedBeforeCleanupOpens() {
        assertThrows(Submission.NoRecipients.class, () -> submit("JMD1\nflags=t\n\nSubject: s\n\nbody\n"));
        assertFalse(cleanup.committed);
        assertEquals(null, cleanup.origin);
    }

    @Test
    void gecosAmpersandBecomesCapitalizedLogin() {
        assertEquals("Alex Smith", Submission.gecosName("& Smith,room", "alex"));
        assertEquals("\"a\\\"b\"", Submission.phrase("a\"b"));
    }
}
