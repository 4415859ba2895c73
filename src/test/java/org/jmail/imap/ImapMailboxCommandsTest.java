package org.jmail.imap;

import static org.jmail.imap.ImapTestKit.message;
import static org.jmail.imap.ImapTestKit.session;
import static org.jmail.imap.ImapTestKit.storeWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jmail.store.MailStore;
import org.junit.jupiter.api.Test;

class ImapMailboxCommandsTest {

    @Test
    void selectReportsExistsAndUidValidityInDovecotOrder() throws Exception {
        MemoryMailStore st = storeWith(message(1), message(2));
        String out = session(st, "b SELECT inbox\r\n");
        long v = st.users.get("alice").get("INBOX").uidValidity;
        String expected = "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n"
                + "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] Flags permitted.\r\n"
                + "* 2 EXISTS\r\n* 2 RECENT\r\n* OK [UNSEEN 1] First unseen.\r\n"
                + "* OK [UIDVALIDITY " + v + "] UIDs valid\r\n* OK [UIDNEXT 3] Predicted next UID\r\n"
                + "b OK [READ-WRITE] Select completed (";
        assertTrue(out.contains(expected), out);
    }

    @Test
    void examineIsReadOnly() throws Exception {
        String out = session(storeWith(message(1)), "b EXAMINE INBOX\r\nc STORE 1 +FLAGS (\\Seen)\r\n");
        assertTrue(out.contains("* OK [PERMANENTFLAGS ()] Read-only mailbox.\r\n"), out);
        assertTrue(out.contains("* 0 RECENT"), out);
        assertTrue(out.contains("b OK [READ-ONLY] Examine completed ("), out);
        assertTrue(out.contains("c OK Store ignored with read-only mailbox"), out);
    }

    @Test
    void selectOfMissingMailboxIsNonexistent() throws Exception {
        String out = session(storeWith(), "b SELECT nope\r\n");
        assertTrue(out.contains("b NO [NONEXISTENT] Mailbox doesn't exist: nope ("), out);
    }

    @Test
    void createListRenameDelete() throws Exception {
        MemoryMailStore st = storeWith();
        String out = session(st, "b CREATE Work\r\nc CREATE Work\r\nd LIST \"\" *\r\ne RENAME Work Play\r\n"
                + "f LIST \"\" %\r\ng DELETE Play\r\nh LIST \"\" \"\"\r\n");
        assertTrue(out.contains("b OK Create completed ("), out);
        assertTrue(out.contains("c NO [ALREADYEXISTS] Mailbox already exists ("), out);
        assertTrue(out.contains("* LIST (\\HasNoChildren) \"/\" INBOX\r\n"), out);
        assertTrue(out.contains("* LIST (\\HasNoChildren \\Sent) \"/\" Sent\r\n"), out);
        assertTrue(out.contains("* LIST (\\HasNoChildren) \"/\" Work\r\n"), out);
        assertTrue(out.contains("* LIST (\\HasNoChildren) \"/\" Play\r\n"), out);
        assertTrue(out.contains("g OK Delete completed ("), out);
        assertTrue(out.contains("* LIST (\\Noselect) \"/\" \"\"\r\nh OK List completed"), out);
        assertFalse(st.users.get("alice").containsKey("Play"));
    }

    @Test
    void listWildcardsMatchAsRfcSays() {
        assertTrue(MailboxCommands.matches("*", "a/b/c"));
        assertTrue(MailboxCommands.matches("%", "a"));
        assertFalse(MailboxCommands.matches("%", "a/b"));
        assertTrue(MailboxCommands.matches("a/%", "a/b"));
        assertFalse(MailboxCommands.matches("a/%", "a/b/c"));
        assertTrue(MailboxCommands.matches("inbox", "INBOX"));
        assertTrue(MailboxCommands.matches("*b*", "xbx"));
        assertFalse(MailboxCommands.matches("Work", "work"));
    }

    @Test
    void listExtendedSubscribedAndSpecialUse() throws Exception {
        String out = session(storeWith(), "b LIST (SPECIAL-USE) \"\" *\r\n"
                + "c LIST (SUBSCRIBED) \"\" * RETURN (CHILDREN)\r\nd LSUB \"\" *\r\n");
        assertTrue(out.contains("* LIST (\\HasNoChildren \\Trash) \"/\" Trash\r\n"), out);
        assertFalse(out.contains("\"/\" INBOX\r\nb OK"), out);
        assertTrue(out.contains("* LIST (\\HasNoChildren \\Sent \\Subscribed) \"/\" Sent\r\n"), out);
        assertTrue(out.contains("* LSUB () \"/\" Junk\r\n"), out);
    }

