package org.jmail.local;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jmail.config.MainConfig;
import org.jmail.table.LookupTable;

/** A temp-dir instance of local(8): spool, queue, aliases in a map, a recording cleanup. */
final class LocalHarness {

    final Path dir;
    final Path spool;
    final Path queue;
    final Path aliasFile;
    final Map<String, String> aliases = new HashMap<>();
    final Map<String, String> conf = new HashMap<>();
    final FakeCleanup cleanup = new FakeCleanup();
    private int ids;

    LocalHarness(Path dir) throws IOException {
        this.dir = dir;
        this.spool = Files.createDirectories(dir.resolve("spool"));
        this.queue = Files.createDirectories(dir.resolve("queue"));
        this.aliasFile = dir.resolve("aliases");
        Files.writeString(aliasFile, "# aliases live in the test's map\n");
        conf.put("myhostname", "host.example");
        conf.put("mydomain", "example");
        conf.put("myorigin", "host.example");
        conf.put("mydestination", "host.example, localhost");
        conf.put("mail_spool_directory", spool.toString());
        conf.put("queue_directory", queue.toString());
        conf.put("alias_maps", "texthash:" + aliasFile);
        conf.put("forward_path", ""); // never read the real ~root/.forward
        conf.put("deliver_lock_attempts", "1");
        conf.put("deliver_lock_delay", "1s");
    }

    LookupTable table() {
        return new LookupTable() {
            @Override
            public String find(String key) {
                return aliases.get(key);
            }

            @Override
            public String spec() {
                return "texthash:" + aliasFile;
            }
        };
    }

    LocalDeliveryAgent agent() {
        LookupTable t = table();
        return new LocalDeliveryAgent(MainConfig.of(dir, conf), cleanup, null, value -> List.of(t));
    }

    FakeRequest request(String content, String... rcpts) {
        return new FakeRequest("Q" + (++ids), "sender@remote.example", content, rcpts);
    }

    FakeRequest deliver(String content, String... rcpts) {
        FakeRequest r = request(content, rcpts);
        LocalDeliveryAgent a = agent();
        a.deliver(r);
        a.afterCommit(r);
        return r;
    }

    Path mbox(String user) {
        return spool.resolve(user);
    }

    String read(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.UTF_8);
    }

    /** Runs python3 over an mbox: one line per message, "from|Header1|Header2|...|payload". */
    static List<String> pythonMessages(Path mbox, String... headers) throws Exception {
        StringBuilder code = new StringBuilder("import mailbox,sys\nfor m in mailbox.mbox(sys.argv[1]):\n"
                + " f=[m.get_from()]\n");
        for (String h : headers) {
            code.append(" f.append(str(m.get('").append(h).append("')))\n");
        }
        code.append(" f.append(repr(m.get_payload()))\n print('|'.join(f))\n");
        Process p = new ProcessBuilder("python3", "-c", code.toString(), mbox.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        List<String> lines = new ArrayList<>();
        for (String l : out.split("\n")) {
            if (!l.isEmpty()) {
                lines.add(l);
            }
        }
        return lines;
    }
}
