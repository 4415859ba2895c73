package org.jmail.smtpd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.jmail.log.LogSink;
import org.jmail.log.MailLog;
import org.jmail.log.StderrSink;
import org.junit.jupiter.api.Test;

/** smtpd_tls_security_level parsing (with Postfix's legacy booleans) and the per-service log tag. */
class TlsLevelAndLogTagTest {

    @Test
    void securityLevelFollowsPostfixIncludingTheLegacyBooleans() {
        assertEquals(TlsLevel.NONE, TlsLevel.of("", false, false));
        assertEquals(TlsLevel.MAY, TlsLevel.of("", true, false));
        assertEquals(TlsLevel.ENCRYPT, TlsLevel.of("", true, true));
        assertEquals(TlsLevel.NONE, TlsLevel.of("none", true, true));
        assertEquals(TlsLevel.MAY, TlsLevel.of(" May ", false, false));
        assertEquals(TlsLevel.ENCRYPT, TlsLevel.of("encrypt", false, false));
        // a typo or a client-only level never weakens the requirement
        assertEquals(TlsLevel.ENCRYPT, TlsLevel.of("encrytp", false, false));
        assertEquals(TlsLevel.ENCRYPT, TlsLevel.of("verify", false, false));
    }

    @Test
    void boundServiceNameTagsTheThreadsLinesAsPostfixDoes() {
        List<String> lines = new ArrayList<>();
        LogSink sink = (severity, tag, message) -> lines.add(severity + " " + tag + ": " + message);
        MailLog.setSink(sink, "jmail");
        try {
            long pid = MailLog.pid();
            SmtpdLog.bind("postfix/submission");
            SmtpdLog.INSTANCE.warn("unknown[192.0.2.1]: SASL LOGIN authentication failed: authentication failure");
            SmtpdLog.unbind();
            SmtpdLog.INSTANCE.info("connect from unknown[192.0.2.1]");
            assertEquals(List.of(
                    "4 postfix/submission/smtpd[" + pid + "]: warning: unknown[192.0.2.1]: SASL LOGIN authentication"
                            + " failed: authentication failure",
                    "6 jmail/smtpd[" + pid + "]: connect from unknown[192.0.2.1]"), lines);
        } finally {
            SmtpdLog.unbind();
            MailLog.setSink(new StderrSink(), "jmail");
        }
    }
}
