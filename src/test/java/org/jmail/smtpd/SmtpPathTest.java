package org.jmail.smtpd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SmtpPathTest {

    @Test
    void splitsPathAndParameters() {
        SmtpPath.Args a = SmtpPath.split("FROM:<a@b.tst> SIZE=10  BODY=8BITMIME", "FROM:");
        assertEquals("<a@b.tst>", a.path());
        assertEquals(List.of("SIZE=10", "BODY=8BITMIME"), a.params());
        assertFalse(a.broken());
        assertEquals("<a b@c>", SmtpPath.split("from: <a b@c>", "FROM:").path(), "space inside brackets");
        assertEquals("<\"x>y\"@c>", SmtpPath.split("FROM:<\"x>y\"@c>", "FROM:").path(), "quoted bracket");
        assertTrue(SmtpPath.split("FROM:<a@b", "FROM:").broken());
        assertNull(SmtpPath.split("FROM:", "FROM:"));
        assertNull(SmtpPath.split("FRM:<a@b>", "FROM:"));
    }

    @Test
    void extractsInternalForm() {
        assertEquals("a@b.tst", SmtpPath.extract("<a@b.tst>", false, false, false));
        assertEquals("", SmtpPath.extract("<>", true, false, false));
        assertNull(SmtpPath.extract("<>", false, false, false));
        assertEquals("john doe@x.tst", SmtpPath.extract("<\"john doe\"@x.tst>", false, false, false));
        assertEquals("a\"b@x.tst", SmtpPath.extract("<\"a\\\"b\"@x.tst>", false, false, false));
        assertEquals("user@c.tst", SmtpPath.extract("<@a.tst,@b.tst:user@c.tst>", false, false, false));
        assertEquals("postmaster", SmtpPath.extract("<postmaster>", false, false, false));
        assertEquals("u@[127.0.0.1]", SmtpPath.extract("<u@[127.0.0.1]>", false, false, false));
        assertEquals("u@[IPv6:::1]", SmtpPath.extract("<u@[IPv6:::1]>", false, false, false));
        assertEquals("u@x.tst.", SmtpPath.extract("<u@x.tst.>", false, false, false));
    }

    @Test
    void refusesBadAddresses() {
        assertNull(SmtpPath.extract("<a,b@x.tst>", false, false, false));
        assertNull(SmtpPath.extract("<a@b@x.tst>", false, false, false));
        assertNull(SmtpPath.extract("<a@x..tst>", false, false, false));
        assertNull(SmtpPath.extract("<a@x-.tst>", false, false, false));
        assertNull(SmtpPath.extract("<a@[300.1.1.1]>", false, false, false));
        assertNull(SmtpPath.extract("<\"open@x.tst>", false, false, false));
        assertNull(SmtpPath.extract("a@x.tst", false, true, false), "strict wants brackets");
        assertNull(SmtpPath.extract("<@a.tst>", false, false, false));
    }

    @Test
    void pathTokenRunsToTheNextBlankAsInPostfix() {
        assertEquals("<a@b>x", SmtpPath.split("FROM:<a@b>x SIZE=1", "FROM:").path());
        assertEquals(List.of("SIZE=1"), SmtpPath.split("FROM:<a@b>x SIZE=1", "FROM:").params());
        assertEquals("<Joe <a@b>>", SmtpPath.split("FROM:<Joe <a@b>> BODY=7BIT", "FROM:").path());
        assertEquals("<a@b>(c)", SmtpPath.split("FROM:<a@b>(c)", "FROM:").path());
        assertTrue(SmtpPath.split("FROM:<x <a@b>", "FROM:").broken());
    }

    @Test
    void toleratesRfc822LeftoversLikePostfix() {
        assertEquals("a@b.tst", SmtpPath.extract("<a(comment)@b.tst>", false, false, false));
        assertEquals("a@b.tst", SmtpPath.extract("<a@b.tst (c)>", false, false, false));
        assertEquals("a@b.tst", SmtpPath.extract("<a@b.tst>(c)", false, false, false));
        assertEquals("a@b.tst", SmtpPath.extract("(c)<a@b.tst>", false, false, false));
        assertEquals("a@b.tst", SmtpPath.extract("<<a@b.tst>>", false, false, false));
        assertEquals("a@b.tst", SmtpPath.extract("<Joe <a@b.tst>>", false, false, false));
        assertEquals("c@d.tst", SmtpPath.extract("a@b.tst<c@d.tst>", false, false, false));
        assertEquals("a@b.tst", SmtpPath.extract("<a@b.tst>>", false, false, false));
        assertEquals("a@b.tst", SmtpPath.extract("a@b.tst>", false, false, false));
        assertEquals("", SmtpPath.extract("<(c)>", true, false, false));
        assertEquals("", SmtpPath.extract("<<>>", true, false, false));
        assertEquals("x)y@b.tst", SmtpPath.extract("<\"x)y\"@b.tst>", false, false, false), "no comment in quotes");
        assertNull(SmtpPath.extract("<a@b.tst (c>", false, false, false), "unbalanced comment");
        assertNull(SmtpPath.extract("<a@b.tst>(c)", false, true, false), "strict: the bare path only");
    }

    @Test
    void refusesASecondAddressAndNumericDomains() {
        assertNull(SmtpPath.extract("<a@b.tst>x", false, false, false));
        assertNull(SmtpPath.extract("<a@b.tst><c@d.tst>", false, false, false));
        assertNull(SmtpPath.extract("<a@b.tst>\"x\"", false, false, false));
        assertNull(SmtpPath.extract("<a@1.2.3.4>", false, false, false));
        assertNull(SmtpPath.extract("<a@123>", false, false, false));
        assertNull(SmtpPath.extract("<a@1.2.3.4.>", false, false, false));
        assertNull(SmtpPath.extract("<a@1.2.3.999>", false, false, false));
        assertEquals("a@1.2.3.a", SmtpPath.extract("<a@1.2.3.a>", false, false, false));
        assertEquals("a@[1.2.3.4]", SmtpPath.extract("<a@[1.2.3.4]>", false, false, false));
    }

    @Test
    void utf8LocalPartsAlwaysUtf8DomainsOnlyWithSmtputf8() {
        assertEquals("jörg@x.tst", SmtpPath.extract("<jörg@x.tst>", false, false, false));
        assertNull(SmtpPath.extract("<j@bücher.tst>", false, false, false));
        assertEquals("j@bücher.tst", SmtpPath.extract("<j@bücher.tst>", false, false, true));
    }
}
