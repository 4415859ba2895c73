package org.jmail.store.mbox;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jmail.auth.AuthUser;
import org.jmail.config.MainConfig;
import org.jmail.store.MailStore;
import org.jmail.store.Mailbox;

/**
 * Not a test: times opening (SELECT) an INBOX made by mboxgen.py, cold (no index) and warm.
 * usage: MboxOpenBenchmark DIR (DIR/inbox exists; DIR/mail is the root) [ROUNDS [ro|rw [noread]]]
 * Read-only opens, so the file is not rewritten between rounds.
 */
public final class MboxOpenBenchmark {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        boolean rw = args.length > 2 && args[2].equals("rw");
        int uid = (Integer) Files.getAttribute(dir, "unix:uid");
        int gid = (Integer) Files.getAttribute(dir, "unix:gid");
        AuthUser u = new AuthUser("bench", uid, gid, dir.toString(), "mbox:" + dir + "/mail:INBOX=" + dir + "/inbox");
        MboxMailStores stores = new MboxMailStores(MainConfig.of(dir, Map.of("mailbox_size_limit", "0")));
        // Warm what a running daemon has warm already (JNR, class loading), not the parser.
        Path tiny = Files.createTempDirectory("mbox-bench-warm");
        Files.writeString(tiny.resolve("inbox"), "From a@b  Mon Jan  5 10:00:00 2026\nSubject: x\n\nbody\n\n");
        for (Path p : new Path[] {tiny, tiny.resolve("inbox")}) {
            Files.setAttribute(p, "unix:uid", uid);
            Files.setAttribute(p, "unix:gid", gid);
        }
        AuthUser tu = new AuthUser("bench", uid, gid, tiny.toString(), "mbox:" + tiny + "/mail:INBOX=" + tiny + "/inbox");
        try (Mailbox box = stores.open(tu).open("INBOX", true)) {
            box.read(1);
        }
        try (java.util.stream.Stream<Path> w = Files.walk(tiny)) {
            w.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        for (int r = 0; r < rounds; r++) {
            Path idx = dir.resolve("mail/.imap/INBOX/jmail.index");
            boolean cold = r % 2 == 0;
            if (cold) {
                Files.deleteIfExists(idx);
            }
            long t0 = System.nanoTime();
            MailStore s = stores.open(u);
            int n;
            try (Mailbox box = s.open("INBOX", !rw)) {
                n = box.messages().size();
                long t1 = System.nanoTime();
                System.out.printf("%s open: %d messages in %.1f ms%n", cold ? "cold" : "warm", n, (t1 - t0) / 1e6);
                if (!cold && !(args.length > 3 && args[3].equals("noread"))) {
                    long h0 = System.nanoTime();
                    long bytes = 0;
                    for (org.jmail.store.StoredMessage m : box.messages()) {
                        bytes += box.readHeader(m.uid()).length;
                    }
                    long h1 = System.nanoTime();
                    for (org.jmail.store.StoredMessage m : box.messages()) {
                        bytes += box.read(m.uid()).length;
                    }
                    System.out.printf("   all headers %.1f ms, all bodies %.1f ms (%d bytes)%n", (h1 - h0) / 1e6,
                            (System.nanoTime() - h1) / 1e6, bytes);
                }
            }
            long t2 = System.nanoTime();
            System.out.printf("   (incl. close %.1f ms)%n", (t2 - t0) / 1e6);
        }
    }
}
