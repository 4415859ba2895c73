package org.jmail.imap;

import static org.jmail.imap.ImapTestKit.message;
import static org.jmail.imap.ImapTestKit.session;
import static org.jmail.imap.ImapTestKit.storeWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.jmail.auth.AuthUser;
import org.jmail.store.Mailbox;
import org.junit.jupiter.api.Test;

class ImapSelectedCommandsTest {

    private static final String MULTIPART = "From: \"Bob B.\" <bob@example.org>\n"
            + "To: alice@example.com, Carol <carol@example.net>\n"
            + "Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\n"
            + "Date: Mon, 4 Mar 2024 09:30:00 +0100\n"
            + "MIME-Version: 1.0\n"
            + "Content-Type: multipart/mixed; boundary=\"XX\"\n"
            + "\n"
            + "preamble\n"
            + "--XX\n"
            + "Content-Type: text/plain; charset=utf-8\n"
            + "\n"
            + "Hello there\n"
            + "--XX\n"
            + "Content-Type: application/pdf; name=\"a.pdf\"\n"
            + "Content-Transfer-Encoding: base64\n"
            + "Content-Disposition: attachment; filename=\"a.pdf\"\n"
            + "\n"
            + "QUJD\n"
            + "--XX--\n";

    private static String sel(String s) {
        return "s SELECT INBOX\r\n" + s;
    }

    @Test
    void fetchFastItemsAndEnvelope() throws Exception {
        MemoryMailStore st = storeWith(message(1), message(2));
        String out = session(st, sel("b FETCH 1:* (FLAGS UID RFC822.SIZE ENVELOPE)\r\n"));
        int size = st.users.get("alice").get("INBOX").msgs.get(0).data.length;
        assertTrue(out.contains("* 1 FETCH (FLAGS (\\Recent) UID 1 RFC822.SIZE " + size + " ENVELOPE (\"Fri, 1 Mar 2024"
                + " 10:00:00 +0000\" \"Hello number 1\" ((\"Sender 1\" NIL \"sender1\" \"example.org\")) ((\"Sender 1\""
                + " NIL \"sender1\" \"example.org\")) ((\"Sender 1\" NIL \"sender1\" \"example.org\")) ((NIL NIL \"alice\""
                + " \"example.com\")) NIL NIL NIL \"<m1@example.org>\"))\r\n"), out);
        assertTrue(out.contains("* 2 FETCH ("), out);
        assertTrue(out.contains("b OK Fetch completed ("), out);
    }

    @Test
    void uidFetchPutsUidFirst() throws Exception {
        String out = session(storeWith(message(1), message(2)), sel("b UID FETCH 2 FLAGS\r\n"));
        assertTrue(out.contains("* 2 FETCH (UID 2 FLAGS (\\Recent))\r\n"), out);
    }

    @Test
    void bodyFetchSetsSeenAndPeekDoesNot() throws Exception {
        MemoryMailStore st = storeWith(message(1), message(2));
        String out = session(st, sel("b FETCH 1 BODY.PEEK[HEADER.FIELDS (SUBJECT)]\r\nc FETCH 2 BODY[TEXT]\r\n"));
        assertTrue(out.contains("* 1 FETCH (BODY[HEADER.FIELDS (SUBJECT)] {27}\r\nSubject: Hello number 1\r\n\r\n)"),
                out);
        assertTrue(out.contains("* 2 FETCH (BODY[TEXT] {20}\r\nBody of message 2.\r\n FLAGS (\\Seen \\Recent))"), out);
        var msgs = st.users.get("alice").get("INBOX").msgs;
        assertFalse(msgs.get(0).flags.contains("\\Seen"));
        assertTrue(msgs.get(1).flags.contains("\\Seen"));
    }

    @Test
    void partialFetchGivesOrigin() throws Exception {
        String out = session(storeWith(message(1)), sel("b FETCH 1 BODY.PEEK[]<0.4>\r\n"));
        assertTrue(out.contains("* 1 FETCH (BODY[]<0> {4}\r\nFrom)"), out);
    }

