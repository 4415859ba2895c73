package org.jmail.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What Python's mailbox module sees in an mbox file: one parsed map per message. */
final class Mbox {

    private Mbox() {
    }

    static Path script(String name) {
        return Path.of("src/test/resources/it", name).toAbsolutePath();
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> read(Path mbox) throws Exception {
        if (!Files.exists(mbox)) {
            return List.of();
        }
        JmailInstance.Result r = JmailInstance.run(List.of("/usr/bin/python3", script("mbox_summary.py").toString(), mbox.toString()), null);
        if (r.status() != 0) {
            throw new AssertionError("mailbox module failed on " + mbox + ": " + r.output());
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (String line : r.output().split("\n")) {
            if (!line.isBlank()) {
                out.add((Map<String, Object>) Json.parse(line));
            }
        }
        return out;
    }

    /** Number of "From " separator lines, as smtp_load's mboxcount counts. */
    static int count(Path mbox) throws Exception {
        if (!Files.exists(mbox)) {
            return 0;
        }
        int n = 0;
        for (String l : Files.readAllLines(mbox, java.nio.charset.StandardCharsets.ISO_8859_1)) {
            if (l.startsWith("From ")) {
                n++;
            }
        }
        return n;
    }
}
