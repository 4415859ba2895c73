package org.jmail.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jmail.config.MainConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogSetupTest {

    @TempDir
    Path dir;

    @AfterEach
    void reset() {
        MailLog.setSink(new StderrSink(), "postfix");
    }

    @Test
    void withoutASyslogSocketJmailWritesTheFallbackFileItself() throws Exception {
        Path fallback = dir.resolve("mail.log");
        MainConfig c = MainConfig.of(dir, Map.of("maillog_fallback_file", fallback.toString(), "myhostname", "mx.example.tst"));
        assertEquals("file " + fallback, LogSetup.configure(c, dir.resolve("no-such-dev-log").toString()));
        MailLog.of("smtpd").info("connect from localhost[127.0.0.1]");
        ((AsyncSink) MailLog.sink()).flush();
        String line = Files.readString(fallback).strip();
        assertTrue(line.matches("[A-Z][a-z]{2} +\\d+ \\d\\d:\\d\\d:\\d\\d mx postfix/smtpd\\[\\d+\\]: connect from localhost\\[127\\.0\\.0\\.1\\]"), line);
    }

    @Test
    void maillogFileWinsOverSyslog() throws Exception {
        Path file = dir.resolve("postlog.log");
        MainConfig c = MainConfig.of(dir, Map.of("maillog_file", file.toString()));
        assertEquals("file " + file, LogSetup.configure(c, "/dev/log"));
    }

    @Test
    void syslogDatagramsCarryFacilityMailAndThePostfixTag() throws Exception {
        Path sock = dir.resolve("log.sock");
        // a datagram listener in Python stands in for rsyslogd (Java has no AF_UNIX datagrams)
        Process py = new ProcessBuilder("/usr/bin/python3", "-c",
                "import socket,sys\ns=socket.socket(socket.AF_UNIX,socket.SOCK_DGRAM)\ns.bind(sys.argv[1])\n"
                        + "print('ready',flush=True)\nprint(s.recv(4096).decode(),flush=True)\n", sock.toString()).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(py.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("ready", r.readLine());
        MainConfig c = MainConfig.of(dir, Map.of("syslog_name", "jmail"));
        assertEquals("syslog", LogSetup.configure(c, sock.toString()));
        MailLog.of("local").warn("test line");
        String got = r.readLine();
        py.waitFor(5, TimeUnit.SECONDS);
        // <20> = facility mail (2) * 8 + warning (4)
        assertTrue(got.matches("<20>[A-Z][a-z]{2} +\\d+ \\d\\d:\\d\\d:\\d\\d jmail/local\\[\\d+\\]: warning: test line"), got);
    }
}
