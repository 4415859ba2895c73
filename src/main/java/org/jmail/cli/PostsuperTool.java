package org.jmail.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jmail.config.MainConfig;
import org.jmail.log.LogSetup;
import org.jmail.log.MailLog;
import org.jmail.master.PidFile;
import org.jmail.pickup.Maildrop;
import org.jmail.posix.Posix;
import org.jmail.queue.MailQueue;
import org.jmail.queue.QueueIds;

/**
 * postsuper(1): {@code postsuper [-c dir] [-d ID|ALL|-] [-h ID|ALL|-] [-H ID|ALL|-] [-r ID|ALL|-]
 * [-p] [-s] [-v] [queue...]}, Postfix's semantics and words:
 * <ul>
 * <li>{@code -d}: delete from hold, incoming, active, deferred (or the named queues);</li>
 * <li>{@code -h}: move from incoming, active, deferred to hold;</li>
 * <li>{@code -H}: move from hold to deferred (picked up at the next queue run or
 *     {@code postqueue -f});</li>
 * <li>{@code -r}: move to maildrop/ (mtime now), where pickup copies the undelivered
 *     recipients into a new queue file through cleanup, so rewriting applies again.</li>
 * </ul>
 * Each message is logged ({@code ID: removed}, {@code placed on hold}, {@code released from
 * hold}, {@code requeued}) and the totals go to stderr and the log: {@code postsuper:
 * Deleted: 3 messages}. Only root may run it.
 *
 * <p><b>While the daemon runs</b> everything is a rename or unlink that the queue manager
 * tolerates (it finds files gone or moved and goes on), as with Postfix. One exception:
 * jmail's queue manager records delivery results by path, so a message in the active queue
 * (being delivered right now) is not held or requeued while the daemon runs — that could
 * deliver to some recipients twice; a warning says so and the command can be repeated.
 * Deleting it is allowed (a delivery in progress may still complete, as with Postfix).
 * {@code -p} (also done when no other action is given) removes maildrop files older than a
 * day that never became ready, and stale temporary/reply files; {@code -s} is accepted and
 * does nothing: jmail's queue has no hashed directories nor inode-named files to repair.
 */
final class PostsuperTool {

    private static final MailLog LOG = MailLog.of("postsuper");
    private static final List<String> DELETE_QUEUES = List.of(MailQueue.HOLD, MailQueue.INCOMING, MailQueue.ACTIVE,
            MailQueue.DEFERRED);
    private static final List<String> HOLD_QUEUES = List.of(MailQueue.INCOMING, MailQueue.ACTIVE, MailQueue.DEFERRED);
    private static final List<String> RELEASE_QUEUES = List.of(MailQueue.HOLD);
    private static final List<String> REQUEUE_QUEUES = DELETE_QUEUES;

    private final Path queueDir;
    private final boolean daemonRunning;
    private int deleted;
    private int held;
    private int released;
    private int requeued;

    private PostsuperTool(Path queueDir, boolean daemonRunning) {
        this.queueDir = queueDir;
        this.daemonRunning = daemonRunning;
    }