    @Test
    void subscribeAndUnsubscribe() throws Exception {
        MemoryMailStore st = storeWith();
        session(st, "b SUBSCRIBE INBOX\r\nc UNSUBSCRIBE Junk\r\n");
        assertTrue(st.subscriptions.get("alice").contains("INBOX"));
        assertFalse(st.subscriptions.get("alice").contains("Junk"));
    }

    @Test
    void statusGivesRequestedItemsInOrder() throws Exception {
        String out = session(storeWith(message(1), message(2)), "b STATUS INBOX (UIDNEXT MESSAGES UNSEEN)\r\n");
        assertTrue(out.contains("* STATUS INBOX (UIDNEXT 3 MESSAGES 2 UNSEEN 2)\r\nb OK Status completed ("), out);
    }

    @Test
    void appendStoresMessageWithFlagsAndDateAndAnswersAppendUid() throws Exception {
        MemoryMailStore st = storeWith();
        String msg = "Subject: hi\r\n\r\nhello\r\n";
        String out = session(st, "b APPEND Drafts (\\Draft \\Seen) \"05-Jan-2024 10:11:12 +0100\" {"
                + msg.length() + "}\r\n" + msg + "\r\nc APPEND INBOX {3+}\r\nabc\r\n");
        long v = st.users.get("alice").get("Drafts").uidValidity;
        assertTrue(out.contains("+ OK\r\n"), out);
        assertTrue(out.contains("b OK [APPENDUID " + v + " 1] Append completed ("), out);
        assertTrue(out.contains("c OK [APPENDUID"), out);
        var m = st.users.get("alice").get("Drafts").msgs.get(0);
        assertEquals(java.util.Set.of("\\Draft", "\\Seen"), m.flags);
        assertEquals(java.time.Instant.parse("2024-01-05T09:11:12Z"), m.date);
        assertEquals(msg, new String(m.data));
    }

    @Test
    void appendToSelectedMailboxReportsExists() throws Exception {
        String out = session(storeWith(message(1)), "b SELECT INBOX\r\nc APPEND INBOX {3+}\r\nabc\r\n");
        assertTrue(out.contains("* 2 EXISTS\r\n* 2 RECENT\r\nc OK [APPENDUID"), out);
    }

    @Test
    void appendLiteralOverTheLimitIsRefusedBeforeItIsSent() throws Exception {
        MemoryMailStore st = storeWith();
        String out = ImapTestKit.run(ImapTestKit.settings().withLimits(65536, 100), st, true,
                "a LOGIN alice secret\r\nb APPEND INBOX {500}\r\nc NOOP\r\n");
        assertTrue(out.contains("b NO [TOOBIG] Literal size too large"), out);
        assertFalse(out.contains("+ OK"), out);
        assertTrue(out.contains("c OK NOOP completed"), out);
    }

    @Test
    void appendAndCopyToMissingMailboxSayTryCreate() throws Exception {
        String out = session(storeWith(ImapTestKit.message(1)), "b APPEND Nope {3+}\r\nabc\r\n"
                + "s SELECT INBOX\r\nc COPY 1 Nope\r\n");
        assertTrue(out.contains("b NO [TRYCREATE] Mailbox doesn't exist: Nope ("), out);
        assertTrue(out.contains("c NO [TRYCREATE] Mailbox doesn't exist: Nope ("), out);
    }

    @Test
    void namespaceAndEnable() throws Exception {
        String out = session(storeWith(), "b NAMESPACE\r\nc ENABLE CONDSTORE\r\n");
        assertTrue(out.contains("* NAMESPACE ((\"\" \"/\")) NIL NIL\r\nb OK Namespace completed ("), out);
        assertTrue(out.contains("* ENABLED\r\nc OK Enabled ("), out);
    }

    @Test
    void quotaWhenTheStoreHasALimit() throws Exception {
        MemoryMailStore st = storeWith();
        st.quota = new MailStore.Quota(2048, 10240);
        String out = session(st, "b GETQUOTAROOT INBOX\r\nc CAPABILITY\r\n");
        assertTrue(out.contains("* QUOTAROOT INBOX \"User quota\"\r\n* QUOTA \"User quota\" (STORAGE 2 10)\r\n"), out);
        assertTrue(out.contains(" SPECIAL-USE QUOTA\r\n"), out);
    }

    @Test
    void eightBitMailboxNameIsRefused() throws Exception {
        String out = session(storeWith(), "b CREATE \"Gr\u00fc\u00dfe\"\r\n");
        assertTrue(out.contains("b NO [CANNOT] Mailbox name is not valid mUTF-7"), out);
    }
}
