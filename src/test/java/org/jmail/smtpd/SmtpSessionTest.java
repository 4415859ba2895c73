package org.jmail.smtpd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SmtpSessionTest {

    private LogCapture log;

    @BeforeEach
    void captureLog() {
        log = LogCapture.install();
    }

    @AfterEach
    void restoreLog() {
        log.uninstall();
    }

    private static String ehloReply() {
        return "250-mail.example.tst\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-VRFY\r\n250-ETRN\r\n"
                + "250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n250-DSN\r\n250-SMTPUTF8\r\n250 CHUNKING\r\n";
    }

    @Test
    void greetingIsTheSmtpdBanner() throws Exception {
        Harness h = Harness.with().outside();
        assertEquals("220 mail.example.tst ESMTP jmail\r\n", h.replies());
        assertTrue(log.has("connect from client.example.net[192.0.2.10]"), log.toString());
    }

    @Test
    void ehloListsExtensionsInPostfixOrder() throws Exception {
        Harness h = Harness.with().outside();
        h.replies();
        assertEquals(ehloReply(), h.send("EHLO client.example.net"));
    }

    @Test
    void heloGetsOneLineAndEhloWithoutNameIsASyntaxError() throws Exception {
        Harness h = Harness.with().outside();
        h.replies();
        assertEquals("501 Syntax: EHLO hostname\r\n", h.send("EHLO"));
        assertEquals("501 Syntax: HELO hostname\r\n", h.send("helo  "));
        assertEquals("250 mail.example.tst\r\n", h.send("HELO client"));
    }

    @Test
    void discardedEhloKeywordsAreNotAnnouncedAndEnhancedCodesDisappear() throws Exception {
        Harness h = Harness.with("smtpd_discard_ehlo_keywords", "chunking, etrn, enhancedstatuscodes, silent-discard",
                "message_size_limit", "0", "disable_vrfy_command", "yes").outside();
        h.replies();
        assertEquals("250-mail.example.tst\r\n250-PIPELINING\r\n250-SIZE\r\n250-8BITMIME\r\n250-DSN\r\n250 SMTPUTF8\r\n",
                h.send("EHLO x"));
        assertEquals("250 Ok\r\n", h.send("NOOP"));
    }

    @Test
    void badCommandSequencesGet503() throws Exception {
        Harness h = Harness.with().loopback();
        h.replies();
        assertEquals("503 5.5.1 Error: need MAIL command\r\n", h.send("RCPT TO:<alice@example.tst>"));
        assertEquals("503 5.5.1 Error: need RCPT command\r\n", h.send("DATA"));
        assertEquals("250 2.1.0 Ok\r\n", h.send("MAIL FROM:<s@example.net>"));
        assertEquals("503 5.5.1 Error: nested MAIL command\r\n", h.send("MAIL FROM:<s@example.net>"));
        assertEquals("554 5.5.1 Error: no valid recipients\r\n", h.send("DATA"));
    }

    @Test
    void heloRequiredRefusesMailBeforeHelo() throws Exception {
        Harness h = Harness.with("smtpd_helo_required", "yes").loopback();
        h.replies();
        assertEquals("503 5.5.1 Error: send HELO/EHLO first\r\n", h.send("MAIL FROM:<a@b.tst>"));
        h.send("HELO x");
        assertEquals("250 2.1.0 Ok\r\n", h.send("MAIL FROM:<a@b.tst>"));
    }

    @Test
    void relayFromOutsideIsDeferredByDefaultAndRejectedWithRejectUnauthDestination() throws Exception {
        Harness h = Harness.with().outside();
        h.replies();
        h.send("EHLO client.example.net");
        h.send("MAIL FROM:<s@example.net>");
        assertEquals("454 4.7.1 <someone@example.invalid>: Relay access denied\r\n",
                h.send("RCPT TO:<someone@example.invalid>"));

        Harness strict = Harness.with("smtpd_relay_restrictions", "permit_mynetworks, reject_unauth_destination")
                .outside();
        strict.replies();
        strict.send("EHLO client.example.net");
        strict.send("MAIL FROM:<s@example.net>");
        assertEquals("554 5.7.1 <someone@example.invalid>: Relay access denied\r\n",
                strict.send("RCPT TO:<someone@example.invalid>"));
        assertTrue(log.has("NOQUEUE: reject: RCPT from client.example.net[192.0.2.10]: 554 5.7.1"
                + " <someone@example.invalid>: Relay access denied; from=<s@example.net> to=<someone@example.invalid>"
                + " proto=ESMTP helo=<client.example.net>"), log.toString());
    }

    @Test
    void relayFromMynetworksIsAccepted() throws Exception {
        Harness h = Harness.with().loopback();
        h.replies();
        h.send("EHLO localhost");
        h.send("MAIL FROM:<app@example.tst>");
        assertEquals("250 2.1.5 Ok\r\n", h.send("RCPT TO:<someone@example.invalid>"));
    }

    @Test
    void receiveOverrideOptionsSkipUnknownRecipientChecksAndReachCleanup() throws Exception {
        Harness h = Harness.with("receive_override_options", "no_unknown_recipient_checks, no_header_body_checks")
                .loopback();
        h.replies();
        h.send("EHLO localhost");
        h.send("MAIL FROM:<s@example.net>");
        assertEquals("250 2.1.5 Ok\r\n", h.send("RCPT TO:<nosuchuser9@example.tst>"));
        assertEquals(java.util.Set.of("no_unknown_recipient_checks", "no_header_body_checks"),
                h.cleanup.messages.get(0).overrides);
    }

    @Test
    void rcptToUnknownLocalUserIsRejectedWith550EvenFromMynetworks() throws Exception {
        Harness h = Harness.with().loopback();
        h.replies();
        h.send("EHLO localhost");
        h.send("MAIL FROM:<s@example.net>");
        assertEquals("550 5.1.1 <nosuchuser9@example.tst>: Recipient address rejected: User unknown in local"
                + " recipient table\r\n", h.send("RCPT TO:<nosuchuser9@example.tst>"));
        assertEquals("250 2.1.5 Ok\r\n", h.send("RCPT TO:<Alice@Example.TST>"));
        assertEquals(0, h.cleanup.messages.get(0).aborted);
    }

    @Test
    void unlistedRecipientCheckCanBeTurnedOff() throws Exception {
        Harness h = Harness.with("smtpd_reject_unlisted_recipient", "no").outside();
        h.replies();
        h.send("MAIL FROM:<s@example.net>");
        assertEquals("250 2.1.5 Ok\r\n", h.send("RCPT TO:<nosuchuser9@example.tst>"));
    }

    @Test
    void barePostmasterIsAlwaysAccepted() throws Exception {
        Harness h = Harness.with("smtpd_relay_restrictions", "reject").outside();
        h.replies();
        h.send("MAIL FROM:<>");
        assertEquals("250 2.1.5 Ok\r\n", h.send("RCPT TO:<Postmaster>"));
        assertEquals("554 5.7.1 <x@example.tst>: Recipient address rejected: Access denied\r\n",
                h.send("RCPT TO:<x@example.tst>"));
    }

    @Test
    void malformedDsnParametersGetPostfixsReplies() throws Exception {
        Harness h = Harness.with().outside();
        h.replies();
        h.send("EHLO client.example.net");
        assertEquals("501 5.5.4 Bad RET parameter syntax\r\n", h.send("MAIL FROM:<s@example.net> RET=BODY"));
        h.send("MAIL FROM:<s@example.net>");
        assertEquals("501 5.5.4 Error: Bad NOTIFY parameter syntax\r\n",
                h.send("RCPT TO:<alice@example.tst> NOTIFY=NEVER,SUCCESS"));
        // a CR LF hidden in xtext would end up in the DSN report's header lines
        assertEquals("501 5.5.4 Error: Bad ORCPT parameter syntax\r\n",
                h.send("RCPT TO:<alice@example.tst> ORCPT=rfc822;a+0D+0ABcc:+20x@example.tst"));
        assertEquals("501 5.5.4 Error: Bad ORCPT parameter syntax\r\n",
                h.send("RCPT TO:<alice@example.tst> ORCPT=rfc822;a+2"));
        assertEquals("250 2.1.5 Ok\r\n", h.send("RCPT TO:<alice@example.tst> NOTIFY=success ORCPT=rfc822;a@b"));
    }

    @Test
    void firstAcceptedRecipientOpensTheQueueFile() throws Exception {
        Harness h = Harness.with().outside();
        h.replies();
        h.send("EHLO client.example.net");
        h.send("MAIL FROM:<s@example.net> RET=HDRS ENVID=QQ+2B314");
        assertEquals(0, h.cleanup.messages.size());
        h.send("RCPT TO:<nobody-here@example.tst>");
        assertEquals(0, h.cleanup.messages.size(), "a rejected recipient opens nothing");
        h.send("RCPT TO:<alice@example.tst>");
        h.send("RCPT TO:<bob@example.tst> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;bob+2B1@example.tst");
        assertEquals(1, h.cleanup.messages.size());
        FakeCleanup.Message m = h.cleanup.messages.get(0);
        assertEquals("s@example.net", m.sender);
        assertEquals(List.of("alice@example.tst", "bob@example.tst"), m.recipients);
        // ORCPT is kept apart from the original recipient (orig_to is what RCPT TO said), as Postfix
        assertEquals(null, m.originals.get(1));
        assertEquals("rfc822;bob+1@example.tst", m.orcpts.get(1));
        assertEquals(List.of(0, org.jmail.queue.QueuedRecipient.NOTIFY_SUCCESS | org.jmail.queue.QueuedRecipient.NOTIFY_FAILURE),
                m.notifies);
        assertEquals("HDRS", m.dsnRet);
        assertEquals("QQ+314", m.dsnEnvid);
        assertEquals("client.example.net", m.origin.clientName());
        assertEquals("192.0.2.10", m.origin.clientAddr());
        assertEquals("client.example.net", m.origin.helo());
        assertEquals("ESMTP", m.origin.protocol());
    }

    @Test
    void declaredSizeOverTheLimitIs552() throws Exception {
        Harness h = Harness.with("message_size_limit", "1000").loopback();
        h.replies();
        h.send("EHLO x");
        assertEquals("552 5.3.4 Message size exceeds fixed limit\r\n", h.send("MAIL FROM:<a@b.tst> SIZE=1001"));
        assertEquals("250 2.1.0 Ok\r\n", h.send("MAIL FROM:<a@b.tst> SIZE=1000 BODY=8BITMIME"));
        assertTrue(log.hasContaining("NOQUEUE: reject: MAIL from localhost[127.0.0.1]: 552 5.3.4 Message size"
                + " exceeds fixed limit; proto=ESMTP helo=<x>"), log.toString());
    }

    @Test
    void mailParameterErrors() throws Exception {
        Harness h = Harness.with().loopback();
        h.replies();
        h.send("EHLO x");
        assertEquals("501 5.5.4 Bad message size syntax\r\n", h.send("MAIL FROM:<a@b.tst> SIZE=12x"));
        assertEquals("555 5.5.4 Unsupported option: FOO=BAR\r\n", h.send("MAIL FROM:<a@b.tst> FOO=BAR"));
        assertEquals("501 5.5.4 Bad RET parameter syntax\r\n", h.send("MAIL FROM:<a@b.tst> RET=SOME"));
        assertEquals("250 2.1.0 Ok\r\n", h.send("MAIL FROM:<a@b.tst> RET=HDRS ENVID=QQ+2B1 SMTPUTF8"));
    }

    @Test
    void addressSyntax() throws Exception {
        Harness h = Harness.with().loopback();
        h.replies();
        h.send("EHLO x");
        assertEquals("501 5.5.4 Syntax: MAIL FROM:<address>\r\n", h.send("MAIL FROM:"));
        assertEquals("501 5.5.4 Syntax: MAIL FROM:<address>\r\n", h.send("MAIL TO:<a@b.tst>"));
        assertEquals("501 5.1.7 Bad sender address syntax\r\n", h.send("MAIL FROM:<a@b.tst"));
        assertEquals("501 5.1.7 Bad sender address syntax\r\n", h.send("MAIL FROM:<a,b@c.tst>"));
        assertEquals("501 5.1.7 Bad sender address syntax\r\n", h.send("MAIL FROM:<a@>"));
        assertEquals("501 5.1.7 Bad sender address syntax\r\n", h.send("MAIL FROM:<a@-x.tst>"));
        assertEquals("250 2.1.0 Ok\r\n", h.send("mail from: <>"));
        assertEquals("501 5.1.3 Bad recipient address syntax\r\n", h.send("RCPT TO:<>"));
        assertEquals("501 5.5.4 Syntax: RCPT TO:<address>\r\n", h.send("RCPT <alice@example.tst>"));
        assertEquals("250 2.1.5 Ok\r\n", h.send("RCPT TO:<@relay1.tst,@relay2.tst:alice@example.tst>"));
        assertEquals("250 2.1.5 Ok\r\n", h.send("RCPT TO:bob@example.tst"));
        assertEquals(List.of("alice@example.tst", "bob@example.tst"), h.cleanup.messages.get(0).recipients);
        assertTrue(log.hasContaining("Illegal address syntax from localhost[127.0.0.1] in MAIL command: <a@b.tst"));
    }

    @Test
    void strictEnvelopesRequireBrackets() throws Exception {
        Harness h = Harness.with("strict_rfc821_envelopes", "yes").loopback();
        h.replies();
        assertEquals("501 5.1.7 Bad sender address syntax\r\n", h.send("MAIL FROM:a@b.tst"));
        assertEquals("250 2.1.0 Ok\r\n", h.send("MAIL FROM:<a@b.tst>"));
    }

    @Test
    void quotedLocalPartIsInternalizedAndQuotedAgainInReceived() throws Exception {
        Harness h = Harness.with("local_recipient_maps", "").loopback();
        h.replies();
        h.send("EHLO x");
        h.send("MAIL FROM:<\"john doe\"@example.net>");
        assertEquals("250 2.1.5 Ok\r\n", h.send("RCPT TO:<\"odd user\"@example.tst>"));
        FakeCleanup.Message m = h.cleanup.messages.get(0);
        assertEquals("john doe@example.net", m.sender);
        assertEquals("odd user@example.tst", m.recipients.get(0));
        h.send("DATA");
        assertTrue(m.headers.get(0).contains("\tfor <\"odd user\"@example.tst>; "), m.headers.get(0));
    }

    @Test
    void dataIsUnstuffedAndQueuedWithAPostfixReceivedHeader() throws Exception {
        Harness h = Harness.with().outside();
        h.replies();
        h.send("EHLO client.example.net");
        h.send("MAIL FROM:<s@example.net>");
        h.send("RCPT TO:<alice@example.tst>");
        assertEquals("354 End data with <CR><LF>.<CR><LF>\r\n", h.send("DATA"));
        assertEquals("", h.pipeline("Subject: hi", "", "..leading dot", "..", "x."));
        assertEquals("250 2.0.0 Ok: queued as 4F2A1C9D\r\n", h.send("."));
        FakeCleanup.Message m = h.cleanup.committed();
        assertEquals(List.of("Subject: hi", "", ".leading dot", ".", "x."), m.lines);
        assertEquals(List.of("Received: from client.example.net (client.example.net [192.0.2.10])\n"
                + "\tby mail.example.tst (jmail) with ESMTP id 4F2A1C9D\n"
                + "\tfor <alice@example.tst>; Sat, 28 Nov 2026 04:41:24 +0000 (UTC)"), m.headers);
        assertEquals(0, m.aborted);
    }

    @Test
    void endOfDataRestrictionsRejectAfterTheDotAndNothingIsQueued() throws Exception {
        Harness h = Harness.with("smtpd_end_of_data_restrictions", "permit_mynetworks, reject").outside();
        h.replies();
        h.send("EHLO client.example.net");
        h.send("MAIL FROM:<s@example.net>");
        h.send("RCPT TO:<alice@example.tst>");
        assertEquals("354 End data with <CR><LF>.<CR><LF>\r\n", h.send("DATA"));
        h.pipeline("Subject: hi", "", "body");
        assertEquals("554 5.7.1 <END-OF-MESSAGE>: End-of-data rejected: Access denied\r\n", h.send("."));
        assertEquals(1, h.cleanup.messages.get(0).aborted);
        assertEquals(false, h.cleanup.messages.get(0).committed);
        // the transaction is over; a new one from mynetworks passes
        Harness ok = Harness.with("smtpd_end_of_data_restrictions", "permit_mynetworks, reject").loopback();
        ok.replies();
        ok.send("EHLO localhost");
        ok.send("MAIL FROM:<s@example.net>");
        ok.send("RCPT TO:<alice@example.tst>");
        ok.send("DATA");
        ok.pipeline("Subject: hi", "", "body");
        assertTrue(ok.send(".").startsWith("250 2.0.0 Ok: queued as "));
    }

    @Test
    void receivedHeaderWithSeveralRecipientsAndIpv6ClientAndHelo() throws Exception {
        Harness h = Harness.with().connect("localhost", "::1");
        h.replies();
        h.send("HELO [::1]");
        h.send("MAIL FROM:<s@example.net>");
        h.send("RCPT TO:<alice@example.tst>");
        h.send("RCPT TO:<bob@example.tst>");
        h.send("DATA");
        assertEquals("Received: from [::1] (localhost [IPv6:::1])\n"
                + "\tby mail.example.tst (jmail) with SMTP id 4F2A1C9D;\n"
                + "\tSat, 28 Nov 2026 04:41:24 +0000 (UTC)", h.cleanup.messages.get(0).headers.get(0));
        assertTrue(log.has("connect from localhost[::1]"), log.toString());
    }

    @Test
    void contentStartingWithWhitespaceCannotContinueOurReceivedHeader() throws Exception {
        Harness h = Harness.with().loopback();
        h.replies();
        h.pipeline("MAIL FROM:<a@b.tst>", "RCPT TO:<alice@example.tst>", "DATA",
                "From someone@else Sat Nov 28 2026", " folded", "body", ".");
        assertEquals(List.of("X-Mailbox-Line: From someone@else Sat Nov 28 2026", "", " folded", "body"),
                h.cleanup.committed().lines);
    }

    @Test
    void messageTooBigIsRefusedAfterTheFinalDot() throws Exception {
        Harness h = Harness.with("message_size_limit", "100").loopback();
        h.replies();
        assertTrue(h.pipeline("MAIL FROM:<a@b.tst>", "RCPT TO:<alice@example.tst>", "DATA")
                .endsWith("354 End data with <CR><LF>.<CR><LF>\r\n"));
        String line = "x".repeat(40);
        assertEquals("", h.pipeline(line, line, line, line));
        assertTrue(h.session.inData(), "keeps reading to the dot");
        assertEquals("552 5.3.4 Error: message file too big\r\n", h.send("."));
        FakeCleanup.Message m = h.cleanup.messages.get(0);
        assertFalse(m.committed);
        assertTrue(m.aborted > 0);
        assertEquals(2, m.lines.size(), "nothing written past the limit");
        assertTrue(log.has("warning: 4F2A1C9D: queue file size limit exceeded"), log.toString());
        assertEquals("250 2.1.0 Ok\r\n", h.send("MAIL FROM:<a@b.tst>"), "a new transaction may start");
    }

    @Test
    void tooManyRecipientsAre452() throws Exception {
        Harness h = Harness.with("smtpd_recipient_limit", "2").loopback();
        h.replies();
        h.send("MAIL FROM:<a@b.tst>");
        h.send("RCPT TO:<alice@example.tst>");
        h.send("RCPT TO:<bob@example.tst>");
        assertEquals("452 4.5.3 Error: too many recipients\r\n", h.send("RCPT TO:<root@example.tst>"));
        assertEquals(2, h.cleanup.messages.get(0).recipients.size());
        assertEquals(0, h.session.errorCount, "overshoot is not an error yet");
    }

    @Test
    void pipelinedCommandsAreAnsweredInOrder() throws Exception {
        Harness h = Harness.with().loopback();
        h.replies();
        h.send("EHLO x");
        String r = h.pipeline("MAIL FROM:<a@b.tst>", "RCPT TO:<alice@example.tst>", "RCPT TO:<nouser@example.tst>",
                "RCPT TO:<bob@example.tst>", "DATA", "hello", ".", "QUIT");
        assertEquals("250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n"
                + "550 5.1.1 <nouser@example.tst>: Recipient address rejected: User unknown in local recipient table\r\n"
                + "250 2.1.5 Ok\r\n354 End data with <CR><LF>.<CR><LF>\r\n250 2.0.0 Ok: queued as 4F2A1C9D\r\n"
                + "221 2.0.0 Bye\r\n", r);
        assertTrue(h.session.hangup());
        h.session.close();
        assertTrue(log.has("disconnect from localhost[127.0.0.1] ehlo=1 mail=1 rcpt=2/3 data=1 quit=1 commands=6/7"),
                log.toString());
    }

    @Test
    void unknownAndEmptyCommands() throws Exception {
        Harness h = Harness.with().loopback();
        h.replies();
        assertEquals("500 5.5.2 Error: command not recognized\r\n", h.send("HELP"));
        assertEquals("500 5.5.2 Error: bad syntax\r\n", h.send(""));
        assertEquals("502 5.5.1 Error: command not implemented\r\n", h.send("STARTTLS"));
        assertEquals("503 5.5.1 Error: authentication not enabled\r\n", h.send("AUTH PLAIN"));
        assertEquals(4, h.session.errorCount);
        h.send("QUIT");
        h.session.close();
        assertTrue(log.has("disconnect from localhost[127.0.0.1] starttls=0/1 auth=0/1 quit=1 unknown=0/1"
                + " commands=1/4"), log.toString());
    }

    @Test
    void headerSentAsCommandEndsTheSession() throws Exception {
        Harness h = Harness.with().loopback();
        h.replies();
        assertEquals("221 2.7.0 Error: I can break rules, too. Goodbye.\r\n", h.send("Subject: spam"));
        assertTrue(h.session.hangup());
        assertTrue(log.has("warning: non-SMTP command from localhost[127.0.0.1]: Subject: spam"), log.toString());
    }

    @Test
    void hardErrorLimitEndsTheSessionWith421() throws Exception {
        Harness h = Harness.with("smtpd_hard_error_limit", "3", "smtpd_soft_error_limit", "2").loopback();
        h.replies();
        assertEquals("500 5.5.2 Error: command not recognized\r\n", h.send("X1"));
        assertEquals("500 5.5.2 Error: command not recognized\r\n", h.send("X2"));
        assertEquals(0, h.pauses.size());
        assertEquals("500 5.5.2 Error: command not recognized\r\n"
                + "421 4.7.0 mail.example.tst Error: too many errors\r\n", h.send("X3"));
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(1)), h.pauses, "sleep from the soft limit on");
        assertTrue(h.session.hangup());
        h.session.close();
        assertTrue(log.has("too many errors after UNKNOWN from localhost[127.0.0.1]"), log.toString());
    }

    @Test
    void successfulMessageForgivesEarlierErrors() throws Exception {
        Harness h = Harness.with().loopback();
        h.replies();
        h.pipeline("X1", "X2", "MAIL FROM:<a@b.tst>", "RCPT TO:<alice@example.tst>", "DATA", "x", ".");
        assertEquals(0, h.session.errorCount);
    }

    @Test
    void rsetAndQuitAbortTheQueueFile() throws Exception {
        Harness h = Harness.with().loopback();
        h.replies();
        h.pipeline("MAIL FROM:<a@b.tst>", "RCPT TO:<alice@example.tst>");
        assertEquals("250 2.0.0 Ok\r\n", h.send("RSET"));
        assertEquals(1, h.cleanup.messages.get(0).aborted);
        assertEquals("501 5.5.4 Syntax: RSET\r\n", h.send("RSET now"));
        h.pipeline("MAIL FROM:<a@b.tst>", "RCPT TO:<alice@example.tst>", "DATA", "partial");
        h.session.lostConnection();
        h.session.close();
        assertEquals(1, h.cleanup.messages.get(1).aborted);
        assertFalse(h.cleanup.messages.get(1).committed);
        assertTrue(log.has("lost connection after DATA (9 bytes) from localhost[127.0.0.1]"), log.toString());
    }

    @Test
    void timeoutRepliesAndLogsWhereItHappened() throws Exception {
        Harness h = Harness.with().loopback();
        h.replies();
        h.send("MAIL FROM:<a@b.tst>");
        h.session.timeout();
        assertEquals("421 4.4.2 mail.example.tst Error: timeout exceeded\r\n", h.replies());
        h.session.close();
        assertTrue(log.has("timeout after MAIL from localhost[127.0.0.1]"), log.toString());
        assertTrue(log.has("disconnect from localhost[127.0.0.1] mail=1 commands=1"), log.toString());
    }

    @Test
    void lostConnectionRightAfterConnect() throws Exception {
        Harness h = Harness.with().loopback();
        h.session.lostConnection();
        h.session.close();
        assertTrue(log.has("lost connection after CONNECT from localhost[127.0.0.1]"), log.toString());
        assertTrue(log.has("disconnect from localhost[127.0.0.1] commands=0/0"), log.toString());
    }

    @Test
    void cleanupRefusalIsPassedToTheClient() throws Exception {
        Harness h = Harness.with().loopback();
        h.replies();
        h.cleanup.commitReply = "554 5.7.1 Message content rejected";
        assertTrue(h.pipeline("MAIL FROM:<a@b.tst>", "RCPT TO:<alice@example.tst>", "DATA", "x", ".")
                .endsWith("554 5.7.1 Message content rejected\r\n"));
        h.cleanup.commitReply = null;
        h.cleanup.failWrite = true;
        assertTrue(h.pipeline("MAIL FROM:<a@b.tst>", "RCPT TO:<alice@example.tst>")
                .endsWith("451 4.3.0 Error: queue file write error\r\n"));
        h.cleanup.failWrite = false;
        h.cleanup.failOpen = true;
        assertEquals("451 4.3.0 Error: queue file write error\r\n", h.pipeline("RSET", "MAIL FROM:<a@b.tst>",
                "RCPT TO:<alice@example.tst>").replaceFirst("^250 2.0.0 Ok\r\n250 2.1.0 Ok\r\n", ""));
    }

    @Test
    void vrfyAnswers252WithoutLookingTheUserUp() throws Exception {
        // the "VRFY (off by default, 252)": user lookup is off, so no user enumeration
        Harness h = Harness.with().loopback();
        h.replies();
        assertEquals("252 2.0.0 <nosuchuser@example.tst>\r\n", h.send("VRFY <nosuchuser@example.tst>"));
        assertEquals("252 2.0.0 alice\r\n", h.send("VRFY alice"));
        assertEquals("501 5.1.3 Bad recipient address syntax\r\n", h.send("VRFY a@1.2.3.4"));
        assertEquals("501 5.5.4 Syntax: VRFY address [SMTPUTF8]\r\n", h.send("VRFY"));
        Harness off = Harness.with("disable_vrfy_command", "yes").loopback();
        off.replies();
        assertEquals("502 5.5.1 VRFY command is disabled\r\n", off.send("VRFY alice"));
        assertFalse(off.send("EHLO x").contains("VRFY"));
    }

    @Test
    void junkAfterThePathIsBadAddressSyntaxNotAnOption() throws Exception {
        Harness h = Harness.with().loopback();
        h.replies();
        assertEquals("501 5.1.7 Bad sender address syntax\r\n", h.send("MAIL FROM:<a@b.tst>x"));
        assertEquals("501 5.1.7 Bad sender address syntax\r\n", h.send("MAIL FROM:<a@b.tst><c@d.tst>"));
        assertEquals("501 5.1.7 Bad sender address syntax\r\n", h.send("MAIL FROM:<a@1.2.3.4>"));
        assertEquals("501 5.5.4 Bad ENVID parameter syntax\r\n", h.send("MAIL FROM:<a@b.tst> ENVID="));
        assertEquals("250 2.1.0 Ok\r\n", h.send("MAIL FROM:<a@b.tst>(comment) SIZE=1"));
        assertEquals("501 5.1.3 Bad recipient address syntax\r\n", h.send("RCPT TO:<alice@example.tst>x"));
        assertEquals("250 2.1.5 Ok\r\n", h.send("RCPT TO:<Alice <alice@example.tst>>"));
    }

    @Test
    void etrnIsRefusedLikePostfixWithoutFastFlush() throws Exception {
        Harness h = Harness.with().loopback();
        h.replies();
        assertEquals("500 Syntax: ETRN domain\r\n", h.send("ETRN"));
        assertEquals("459 <example.net>: service unavailable\r\n", h.send("ETRN example.net"));
    }

    @Test
    void unknownRestrictionIsAServerConfigurationError() throws Exception {
        Harness h = Harness.with("smtpd_recipient_restrictions", "reject_bogus_thing").loopback();
        h.replies();
        h.send("MAIL FROM:<a@b.tst>");
        assertEquals("451 4.3.5 Server configuration error\r\n", h.send("RCPT TO:<alice@example.tst>"));
        assertTrue(log.has("warning: unknown smtpd restriction: \"reject_bogus_thing\""), log.toString());
        assertTrue(log.hasContaining("NOQUEUE: reject: RCPT from localhost[127.0.0.1]: 451 4.3.5 Server"
                + " configuration error; from=<a@b.tst> to=<alice@example.tst> proto=SMTP"), log.toString());
    }

    @Test
    void restrictionListsWithoutRelayGuardRefuseAllRecipients() throws Exception {
        Harness h = Harness.with("smtpd_relay_restrictions", "", "smtpd_recipient_restrictions", "permit_mynetworks")
                .outside();
        h.replies();
        h.send("MAIL FROM:<a@b.tst>");
        assertEquals("451 4.3.5 Server configuration error\r\n", h.send("RCPT TO:<anyone@far.invalid>"));
    }

    @Test
    void clientRestrictionsApplyAtRcptWithDelayReject() throws Exception {
        Harness h = Harness.with("smtpd_client_restrictions", "reject").outside();
        assertEquals("220 mail.example.tst ESMTP jmail\r\n", h.replies());
        h.send("EHLO x");
        assertEquals("250 2.1.0 Ok\r\n", h.send("MAIL FROM:<a@b.tst>"));
        assertEquals("554 5.7.1 <client.example.net[192.0.2.10]>: Client host rejected: Access denied\r\n",
                h.send("RCPT TO:<alice@example.tst>"));
    }

    @Test
    void clientRestrictionsReplaceTheGreetingWithoutDelayReject() throws Exception {
        Harness h = Harness.with("smtpd_client_restrictions", "reject", "smtpd_delay_reject", "no").outside();
        assertEquals("554 5.7.1 <client.example.net[192.0.2.10]>: Client host rejected: Access denied\r\n",
                h.replies());
        assertEquals("503 5.7.0 Error: access denied for client.example.net[192.0.2.10]\r\n", h.send("EHLO x"));
        assertEquals("221 2.0.0 Bye\r\n", h.send("QUIT"));
    }

    @Test
    void transportErrorEntryIsRefusedAtRcpt() throws Exception {
        Harness h = Harness.with("default_transport", "error:5.7.1 outbound mail is disabled").loopback();
        h.replies();
        h.send("MAIL FROM:<a@b.tst>");
        assertEquals("550 5.7.1 <x@far.invalid>: Recipient address rejected: outbound mail is disabled\r\n",
                h.send("RCPT TO:<x@far.invalid>"));
    }

    @Test
    void bdatChunksMakeOneMessage() throws Exception {
        Harness h = Harness.with().loopback();
        h.replies();
        h.pipeline("EHLO x", "MAIL FROM:<a@b.tst>", "RCPT TO:<alice@example.tst>");
        h.replies();
        assertEquals("", h.send("BDAT 20"));
        assertEquals(20, h.session.bdatRemaining());
        assertEquals("250 2.0.0 Ok: 20 bytes\r\n", h.bdat("Subject: chunked\r\n\r\n"));
        assertEquals("", h.send("BDAT 12 LAST"));
        assertEquals("", h.bdat("line one\r"));
        assertEquals("250 2.0.0 Ok: 32 bytes queued as 4F2A1C9D\r\n", h.bdat("\n.x"));
        assertEquals(List.of("Subject: chunked", "", "line one", ".x"), h.cleanup.committed().lines);
        assertEquals("503 5.5.1 Error: need RCPT command\r\n", h.send("BDAT 0 LAST"));
        h.send("QUIT");
        h.session.close();
        assertTrue(log.has("disconnect from localhost[127.0.0.1] ehlo=1 mail=1 rcpt=1 bdat=2/3 quit=1 commands=6/7"),
                log.toString());
    }

    @Test
    void bdatErrors() throws Exception {
        Harness h = Harness.with("message_size_limit", "10").loopback();
        h.replies();
        h.pipeline("MAIL FROM:<a@b.tst>", "RCPT TO:<alice@example.tst>");
        h.replies();
        assertEquals("551 5.7.1 Null BDAT request\r\n", h.send("BDAT 0"));
        h.send("BDAT 31");
        assertEquals("552 5.3.4 Chunk exceeds message size limit\r\n", h.bdat("0123456789\r\n0123456789\r\n01234\r\n"));
        h.send("BDAT 3 LAST");
        assertEquals("551 5.0.0 Discarded 3 bytes after earlier error\r\n", h.bdat("abc"));
        assertEquals("250 2.1.0 Ok\r\n", h.send("MAIL FROM:<a@b.tst>"), "transaction ended");
        assertEquals("521 5.5.4 Syntax: BDAT count [LAST]\r\n", h.send("BDAT x"));
        assertTrue(h.session.hangup());
    }

    @Test
    void bdatWithoutRecipientsRepliesAfterTheChunkAsPostfix() throws Exception {
        Harness h = Harness.with().loopback();
        h.replies();
        assertEquals("", h.send("BDAT 5"), "no reply before the chunk has been read");
        assertEquals(5, h.session.bdatRemaining());
        assertEquals("", h.bdat("hel"));
        assertEquals("503 5.5.1 Error: need RCPT command\r\n", h.bdat("lo"));
        h.pipeline("MAIL FROM:<a@b.tst>", "RCPT TO:<nosuchuser@example.tst>");
        h.replies();
        assertEquals("", h.send("BDAT 2 LAST"));
        assertEquals("554 5.5.1 Error: no valid recipients\r\n", h.bdat("a\n"));
        assertEquals("250 2.0.0 Ok\r\n", h.send("NOOP"));
        h.session.close();
        assertTrue(log.has("disconnect from localhost[127.0.0.1] mail=1 rcpt=0/1 bdat=0/2 noop=1 commands=2/5"), log.toString());
    }

    @Test
    void mailDuringBdatIsRefused() throws Exception {
        Harness h = Harness.with().loopback();
        h.replies();
        h.pipeline("MAIL FROM:<a@b.tst>", "RCPT TO:<alice@example.tst>", "BDAT 2");
        h.bdat("a\n");
        h.replies();
        assertEquals("503 5.5.1 Error: MAIL after BDAT\r\n", h.send("MAIL FROM:<a@b.tst>"));
        assertEquals("503 5.5.1 Error: DATA after BDAT\r\n", h.send("DATA"));
        assertEquals("250 2.0.0 Ok\r\n", h.send("RSET"));
        assertEquals(1, h.cleanup.messages.get(0).aborted);
    }

    @Test
    void improperPipeliningIsLoggedOnce() throws Exception {
        Harness h = Harness.with().loopback();
        h.replies();
        h.session.command("HELO x", false, false, () -> "MAIL FROM:<a@b.tst>\\r\\n");
        h.session.command("NOOP", false, false, () -> "NOOP\\r\\n");
        assertTrue(log.has("improper command pipelining after HELO from localhost[127.0.0.1]: MAIL FROM:<a@b.tst>\\r\\n"),
                log.toString());
        assertEquals(1, log.lines.stream().filter(l -> l.startsWith("improper")).count());
    }

    @Test
    void overlongCommandIsTruncatedAndLogged() throws Exception {
        Harness h = Harness.with().loopback();
        h.replies();
        h.session.command("MAIL FROM:<" + "a".repeat(40), true, false, null);
        assertEquals("501 5.1.7 Bad sender address syntax\r\n", h.replies());
        assertTrue(log.has("warning: localhost[127.0.0.1]: request longer than 2048: MAIL FROM:<aaaaaaaaaaaaaaaaaaa..."),
                log.toString());
    }

    @Test
    void bareNewlineIsRefusedWhenForbiddenForNonExcludedClients() throws Exception {
        Harness h = Harness.with("smtpd_forbid_bare_newline", "yes").outside();
        h.replies();
        h.session.command("NOOP", false, true, null);
        assertEquals("521 5.5.2 mail.example.tst Error: bare <LF> received\r\n", h.replies());
        assertTrue(h.session.hangup());
        Harness local = Harness.with("smtpd_forbid_bare_newline", "yes").loopback();
        local.replies();
        local.session.command("NOOP", false, true, null);
        assertEquals("250 2.0.0 Ok\r\n", local.replies(), "mynetworks is excluded by default");
    }

    @Test
    void softBounceTurnsRejectsIntoDeferrals() throws Exception {
        Harness h = Harness.with("soft_bounce", "yes").loopback();
        h.replies();
        h.send("MAIL FROM:<a@b.tst>");
        assertEquals("450 4.1.1 <ghost@example.tst>: Recipient address rejected: User unknown in local recipient"
                + " table\r\n", h.send("RCPT TO:<ghost@example.tst>"));
        assertEquals("400 4.5.2 Error: command not recognized\r\n", h.send("BOGUS"));
    }

    @Test
    void unreadableRecipientTableIsATemporaryFailureNotUserUnknown() throws Exception {
        Harness h = Harness.with("local_recipient_maps", "hash:/missing").outside();
        h.replies();
        h.send("MAIL FROM:<a@b.tst>");
        assertEquals("451 4.3.0 <alice@example.tst>: Temporary lookup failure\r\n", h.send("RCPT TO:<alice@example.tst>"));
        assertTrue(log.hasContaining("warning: smtpd_reject_unlisted_recipient: lookup error for \"alice@example.tst\": open"), log.toString());
    }
}
