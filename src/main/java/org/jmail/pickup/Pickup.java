package org.jmail.pickup;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jmail.cleanup.CleanupException;
import org.jmail.cleanup.CleanupService;
import org.jmail.config.MainConfig;
import org.jmail.log.MailLog;
import org.jmail.posix.Posix;
import org.jmail.posix.UnixUser;
import org.jmail.queue.MailQueue;
import org.jmail.showq.QueueListing;

/**
 * Postfix's pickup(8): takes the messages sendmail(1) left in {@code maildrop/} (see
 * {@link Maildrop}) into the queue through cleanup, plus the requests postqueue(1) leaves
 * there for users who cannot touch the queue ({@code flush-*}, {@code showq-*}).
 *
 * <p><b>When.</b> The directory is watched (inotify through {@link WatchService}: a file
 * created, written or chmod'ed is looked at at once), scanned completely at start-up and
 * every {@code pickup_rescan_time} (60 s; covers lost events and retries after errors).
 *
 * <p><b>Trust.</b> The submitting user is the file's owner, never anything in the file. A
 * file is taken only when it is a regular file with one link and mode 0700 (ready); symlinks
 * and hard links are removed with a warning. Queue files that postsuper -r moved here are
 * recognised by their format and accepted only from the daemon's own uid.
 * {@code authorized_submit_users} (default {@code static:anyone}) may list the login names
 * allowed to submit; others' files are removed with a warning.
 *
 * <p><b>Durability.</b> The maildrop file is deleted only after cleanup committed the queue
 * file (fsync'd); a crash in between submits the message again (at least once). A file that
 * is not in the maildrop format goes to {@code corrupt/}; a message cleanup refuses (5xx) or
 * without recipients is logged and removed; an I/O or 4xx failure leaves the file for the
 * next scan.
 *
 * <p>Log lines: cleanup's {@code pickup[pid]: ID: uid=1000 from=<alex>}, then cleanup's own.
 * Thread-safe; a small pool processes files in parallel so cleanup's group commit can share
 * directory fsyncs.
 */
public final class Pickup implements AutoCloseable {

    private static final MailLog LOG = MailLog.of("pickup");
    private static final int WORKERS = 4;

    private final MailQueue queue;
    private final Path maildrop;
    private final Supplier<CleanupService> cleanup;
    private final Runnable flush;
    private final Runnable wake;
    private final Set<String> inProgress = ConcurrentHashMap.newKeySet();
    /** Names that had events while a worker held them: looked at again when it is done (the chmod that makes a file ready often arrives then). */
    private final Set<String> again = ConcurrentHashMap.newKeySet();
    private final int selfUid = Posix.geteuid();
    private volatile Settings settings;
    private volatile boolean running;
    private WatchService watcher;
    private Thread thread;
    private ExecutorService workers;

    /**
     * @param config  main.cf: myhostname, myorigin, mail_name, authorized_submit_users,
     *                authorized_mailq_users, pickup_rescan_time (jmail's: 60s)
     * @param queue   the opened queue (maildrop/ is created under its directory)
     * @param cleanup the current cleanup (it changes on reload)
     * @param flush   retries all deferred mail now (the queue manager's flush)
     * @param wake    makes the queue manager look at active/ (after postqueue -i moved a file there)
     */
    public Pickup(MainConfig config, MailQueue queue, Supplier<CleanupService> cleanup, Runnable flush, Runnable wake) {
        this.queue = queue;
        this.maildrop = Maildrop.of(queue.directory());
        this.cleanup = cleanup;
        this.flush = flush;
        this.wake = wake;
        this.settings = new Settings(config);
    }

    /** New main.cf values for the next files. */
    public void reload(MainConfig config) {
        settings = new Settings(config);
    }

