package org.jmail.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** BODY and BODYSTRUCTURE against Dovecot's own golden test (lib-imap/test-imap-bodystructure.c). */
class MimePartTest {

    private static final String MSG = "From: user@domain.org\n"
            + "Date: Sat, 24 Mar 2007 23:00:00 +0200\n"
            + "Mime-Version: 1.0\n"
            + "Content-Type: multipart/mixed; boundary=\"foo\n"
            + " bar\"\n"
            + "\n"
            + "Root MIME prologue\n"
            + "\n"
            + "--foo bar\n"
            + "Content-Type: text/x-myown; charset=us-ascii; foo=\"quoted\\\"string\"\n"
            + "Content-ID: <foo@example.com>\n"
            + "Content-MD5: Q2hlY2sgSW50ZWdyaXR5IQ==\n"
            + "Content-Disposition: inline; foo=bar\n"
            + "Content-Description: hellodescription\n"
            + "Content-Language: en, fi, se\n"
            + "Content-Location: http://example.com/test.txt\n"
            + "\n"
            + "hello\n"
            + "\n"
            + "--foo bar\n"
            + "Content-Type: message/rfc822\n"
            + "\n"
            + "From: sub@domain.org\n"
            + "To: sub-to1@domain.org, sub-to2@domain.org\n"
            + "Date: Sun, 12 Aug 2012 12:34:56 +0300\n"
            + "Subject: submsg\n"
            + "Content-Type: multipart/alternative; boundary=\"sub1\"\n"
            + "\n"
            + "Sub MIME prologue\n"
            + "--sub1\n"
            + "Content-Type: text/html\n"
            + "Content-Transfer-Encoding: 8bit\n"
            + "\n"
            + "<p>Hello world</p>\n"
            + "\n"
            + "--sub1\n"
            + "Content-Type: text/plain\n"
            + "Content-Transfer-Encoding: ?invalid\n"
            + "\n"
            + "Hello another world\n"
            + "\n"
            + "--sub1--\n"
            + "Sub MIME epilogue\n"
            + "\n"
            + "--foo bar--\n"
            + "Root MIME epilogue\n";

    private static final String BODYSTRUCTURE = "((\"text\" \"x-myown\" (\"charset\" \"us-ascii\" \"foo\" \"quoted\\\"string\")"
            + " \"<foo@example.com>\" \"hellodescription\" \"7bit\" 7 1 \"Q2hlY2sgSW50ZWdyaXR5IQ==\" (\"inline\" (\"foo\""
            + " \"bar\")) (\"en\" \"fi\" \"se\") \"http://example.com/test.txt\")(\"message\" \"rfc822\" NIL NIL NIL \"7bit\""
            + " 412 (\"Sun, 12 Aug 2012 12:34:56 +0300\" \"submsg\" ((NIL NIL \"sub\" \"domain.org\")) ((NIL NIL \"sub\""
            + " \"domain.org\")) ((NIL NIL \"sub\" \"domain.org\")) ((NIL NIL \"sub-to1\" \"domain.org\")(NIL NIL"
            + " \"sub-to2\" \"domain.org\")) NIL NIL NIL NIL) ((\"text\" \"html\" (\"charset\" \"us-ascii\") NIL NIL \"8bit\""
            + " 20 1 NIL NIL NIL NIL)(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 21 1 NIL NIL NIL NIL)"
            + " \"alternative\" (\"boundary\" \"sub1\") NIL NIL NIL) 21 NIL NIL NIL NIL) \"mixed\" (\"boundary\" \"foo bar\")"
            + " NIL NIL NIL)";

    private static final String BODY = "((\"text\" \"x-myown\" (\"charset\" \"us-ascii\" \"foo\" \"quoted\\\"string\")"
            + " \"<foo@example.com>\" \"hellodescription\" \"7bit\" 7 1)(\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 412"
            + " (\"Sun, 12 Aug 2012 12:34:56 +0300\" \"submsg\" ((NIL NIL \"sub\" \"domain.org\")) ((NIL NIL \"sub\""
            + " \"domain.org\")) ((NIL NIL \"sub\" \"domain.org\")) ((NIL NIL \"sub-to1\" \"domain.org\")(NIL NIL"
            + " \"sub-to2\" \"domain.org\")) NIL NIL NIL NIL) ((\"text\" \"html\" (\"charset\" \"us-ascii\") NIL NIL \"8bit\""
            + " 20 1)(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 21 1) \"alternative\") 21) \"mixed\")";

    private static MimePart parse() {
        return MimePart.parse(MemoryMailStore.crlf(MSG.getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void bodystructureMatchesDovecot() {
        StringBuilder b = new StringBuilder();
        parse().writeStructure(b, true);
        assertEquals(BODYSTRUCTURE, b.toString());
    }

    @Test
    void bodyMatchesDovecot() {
        StringBuilder b = new StringBuilder();
        parse().writeStructure(b, false);
        assertEquals(BODY, b.toString());
    }

    @Test
    void sectionsFollowMessageParts() {
        MimePart root = parse();
        MimePart html = root.find(new int[] {2, 1});
        assertEquals("html", html.subtype);
        assertEquals("<p>Hello world</p>\r\n", new String(html.data, html.bodyStart, html.end - html.bodyStart));
        assertEquals("submsg", root.find(new int[] {2}).message.header.value("Subject"));
    }
}