    @Test
    void bodystructureOfMultipartAndSections() throws Exception {
        String out = session(storeWith(MULTIPART), sel("b FETCH 1 (BODYSTRUCTURE)\r\nc FETCH 1 (BODY.PEEK[2] "
                + "BODY.PEEK[2.MIME] BODY.PEEK[1])\r\nd FETCH 1 BODY\r\n"));
        assertTrue(out.contains("BODYSTRUCTURE ((\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL \"7bit\" 11 1 NIL NIL NIL"
                + " NIL)(\"application\" \"pdf\" (\"name\" \"a.pdf\") NIL NIL \"base64\" 4 NIL (\"attachment\" (\"filename\""
                + " \"a.pdf\")) NIL NIL) \"mixed\" (\"boundary\" \"XX\") NIL NIL NIL))"), out);
        assertTrue(out.contains("BODY[2] {4}\r\nQUJD"), out);
        assertTrue(out.contains("BODY[2.MIME] {"), out);
        assertTrue(out.contains("BODY[1] {11}\r\nHello there"), out);
        assertTrue(out.contains("* 1 FETCH (BODY ((\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL \"7bit\" 11 1)"), out);
    }

    @Test
    void envelopeParsesQuotedNamesAndLists() {
        var list = Envelope.parse("\"Bob B.\" <bob@example.org>, carol@example.net (Carol), undisclosed:;");
        assertEquals(new Envelope.Address("Bob B.", null, "bob", "example.org"), list.get(0));
        assertEquals(new Envelope.Address("Carol", null, "carol", "example.net"), list.get(1));
        assertEquals(new Envelope.Address(null, null, "undisclosed", null), list.get(2));
        assertEquals(new Envelope.Address(null, null, null, null), list.get(3));
    }

    @Test
    void storeAddsAndRemovesFlagsAndReportsThem() throws Exception {
        MemoryMailStore st = storeWith(message(1), message(2));
        String out = session(st, sel("b STORE 1:2 +FLAGS (\\Flagged $Work)\r\nc STORE 1 -FLAGS.SILENT (\\Flagged)\r\n"
                + "d UID STORE 2 FLAGS (\\Seen)\r\n"));
        assertTrue(out.contains("* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Work)\r\n"), out);
        assertTrue(out.contains("* 1 FETCH (FLAGS (\\Flagged \\Recent $Work))\r\n"), out);
        assertTrue(out.contains("c OK Store completed"), out);
        assertFalse(out.contains("* 1 FETCH (FLAGS (\\Recent $Work))"), out);
        assertTrue(out.contains("* 2 FETCH (UID 2 FLAGS (\\Seen \\Recent))\r\n"), out);
        assertEquals(Set.of("$Work"), st.users.get("alice").get("INBOX").msgs.get(0).flags);
    }

    @Test
    void searchKeys() throws Exception {
        MemoryMailStore st = storeWith(message(1), message(2), MULTIPART);
        String out = session(st, sel("a1 STORE 2 +FLAGS (\\Seen)\r\n"
                + "b SEARCH UNSEEN\r\n"
                + "c SEARCH CHARSET UTF-8 SUBJECT gr\u00fc\r\n"
                + "d UID SEARCH OR FROM sender1 BODY \"there\"\r\n"
                + "e SEARCH NOT (SEEN) LARGER 10 SINCE 1-Jan-2024\r\n"
                + "f SEARCH SENTON 4-Mar-2024\r\n"
                + "g SEARCH CHARSET KOI8-R ALL\r\n"
                + "h SEARCH 2:* HEADER Message-ID m2\r\n"
                + "i SEARCH BEFORE 1-Jan-2024\r\n"
                + "j SEARCH FOO\r\n"));
        assertTrue(out.contains("* SEARCH 1 3\r\nb OK Search completed"), out);
        assertTrue(out.contains("* SEARCH 3\r\nc OK"), out);
        assertTrue(out.contains("* SEARCH 1 3\r\nd OK"), out);
        assertTrue(out.contains("* SEARCH 1 3\r\ne OK"), out);
        assertTrue(out.contains("* SEARCH 3\r\nf OK"), out);
        assertTrue(out.contains("g NO [BADCHARSET (US-ASCII UTF-8)]"), out);
        assertTrue(out.contains("* SEARCH 2\r\nh OK"), out);
        assertTrue(out.contains("* SEARCH\r\ni OK"), out);
        assertTrue(out.contains("j BAD Error in IMAP command SEARCH: Unknown argument FOO"), out);
    }