    /** Creates maildrop/ (1733), starts watching, and scans what is already there. */
    public synchronized void start() throws IOException {
        if (running) {
            return;
        }
        Maildrop.ensure(queue.directory());
        watcher = maildrop.getFileSystem().newWatchService();
        maildrop.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
        ThreadPoolExecutor pool = new ThreadPoolExecutor(WORKERS, WORKERS, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "pickup-worker");
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        workers = pool;
        running = true;
        thread = new Thread(this::loop, "pickup");
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops watching; files being processed are finished (up to 10 s). */
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        try {
            watcher.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        try {
            thread.join(2000);
            workers.shutdown();
            workers.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }

    private void loop() {
        long nextScan = 0;
        while (running) {
            try {
                long now = System.nanoTime();
                if (now - nextScan >= 0) {
                    scan();
                    nextScan = System.nanoTime() + settings.rescanNanos;
                }
                WatchKey key = watcher.poll(Math.max(1, (nextScan - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
                if (key == null) {
                    continue;
                }
                for (WatchEvent<?> ev : key.pollEvents()) {
                    if (ev.kind() == StandardWatchEventKinds.OVERFLOW) {
                        nextScan = System.nanoTime();
                        continue;
                    }
                    Object ctx = ev.context();
                    if (ctx instanceof Path p) {
                        submitWork(p.getFileName().toString());
                    }
                }
                if (!key.reset()) {
                    LOG.warn("maildrop directory " + maildrop + " is no longer watched; scanning every "
                            + settings.rescanNanos / 1_000_000_000L + "s");
                    Thread.sleep(settings.rescanNanos / 1_000_000);
                    nextScan = System.nanoTime();
                }
            } catch (java.nio.file.ClosedWatchServiceException e) {
                return;
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.error("pickup: " + e);
            }
        }
    }

    /** Looks at every file in maildrop/ (start-up, rescans, lost events). */
    void scan() {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(maildrop)) {
            for (Path p : ds) {
                submitWork(p.getFileName().toString());
            }
        } catch (IOException e) {
            LOG.warn("scan " + maildrop + ": " + e.getMessage());
        }
    }

    private void submitWork(String name) {
        if (!wanted(name)) {
            return;
        }
        // mark first, then claim: a worker that releases the name afterwards sees the mark
        again.add(name);
        if (!inProgress.add(name)) {
            return;
        }
        again.remove(name);
        try {
            workers.execute(() -> {
                try {
                    process(name);
                } catch (RuntimeException | LinkageError e) {
                    LOG.error("maildrop/" + name + ": " + e);
                } finally {
                    inProgress.remove(name);
                    if (again.remove(name) && running) {
                        submitWork(name);
                    }
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            inProgress.remove(name);
        }
    }

    private static boolean wanted(String name) {
        return !name.isEmpty() && name.charAt(0) != '.' && !name.endsWith(Maildrop.REPLY_SUFFIX);
    }

    /** Handles one file if it is ready; public for tests that drive pickup without a watcher. */
    void process(String name) {
        Path p = maildrop.resolve(name);
        Map<String, Object> st;
        try {
            st = Files.readAttributes(p, "unix:mode,uid,nlink,ino", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException gone) {
            return;
        } catch (IOException e) {
            LOG.warn("maildrop/" + name + ": " + e.getMessage());
            return;
        }
        int mode = (Integer) st.get("mode");
        int uid = (Integer) st.get("uid");
        if ((mode & 0170000) != 0100000) {
            LOG.warn("maildrop/" + name + ": not a regular file; removed");
            delete(p);
            return;
        }
        if ((mode & 07777) != Maildrop.READY_MODE) {
            return; // still being written; the chmod brings us back
        }
        if ((Integer) st.get("nlink") != 1) {
            LOG.warn("maildrop/" + name + ": uid=" + uid + ": file has " + st.get("nlink") + " links; removed");
            delete(p);
            return;
        }
        if (name.startsWith(Maildrop.FLUSH_PREFIX)) {
            flushRequest(p, uid);
            return;
        }
        if (name.startsWith(Maildrop.SHOWQ_PREFIX)) {
            showqRequest(p, name, uid);
            return;
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS), 65536)) {
            in.mark(8);
            byte[] magic = in.readNBytes(4);
            in.reset();
            if (magic.length == 4 && magic[0] == 'J' && magic[1] == 'M' && magic[2] == 'Q' && magic[3] == '1') {
                in.close();
                if (uid != selfUid) {
                    corrupt(name, "uid=" + uid + ": queue file format from an untrusted user");
                    return;
                }
                requeue(name);
                return;
            }
            pickup(p, name, uid, in);
        } catch (NoSuchFileException gone) {
            // taken by a concurrent scan
        } catch (IOException e) {
            LOG.warn("maildrop/" + name + ": uid=" + uid + ": " + e.getMessage() + "; will retry");
        }
    }

    private void pickup(Path p, String name, int uid, InputStream in) throws IOException {
        UnixUser user = Posix.getpwuid(uid);
        if (user == null) {
            corrupt(name, "uid=" + uid + ": no login name found for user ID " + uid);
            return;
        }
        Settings s = settings;
        if (!s.submitUsers.permits(user.name())) {
            LOG.warn("maildrop/" + name + ": User " + user.name() + "(" + uid + ") is not allowed to submit mail; removed");
            delete(p);
            return;
        }
        MaildropFile env;
        try {
            env = MaildropFile.readEnvelope(in);
        } catch (MaildropFile.Malformed e) {
            corrupt(name, "uid=" + uid + ": " + e.getMessage());
            return;
        }
        Submission sub = new Submission(cleanup.get(), s.myhostname, s.myorigin, s.mailName);
        try {
            sub.submit(env, in, user.name(), uid, user.gecos());
        } catch (Submission.NoRecipients e) {
            LOG.warn("maildrop/" + name + ": " + user.name() + "(" + uid + "): " + e.getMessage() + "; removed");
        } catch (CleanupException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("4")) {
                LOG.warn("maildrop/" + name + ": uid=" + uid + ": " + e.getMessage() + "; will retry");
                return;
            }
            LOG.warn("maildrop/" + name + ": uid=" + uid + ": message rejected: " + e.getMessage() + "; removed");
        }
        delete(p);
    }

    /** A queue file postsuper -r moved here: submit its pending recipients as a new message. */
    private void requeue(String name) {
        try {
            new Requeue(cleanup.get(), queue).submit(Maildrop.NAME, name);
            delete(maildrop.resolve(name));
        } catch (org.jmail.queue.CorruptQueueFileException e) {
            corrupt(name, e.getMessage());
        } catch (IOException e) {
            LOG.warn("maildrop/" + name + ": requeue: " + e.getMessage() + "; will retry");
        } catch (CleanupException e) {
            LOG.warn("maildrop/" + name + ": requeue: " + e.getMessage());
            if (!e.getMessage().startsWith("4")) {
                corrupt(name, "message rejected");
            }
        }
    }

    /** postqueue -f (empty file) or -i ID (one queue id per line). */
    private void flushRequest(Path p, int uid) {
        String body;
        try {
            body = Files.readString(p, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            body = "";
        }
        delete(p);
        Settings s = settings;
        UnixUser user = Posix.getpwuid(uid);
        if (uid != 0 && uid != selfUid && !s.flushUsers.permits(user == null ? "" : user.name())) {
            LOG.warn("uid=" + uid + ": not allowed to flush the mail queue");
            return;
        }
        if (body.isBlank()) {
            flush.run();
            return;
        }
        boolean moved = false;
        for (String id : body.split("\\s+")) {
            if (!org.jmail.queue.QueueIds.isQueueId(id)) {
                continue;
            }
            try {
                Files.move(queue.path(MailQueue.DEFERRED, id), queue.path(MailQueue.ACTIVE, id),
                        StandardCopyOption.ATOMIC_MOVE);
                moved = true;
            } catch (IOException e) {
                // not deferred (any more): nothing to schedule
            }
        }
        if (moved) {
            wake.run();
        }
    }

    /** mailq for users who cannot read the queue: the listing goes into a reply file they own. */
    private void showqRequest(Path p, String name, int uid) {
        delete(p);
        Settings s = settings;
        UnixUser user = Posix.getpwuid(uid);
        String text;
        if (uid != 0 && uid != selfUid && !s.mailqUsers.permits(user == null ? "" : user.name())) {
            text = "!User " + (user == null ? "" : user.name()) + "(" + uid + ") is not allowed to view the mail queue\n";
        } else {
            try {
                text = new QueueListing(queue.directory()).text(name.endsWith("-j"));
            } catch (IOException e) {
                text = "!" + e.getMessage() + "\n";
            }
        }
        Path tmp = maildrop.resolve("." + name + Maildrop.REPLY_SUFFIX);
        try {
            Files.deleteIfExists(tmp);
            Files.write(tmp, text.getBytes(StandardCharsets.UTF_8), java.nio.file.StandardOpenOption.CREATE_NEW,
                    java.nio.file.StandardOpenOption.WRITE);
            Files.setAttribute(tmp, "unix:mode", 0600, LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(tmp, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
            Files.move(tmp, maildrop.resolve(name + Maildrop.REPLY_SUFFIX), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.warn("maildrop/" + name + ": cannot write the queue listing: " + e.getMessage());
            delete(tmp);
        }
    }

    private void corrupt(String name, String why) {
        LOG.warn("maildrop/" + name + ": " + why);
        try {
            Files.move(maildrop.resolve(name), queue.path(MailQueue.CORRUPT, name), StandardCopyOption.REPLACE_EXISTING);
            LOG.warn("saving corrupt file \"" + name + "\" from queue \"" + Maildrop.NAME + "\" to queue \""
                    + MailQueue.CORRUPT + "\"");
        } catch (IOException e) {
            LOG.error("save corrupt file queue " + Maildrop.NAME + " id " + name + ": " + e.getMessage());
            delete(maildrop.resolve(name));
        }
    }

    private static void delete(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.error("remove " + p + ": " + e.getMessage());
        }
    }

    /** The main.cf values pickup uses, read once per configuration. */
    private static final class Settings {
        final String myhostname;
        final String myorigin;
        final String mailName;
        final UserList submitUsers;
        final UserList mailqUsers;
        final UserList flushUsers;
        final long rescanNanos;

        Settings(MainConfig c) {
            myhostname = c.get("myhostname");
            myorigin = c.get("myorigin").isEmpty() ? myhostname : c.get("myorigin");
            mailName = c.get("mail_name").isEmpty() ? "jmail" : c.get("mail_name");
            submitUsers = UserList.of("authorized_submit_users", c.get("authorized_submit_users"));
            mailqUsers = UserList.of("authorized_mailq_users", c.get("authorized_mailq_users"));
            flushUsers = UserList.of("authorized_flush_users", c.get("authorized_flush_users"));
            long secs = 60;
            String v = c.get("pickup_rescan_time").strip();
            if (!v.isEmpty()) {
                try {
                    secs = Math.max(1, MainConfig.parseTime(v, 's').toSeconds());
                } catch (RuntimeException e) {
                    LOG.warn("bad time configuration: pickup_rescan_time = " + v);
                }
            }
            rescanNanos = secs * 1_000_000_000L;
        }
    }
}
