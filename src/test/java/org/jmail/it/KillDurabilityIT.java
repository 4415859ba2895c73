package org.jmail.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * SIGKILL under load: every message the daemon acknowledged with 250 is delivered after a
 * restart, and none is delivered twice.
 */
class KillDurabilityIT {

    @Test
    void sigkillUnderLoadLosesNothingAcknowledgedAndDuplicatesNothing() throws Exception {
        TestUsers.ensure("jmtest1");
        try (JmailInstance j = new JmailInstance()) {
            j.start();
            Process sender = new ProcessBuilder("/usr/bin/python3", Mbox.script("send_many.py").toString(),
                    "127.0.0.1", Integer.toString(j.smtpPort), "600", "8", "jmtest1@example.tst", "3000")
                    .redirectErrorStream(true).start();
            Set<String> acked = new HashSet<>();
            long pid = j.pid();
            boolean killed = false;
            try (BufferedReader r = new BufferedReader(new InputStreamReader(sender.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith("ACK ")) {
                        acked.add(line.split(" ")[1]);
                    }
                    if (!killed && acked.size() >= 150) {
                        // kill while sessions are mid-DATA and deliveries are mid-append
                        assertEquals(0, JmailInstance.run(List.of("kill", "-9", Long.toString(pid)), null).status());
                        killed = true;
                    }
                }
            }
            sender.waitFor();
            assertTrue(killed, "the load ended before the kill: only " + acked.size() + " acks");
            JmailInstance.waitFor(10_000, () -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
            j.start();
            Pattern subj = Pattern.compile("^Subject: (tok\\d{6})$", Pattern.MULTILINE);
            Map<String, Integer> seen = new HashMap<>();
            JmailInstance.waitFor(60_000, () -> {
                try {
                    seen.clear();
                    if (Files.exists(j.mailbox("jmtest1"))) {
                        Matcher m = subj.matcher(Files.readString(j.mailbox("jmtest1"), StandardCharsets.ISO_8859_1));
                        while (m.find()) {
                            seen.merge(m.group(1), 1, Integer::sum);
                        }
                    }
                    return seen.keySet().containsAll(acked);
                } catch (Exception e) {
                    return false;
                }
            });
            Thread.sleep(2000); // let any duplicate show up
            seen.clear();
            Matcher m = subj.matcher(Files.readString(j.mailbox("jmtest1"), StandardCharsets.ISO_8859_1));
            while (m.find()) {
                seen.merge(m.group(1), 1, Integer::sum);
            }
            Set<String> lost = new HashSet<>(acked);
            lost.removeAll(seen.keySet());
            assertTrue(lost.isEmpty(), "acknowledged but lost: " + lost.size() + " e.g. " + lost.stream().limit(5).toList());
            List<String> dup = seen.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
            assertTrue(dup.isEmpty(), "delivered twice: " + dup);
            // the mbox is still well-formed for a standard reader
            assertEquals(Mbox.count(j.mailbox("jmtest1")), Mbox.read(j.mailbox("jmtest1")).size());
        }
    }
}
