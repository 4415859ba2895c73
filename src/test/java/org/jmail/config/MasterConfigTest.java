package org.jmail.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MasterConfigTest {

    @TempDir
    Path dir;

    @Test
    void parsesServicesHostPortFormsAndOverrides() throws Exception {
        Files.writeString(dir.resolve("master.cf"), String.join("\n",
                "# comment",
                "smtp      inet  n       -       y       -       -       smtpd",
                "127.0.0.1:2525 inet n - n - - smtpd",
                "submission inet n       -       y       -       -       smtpd",
                "  -o syslog_name=postfix/submission",
                "  -o smtpd_tls_security_level=encrypt",
                "[::1]:2526 inet n - n - 10 smtpd",
                "pickup    unix  n       -       y       60      1       pickup",
                ""));
        MasterConfig m = MasterConfig.load(dir);
        assertEquals(List.of(), m.problems());
        List<MasterService> s = m.services();
        assertEquals(5, s.size());
        assertEquals(25, s.get(0).port());
        assertNull(s.get(0).host());
        assertEquals("127.0.0.1", s.get(1).host());
        assertEquals(2525, s.get(1).port());
        assertEquals(587, s.get(2).port());
        assertEquals(Map.of("syslog_name", "postfix/submission", "smtpd_tls_security_level", "encrypt"), s.get(2).overrides());
        assertEquals("::1", s.get(3).host());
        assertEquals("10", s.get(3).maxproc());
        assertEquals("unix", s.get(4).type());
    }

    @Test
    void badLinesAreReportedWithFileAndLine() throws Exception {
        Files.writeString(dir.resolve("master.cf"), "smtp inet n -\nfoo:99999 inet n - n - - smtpd\nsmtp inet n - n - x smtpd\n");
        MasterConfig m = MasterConfig.load(dir);
        assertEquals(3, m.problems().size());
        assertTrue(m.problems().get(0).toString().endsWith("master.cf:1: expected 8 or more fields (service type private unpriv chroot wakeup maxproc command), found 4"));
        assertEquals(2, m.problems().get(1).line());
        assertEquals(3, m.problems().get(2).line());
        assertEquals(0, m.services().size());
    }
}