    @Test
    void bodySearchLooksIntoBase64AndQuotedPrintableText() throws Exception {
        String b64 = "Subject: a\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n"
                + java.util.Base64.getMimeEncoder().encodeToString("Gr\u00fc\u00dfe aus Berlin".getBytes(
                java.nio.charset.StandardCharsets.UTF_8)) + "\n";
        String qp = "Subject: b\nContent-Type: text/plain; charset=iso-8859-1\n"
                + "Content-Transfer-Encoding: quoted-printable\n\nSch=F6ne Gr=FC=DFe\n";
        String out = session(storeWith(b64, qp, message(3)), sel("b SEARCH CHARSET UTF-8 BODY {6+}\r\n"
                + "gr\u00fc\u00df\r\nc SEARCH TEXT BERLIN\r\n"));
        assertTrue(out.contains("* SEARCH 1 2\r\nb OK"), out);
        assertTrue(out.contains("* SEARCH 1\r\nc OK"), out);
    }

    @Test
    void copyAnswersCopyUidAndMoveExpunges() throws Exception {
        MemoryMailStore st = storeWith(message(1), message(2), message(3));
        String out = session(st, sel("b COPY 1:2 Trash\r\nc UID MOVE 2 Junk\r\nd FETCH 1:* UID\r\n"));
        long trash = st.users.get("alice").get("Trash").uidValidity;
        long junk = st.users.get("alice").get("Junk").uidValidity;
        assertTrue(out.contains("b OK [COPYUID " + trash + " 1:2 1:2] Copy completed"), out);
        assertTrue(out.contains("* OK [COPYUID " + junk + " 2 1] Moved UIDs.\r\n* 2 EXPUNGE\r\nc OK Move completed"),
                out);
        assertTrue(out.contains("* 2 FETCH (UID 3)"), out);
        assertEquals(2, st.users.get("alice").get("INBOX").msgs.size());
    }

    @Test
    void expungeReportsSequenceNumbersAsTheyShift() throws Exception {
        MemoryMailStore st = storeWith(message(1), message(2), message(3), message(4));
        String out = session(st, sel("b STORE 2,4 +FLAGS.SILENT (\\Deleted)\r\nc EXPUNGE\r\n"));
        assertTrue(out.contains("* 2 EXPUNGE\r\n* 3 EXPUNGE\r\nc OK Expunge completed"), out);
    }

    @Test
    void uidExpungeOnlyTouchesGivenUids() throws Exception {
        MemoryMailStore st = storeWith(message(1), message(2), message(3));
        String out = session(st, sel("b STORE 1:3 +FLAGS.SILENT (\\Deleted)\r\nc UID EXPUNGE 3\r\n"));
        assertTrue(out.contains("* 3 EXPUNGE\r\nc OK Expunge completed"), out);
        assertEquals(2, st.users.get("alice").get("INBOX").msgs.size());
    }

    @Test
    void closeExpungesSilentlyAndUnselectDoesNot() throws Exception {
        MemoryMailStore st = storeWith(message(1), message(2));
        String out = session(st, sel("b STORE 1 +FLAGS.SILENT (\\Deleted)\r\nc UNSELECT\r\nd FETCH 1 UID\r\n"
                + "s2 SELECT INBOX\r\ne CLOSE\r\n"));
        assertTrue(out.contains("d BAD No mailbox selected"), out);
        assertFalse(out.contains("EXPUNGE"), out);
        assertEquals(1, st.users.get("alice").get("INBOX").msgs.size());
    }