    static int run(String[] args) throws Exception {
        ToolOptions o;
        try {
            o = ToolOptions.parse(args, "c:d:h:H:pr:sv");
        } catch (ToolOptions.UsageException e) {
            System.err.println("postsuper: " + e.getMessage());
            return usage();
        }
        if (!Posix.isRoot()) {
            System.err.println("postsuper: fatal: use of this command is reserved for the superuser");
            return 1;
        }
        String conf = null;
        List<String> delete = new ArrayList<>();
        List<String> hold = new ArrayList<>();
        List<String> release = new ArrayList<>();
        List<String> requeue = new ArrayList<>();
        boolean purge = false;
        for (ToolOptions.Option opt : o.options()) {
            switch (opt.name()) {
                case 'c' -> {
                    if (!opt.arg().startsWith("/")) {
                        System.err.println("postsuper: fatal: -c requires absolute pathname");
                        return 1;
                    }
                    conf = opt.arg();
                }
                case 'd' -> delete.add(opt.arg());
                case 'h' -> hold.add(opt.arg());
                case 'H' -> release.add(opt.arg());
                case 'r' -> requeue.add(opt.arg());
                case 'p' -> purge = true;
                default -> {
                    // -s -v: jmail's queue has no hashed directories or inode names to fix
                }
            }
        }
        for (String q : o.operands()) {
            if (!MailQueue.QUEUES.contains(q) && !Maildrop.NAME.equals(q)) {
                System.err.println("postsuper: fatal: invalid directory name: " + q);
                return 1;
            }
        }
        MainConfig config = MainConfig.load(ConfigDirs.resolve(conf));
        LogSetup.configure(config);
        PostsuperTool t = new PostsuperTool(Path.of(config.get("queue_directory")),
                PidFile.of(config).runningPid() > 0);
        try {
            List<String> named = o.operands();
            t.apply(delete, named.isEmpty() ? DELETE_QUEUES : named, t::deleteOne);
            t.apply(requeue, named.isEmpty() ? REQUEUE_QUEUES : named, t::requeueOne);
            t.apply(hold, named.isEmpty() ? HOLD_QUEUES : named, t::holdOne);
            t.apply(release, named.isEmpty() ? RELEASE_QUEUES : named, t::releaseOne);
            if (purge || delete.isEmpty() && hold.isEmpty() && release.isEmpty() && requeue.isEmpty()) {
                t.purgeTemporaryFiles(); // Postfix: -p, and part of the default action
            }
            t.report(!requeue.isEmpty(), !delete.isEmpty(), !hold.isEmpty(), !release.isEmpty());
        } finally {
            MailLog.sink().close();
        }
        return 0;
    }

    private static int usage() {
        System.err.println("postsuper: fatal: usage: postsuper [-c config_dir] [-d queue_id (delete)] "
                + "[-h queue_id (hold)] [-H queue_id (un-hold)] [-p (purge temporary files)] "
                + "[-r queue_id (requeue)] [-s (structure fix)] [-v (verbose)] [queue...]");
        return 1;
    }

    /** One message operation: true when the message was found in one of the queues. */
    private interface Operation {
        boolean apply(List<String> queues, String id) throws IOException;
    }

    private void apply(List<String> ids, List<String> queues, Operation op) throws IOException {
        if (ids.isEmpty()) {
            return;
        }
        if (ids.contains("ALL")) { // other IDs are ignored, without a word since Postfix 3.7
            for (String q : queues) {
                for (String id : list(q)) {
                    op.apply(List.of(q), id);
                }
            }
            return;
        }
        for (String id : ids) {
            if (id.equals("-")) {
                BufferedReader r = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
                String line;
                while ((line = r.readLine()) != null) {
                    one(op, queues, line.strip());
                }
            } else {
                one(op, queues, id);
            }
        }
    }

    private void one(Operation op, List<String> queues, String id) throws IOException {
        if (id.isEmpty()) {
            return;
        }
        if (!postfixQueueIdSyntax(id)) {
            warn("invalid mail queue id: " + id);
            return;
        }
        if (QueueIds.isQueueId(id)) {
            op.apply(queues, id);
        } // else well-formed for Postfix but never one of jmail's: not found, silently
    }

    /** Postfix's mail_queue_id_ok(): letters, digits and '_', at most 255 of them. */
    static boolean postfixQueueIdSyntax(String id) {
        if (id.isEmpty() || id.length() > 255) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    private List<String> list(String queue) throws IOException {
        List<String> out = new ArrayList<>();
        Path d = queueDir.resolve(queue);
        if (!Files.isDirectory(d)) {
            return out;
        }
        try (var ds = Files.newDirectoryStream(d)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (QueueIds.isQueueId(n)) {
                    out.add(n);
                }
            }
        }
        out.sort(null);
        return out;
    }

    private boolean deleteOne(List<String> queues, String id) throws IOException {
        for (String q : queues) {
            if (Files.deleteIfExists(queueDir.resolve(q).resolve(id))) {
                LOG.info(id + ": removed");
                deleted++;
                return true;
            }
        }
        return false;
    }

    private boolean holdOne(List<String> queues, String id) throws IOException {
        for (String q : queues) {
            if (q.equals(MailQueue.HOLD) || q.equals(Maildrop.NAME) || q.equals(MailQueue.CORRUPT)) {
                continue; // Postfix: never mix unsanitized maildrop mail into hold
            }
            if (busy(q, id, "held")) {
                return false;
            }
            if (rename(q, id, MailQueue.HOLD, id)) {
                LOG.info(id + ": placed on hold");
                held++;
                return true;
            }
        }
        return false;
    }