    @Test
    void fetchReportsNewMailButOnlyNoopReportsExpungesByOthers() throws Exception {
        MemoryMailStore st = storeWith(message(1), message(2));
        Mailbox other = st.open(new AuthUser("alice", 1, 1, "/", "")).open("INBOX", false);
        byte[] first = ("a0 LOGIN alice secret\r\n" + sel("")).getBytes();
        byte[] second = "b FETCH 1 UID\r\nc NOOP\r\n".getBytes();
        java.io.InputStream script = new java.io.InputStream() {
            int phase;
            int pos;

            @Override
            public int read() {
                byte[] b = new byte[1];
                return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                byte[] cur = phase == 0 ? first : second;
                if (pos >= cur.length) {
                    if (phase == 1) {
                        return -1;
                    }
                    try {
                        other.setFlags(java.util.List.of(1L), Set.of("\\Deleted"), Mailbox.FlagMode.ADD);
                        other.expunge(null);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    st.deliver("alice", "INBOX", message(3));
                    phase = 1;
                    pos = 0;
                    cur = second;
                }
                int n = Math.min(len, cur.length - pos);
                System.arraycopy(cur, pos, b, off, n);
                pos += n;
                return n;
            }
        };
        java.io.ByteArrayOutputStream outBytes = new java.io.ByteArrayOutputStream();
        ImapTestKit.FakeTransport t = new ImapTestKit.FakeTransport(new byte[0], true) {
            @Override
            public java.io.InputStream input() {
                return script;
            }

            @Override
            public java.io.OutputStream output() {
                return outBytes;
            }
        };
        new ImapSession(ImapTestKit.settings(), ImapTestKit.AUTH, st, t, new UserIpLimiter()).run();
        String out = outBytes.toString();
        // FETCH reports the new mail but keeps the expunge pending: sequence numbers hold still
        assertTrue(out.contains("* 1 FETCH (UID 1)\r\n* 3 EXISTS\r\n* 1 RECENT\r\nb OK Fetch completed"), out);
        assertTrue(out.contains("* 1 EXPUNGE\r\nc OK NOOP completed"), out);
    }

    @Test
    void changesByAnotherSessionAppearAtNoopNotDuringFetch() throws Exception {
        MemoryMailStore st = storeWith(message(1), message(2));
        Mailbox mine = st.open(new AuthUser("alice", 1, 1, "/", "")).open("INBOX", false);
        SelectedMailbox sel = new SelectedMailbox(mine, false);
        sel.markReported();
        Mailbox other = st.open(new AuthUser("alice", 1, 1, "/", "")).open("INBOX", false);
        other.setFlags(java.util.List.of(1L), Set.of("\\Deleted", "\\Seen"), Mailbox.FlagMode.ADD);
        other.expunge(null);
        other.sync();
        st.deliver("alice", "INBOX", message(3));
        other.setFlags(java.util.List.of(2L), Set.of("\\Flagged"), Mailbox.FlagMode.ADD);
        assertEquals(2, mine.messages().size(), "view must not move without sync");
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        ImapWriter w = new ImapWriter(bytes);
        assertTrue(sel.sync(w, false, true));
        w.flush();
        String out = bytes.toString();
        assertTrue(out.startsWith("* 1 EXPUNGE\r\n* 1 FETCH (FLAGS (\\Flagged \\Recent))\r\n* 2 EXISTS\r\n"), out);
    }

    @Test
    void idleReportsAndEndsWithDone() throws Exception {
        String out = session(storeWith(message(1)), sel("b IDLE\r\nDONE\r\nc IDLE\r\nnope\r\n"));
        assertTrue(out.contains("+ idling\r\nb OK Idle completed"), out);
        assertTrue(out.contains("c BAD Expected DONE"), out);
    }

    @Test
    void invalidMessageSetIsBad() throws Exception {
        String out = session(storeWith(message(1)), sel("b FETCH 5 FLAGS\r\nc FETCH x FLAGS\r\nd UID FETCH 5:* FLAGS\r\n"));
        assertTrue(out.contains("b BAD Error in IMAP command FETCH: Invalid messageset"), out);
        assertTrue(out.contains("c BAD Error in IMAP command FETCH: Invalid messageset"), out);
        assertTrue(out.contains("* 1 FETCH (UID 1 FLAGS (\\Recent))\r\nd OK"), out);
    }

    @Test
    void fetchOfTenThousandMessagesIsFast() throws Exception {
        String[] msgs = new String[10000];
        for (int i = 0; i < msgs.length; i++) {
            msgs[i] = message(i);
        }
        MemoryMailStore st = storeWith(msgs);
        session(st, sel("b FETCH 1:* (FLAGS UID RFC822.SIZE ENVELOPE)\r\n"));
        String out = session(st, sel("b FETCH 1:* (FLAGS UID RFC822.SIZE ENVELOPE)\r\n"));
        assertTrue(out.contains("* 10000 FETCH ("), out.substring(Math.max(0, out.length() - 500)));
        // the command's own timing, as the tagged reply reports it (Dovecot's "(x + y secs)")
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("b OK Fetch completed \\((\\d+)\\.(\\d{3})")
                .matcher(out);
        assertTrue(m.find(), out.substring(Math.max(0, out.length() - 500)));
        long ms = Long.parseLong(m.group(1)) * 1000 + Long.parseLong(m.group(2));
        assertTrue(ms < 1000, "took " + ms + " ms");
    }
}