    private boolean releaseOne(List<String> queues, String id) throws IOException {
        if (queues.contains(MailQueue.HOLD) && rename(MailQueue.HOLD, id, MailQueue.DEFERRED, id)) {
            LOG.info(id + ": released from hold");
            released++;
            return true;
        }
        return false;
    }

    private boolean requeueOne(List<String> queues, String id) throws IOException {
        for (String q : queues) {
            if (q.equals(Maildrop.NAME) || q.equals(MailQueue.CORRUPT)) {
                continue;
            }
            if (busy(q, id, "requeued")) {
                return false;
            }
            Path target = Maildrop.of(queueDir).resolve(id);
            if (rename(q, id, Maildrop.NAME, id)) {
                try {
                    Instant now = Instant.now();
                    Files.setLastModifiedTime(target, FileTime.from(now));
                    // the ready mode pickup waits for (queue files are 0600)
                    Files.setAttribute(target, "unix:mode", 0700);
                } catch (IOException e) {
                    warn(target + ": reset time stamps: " + e.getMessage());
                }
                LOG.info(id + ": requeued");
                requeued++;
                return true;
            }
        }
        return false;
    }

    /** Active (or incoming) messages belong to the running daemon: see the class comment. */
    private boolean busy(String queue, String id, String what) {
        if (daemonRunning && (queue.equals(MailQueue.ACTIVE) || queue.equals(MailQueue.INCOMING))
                && Files.exists(queueDir.resolve(queue).resolve(id))) {
            warn(id + ": message is being delivered (" + queue + " queue); not " + what + " while the mail system runs"
                    + " -- try again in a moment");
            return true;
        }
        return false;
    }

    private boolean rename(String fromQueue, String id, String toQueue, String toName) throws IOException {
        Path from = queueDir.resolve(fromQueue).resolve(id);
        Path to = queueDir.resolve(toQueue).resolve(toName);
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (NoSuchFileException e) {
            if (!Files.exists(from)) {
                return false; // not in this queue, or lost a race
            }
            Files.createDirectories(to.getParent());
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
            return true;
        }
    }

    /**
     * Removes maildrop files that never became ready (a sendmail killed while writing) and
     * stale reply/temporary files, once older than a day, as Postfix's MAX_TEMP_AGE.
     */
    private void purgeTemporaryFiles() throws IOException {
        Path md = Maildrop.of(queueDir);
        if (!Files.isDirectory(md)) {
            return;
        }
        long cutoff = System.currentTimeMillis() - 24L * 3600 * 1000;
        try (var ds = Files.newDirectoryStream(md)) {
            for (Path p : ds) {
                try {
                    var st = Files.readAttributes(p, "unix:mode,lastModifiedTime", java.nio.file.LinkOption.NOFOLLOW_LINKS);
                    boolean ready = ((Integer) st.get("mode") & 07777) == 0700;
                    boolean old = ((FileTime) st.get("lastModifiedTime")).toMillis() < cutoff;
                    String n = p.getFileName().toString();
                    if (old && (!ready || n.startsWith(".") || n.endsWith(Maildrop.REPLY_SUFFIX))) {
                        Files.deleteIfExists(p);
                    }
                } catch (NoSuchFileException gone) {
                    // taken meanwhile
                }
            }
        }
    }

    /** Postfix 3.7 reports each requested operation, also when it found nothing ("Deleted: 0 messages"). */
    private void report(boolean requeue, boolean delete, boolean hold, boolean release) {
        info(requeue, requeued, "Requeued");
        info(delete, deleted, "Deleted");
        info(hold, held, "Placed on hold");
        info(release, released, "Released from hold");
    }

    private static void info(boolean requested, int n, String what) {
        if (requested) {
            String text = what + ": " + n + " message" + (n == 1 ? "" : "s");
            System.err.println("postsuper: " + text);
            LOG.info(text);
        }
    }

    private static void warn(String text) {
        System.err.println("postsuper: warning: " + text);
        LOG.warn(text);
    }
}
