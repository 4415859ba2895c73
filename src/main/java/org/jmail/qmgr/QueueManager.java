package org.jmail.qmgr;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jmail.cleanup.CleanupException;
import org.jmail.cleanup.CleanupService;
import org.jmail.config.MainConfig;
import org.jmail.log.MailLog;
import org.jmail.queue.CorruptQueueFileException;
import org.jmail.queue.MailQueue;
import org.jmail.queue.QueueFile;
import org.jmail.queue.QueuedMessage;
import org.jmail.queue.QueuedRecipient;
import org.jmail.resolve.Resolution;
import org.jmail.resolve.Resolver;

/**
 * Postfix's qmgr(8): takes committed messages into the active queue, resolves each pending
 * recipient, groups recipients by transport and destination into delivery requests, runs
 * them on a bounded worker pool (see {@link Scheduler}), records the outcomes durably, and
 * then removes the message, defers it, or returns it to the sender.
 *
 * <p><b>Flow.</b> The queue's commit listener hands each new message over at once (no
 * polling); a single "qmgr" thread activates messages (logs {@code ID: from=<s>, size=N,
 * nrcpt=N (queue active)}); workers call {@link DeliveryAgent#deliver}; the worker that
 * finishes a message's last request finalizes it:
 * <ol>
 * <li>bounced recipients: a DSN is queued first ({@link BounceNotifier});</li>
 * <li>if every recipient is done, the file is unlinked (no directory fsync, as Postfix: a power
 *     loss may bring it back and deliver it again, a kill cannot), then
 *     {@link DeliveryAgent#afterCommit}, then {@code ID: removed};</li>
 * <li>else done marks and deferral reasons are appended and fdatasync'd, then afterCommit;
 *     the message then expires ({@code ID: from=<s>, status=expired, returned to sender})
 *     once older than {@code maximal_queue_lifetime} ({@code bounce_queue_lifetime} for the
 *     null sender), or goes to {@code deferred/} with its next attempt after
 *     max(minimal_backoff_time, min(age, maximal_backoff_time)), as Postfix computes it.</li>
 * </ol>
 * Every {@code queue_run_delay} the deferred queue is scanned for messages that are due.
 * A crash between a DSN being queued and the done marks being written sends that DSN again
 * after restart: a duplicate notice rather than a lost one.
 *
 * <p><b>Start-up</b> ({@link #start}): files in {@code incoming/} that no session of this
 * process has open were never acknowledged and are deleted; files in {@code active/} were in
 * flight when the daemon died and are delivered with {@link DeliveryRequest#recovered()}
 * true; {@code deferred/} is scanned at once. Unreadable files go to {@code corrupt/}.
 * Call start() before the listeners accept mail.
 *
 * <p>Transports without an agent (e.g. smtp before it exists) are deferred with
 * {@code status=deferred (mail transport unavailable)}; a resolver failure with
 * {@code (address resolver failure)}; an agent that throws, with {@code (unknown mail
 * transport error)}.
 */
public final class QueueManager {

    private static final MailLog LOG = MailLog.of("qmgr");

    private final MailQueue queue;
    private final Resolver resolver;
    private final Map<String, DeliveryAgent> agents;
    private final BounceNotifier bouncer;
    private final MainConfig config;
    private final Duration minBackoff;
    private final Duration maxBackoff;
    private final Duration queueRunDelay;
    private final Duration maxLifetime;
    private final Duration bounceLifetime;
    private final Duration delayWarning;
    private final int activeLimit;
    private final int delayDigits;
    private final Map<String, Integer> concurrencyLimits = new ConcurrentHashMap<>();
    private final Map<String, Integer> recipientLimits = new ConcurrentHashMap<>();

    private final ThreadPoolExecutor workers;
    private final Scheduler scheduler;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition signal = lock.newCondition();
    private final ArrayDeque<QueuedMessage> inbound = new ArrayDeque<>();
    private boolean overflow;
    private boolean wakeRequested;
    private boolean flushRequested;
    private final AtomicInteger active = new AtomicInteger();
    /** Ids the queue manager holds in memory (waiting or active); nobody else may pick them up. */
    private final Set<String> known = ConcurrentHashMap.newKeySet();
    /** Ids found in active/ at start-up (or whose outcome could not be recorded): in flight. */
    private final Set<String> recoveredIds = ConcurrentHashMap.newKeySet();
    private volatile boolean running;
    private boolean stopped;
    private Thread thread;

    /**
     * @param config   main.cf: minimal_backoff_time, maximal_backoff_time, queue_run_delay,
     *                 maximal_queue_lifetime, bounce_queue_lifetime, default_process_limit,
     *                 *_destination_concurrency_limit, *_destination_recipient_limit,
     *                 qmgr_message_active_limit, delay_logging_resolution_limit, and the
     *                 bounce keys (see {@link BounceNotifier})
     * @param queue    the opened queue
     * @param resolver routes each recipient to a transport and next hop
     * @param agents   delivery agents by transport name (Resolution.transport())
     * @param bounces  where DSNs are submitted (normally the same Cleanup smtpd uses)
     */
    public QueueManager(MainConfig config, MailQueue queue, Resolver resolver, Map<String, DeliveryAgent> agents,
                        CleanupService bounces) {
        this.config = config;
        this.queue = queue;
        this.resolver = resolver;
        this.agents = Map.copyOf(agents);
        this.bouncer = new BounceNotifier(config, bounces);
        this.minBackoff = time(config, "minimal_backoff_time", "300s", 's');
        this.maxBackoff = time(config, "maximal_backoff_time", "4000s", 's');
        this.queueRunDelay = time(config, "queue_run_delay", "300s", 's');
        this.maxLifetime = time(config, "maximal_queue_lifetime", "5d", 'd');
        this.bounceLifetime = time(config, "bounce_queue_lifetime", "5d", 'd');
        this.delayWarning = time(config, "delay_warning_time", "0h", 'h');
        this.activeLimit = Math.max(1, number(config, "qmgr_message_active_limit", 20000));
        this.delayDigits = number(config, "delay_logging_resolution_limit", 2);
        int processes = Math.max(1, number(config, "default_process_limit", 100));
        this.workers = new ThreadPoolExecutor(processes + 4, processes + 4, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), new WorkerThreads());
        this.workers.allowCoreThreadTimeOut(true);
        this.scheduler = new Scheduler(processes, this::concurrencyLimit, workers, this::runDelivery);
    }

    /**
     * Recovers the queue (see class comment) and starts handling mail. A stopped queue
     * manager cannot be started again; make a new one.
     */
    public synchronized void start() throws IOException {
        if (running) {
            return;
        }
        if (stopped) {
            throw new IllegalStateException("queue manager was stopped; create a new one");
        }
        for (String id : queue.list(MailQueue.INCOMING)) {
            if (!queue.isOpen(id)) {
                queue.deleteIncoming(id);
            }
        }
        recoveredIds.addAll(queue.list(MailQueue.ACTIVE));
        running = true;
        queue.setListener(this::committed);
        thread = new Thread(this::loop, "qmgr");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Stops taking new work and waits (up to 10 s) for running deliveries. Messages not
     * finished stay in active/ and are recovered at the next start.
     */
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        stopped = true;
        queue.setListener(null);
        signalLoop();
        try {
            thread.join(5000);
            workers.shutdown();
            if (!workers.awaitTermination(10, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lock.lock();
        try {
            for (QueuedMessage m : inbound) {
                m.releaseContent();
            }
            inbound.clear();
        } finally {
            lock.unlock();
        }
    }

    /** Looks for committed messages the listener did not deliver to us (Postfix's qmgr wake-up). */
    public void wake() {
        lock.lock();
        try {
            wakeRequested = true;
            signal.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Retries all deferred mail now (postqueue -f). */
    public void flush() {
        lock.lock();
        try {
            flushRequested = true;
            signal.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Messages in the active queue now. */
    public int activeCount() {
        return active.get();
    }

    // ---- intake -------------------------------------------------------------------------

    private void committed(QueuedMessage m) {
        if (!running || !known.add(m.id())) {
            m.releaseContent(); // found in active/ by a scan or at the next start
            return;
        }
        boolean direct;
        lock.lock();
        try {
            // The usual case, nothing waiting and room in the active queue: activate on the
            // committing thread, saving a hand-off to the qmgr thread (a wake-up per message).
            direct = inbound.isEmpty() && active.get() < activeLimit;
            if (direct) {
                active.incrementAndGet(); // reserved now, so that concurrent commits see it
            } else if (inbound.size() < activeLimit) {
                inbound.add(m);
            } else {
                overflow = true; // stays on disk; picked up by a scan of active/ later
                known.remove(m.id());
                m.releaseContent();
            }
            if (!direct) {
                signal.signal();
            }
        } finally {
            lock.unlock();
        }
        if (direct) {
            try {
                activate(m, true);
            } catch (RuntimeException e) {
                LOG.error(m.id() + ": activation failed: " + e);
            }
        }
    }

    private void signalLoop() {
        lock.lock();
        try {
            signal.signal();
        } finally {
            lock.unlock();
        }
    }

    private void loop() {
        Instant nextRun = Instant.now();
        while (running) {
            List<QueuedMessage> batch = new ArrayList<>();
            boolean flush;
            boolean scanActive;
            boolean run;
            lock.lock();
            try {
                while (running) {
                    long wait = Duration.between(Instant.now(), nextRun).toNanos();
                    boolean room = active.get() < activeLimit;
                    if (room && !inbound.isEmpty() || wakeRequested || flushRequested || wait <= 0
                            || overflow && inbound.isEmpty() && active.get() <= activeLimit / 2) {
                        break;
                    }
                    signal.awaitNanos(wait);
                }
                if (!running) {
                    break;
                }
                while (!inbound.isEmpty() && active.get() + batch.size() < activeLimit) {
                    batch.add(inbound.poll());
                }
                flush = flushRequested;
                flushRequested = false;
                scanActive = wakeRequested || overflow && inbound.isEmpty() && active.get() <= activeLimit / 2;
                wakeRequested = false;
                if (scanActive) {
                    overflow = false;
                }
                run = !Instant.now().isBefore(nextRun);
            } catch (InterruptedException e) {
                break;
            } finally {
                lock.unlock();
            }
            try {
                for (QueuedMessage m : batch) {
                    activate(m);
                }
                if (scanActive || flush || run) {
                    scanActive();
                }
            } catch (RuntimeException e) {
                // never let the queue manager thread die; what was not activated is found by the next run
                LOG.error("queue manager: " + e);
            }
            if (flush || run) {
                try {
                    scanDeferred(flush);
                } catch (RuntimeException e) {
                    LOG.error("queue manager: deferred queue scan: " + e);
                }
                nextRun = Instant.now().plus(queueRunDelay);
            }
        }
    }

    private void scanActive() {
        List<String> ids;
        try {
            ids = queue.list(MailQueue.ACTIVE);
        } catch (IOException e) {
            LOG.warn("scan active queue: " + e.getMessage());
            return;
        }
        for (String id : ids) {
            if (known.contains(id)) {
                continue;
            }
            if (active.get() >= activeLimit) {
                setOverflow();
                return;
            }
            if (!known.add(id)) {
                continue;
            }
            QueuedMessage m = load(MailQueue.ACTIVE, id);
            if (m == null) {
                known.remove(id);
                continue;
            }
            m.setRecovered(recoveredIds.remove(id));
            activate(m);
        }
    }

    private void scanDeferred(boolean all) {
        List<String> ids;
        try {
            ids = queue.list(MailQueue.DEFERRED);
        } catch (IOException e) {
            LOG.warn("scan deferred queue: " + e.getMessage());
            return;
        }
        Instant now = Instant.now();
        for (String id : ids) {
            if (!running || active.get() >= activeLimit) {
                return; // the rest waits for the next queue run
            }
            if (known.contains(id)) {
                continue;
            }
            try {
                if (!all && queue.nextAttempt(MailQueue.DEFERRED, id).isAfter(now)) {
                    continue;
                }
                if (!known.add(id)) {
                    continue;
                }
                queue.move(MailQueue.DEFERRED, id, MailQueue.ACTIVE);
            } catch (NoSuchFileException gone) {
                known.remove(id);
                continue;
            } catch (IOException e) {
                LOG.warn(id + ": move deferred to active: " + e.getMessage());
                known.remove(id);
                continue;
            }
            QueuedMessage m = load(MailQueue.ACTIVE, id);
            if (m == null) {
                known.remove(id);
                continue;
            }
            m.setRecovered(false);
            activate(m);
        }
    }

    private QueuedMessage load(String queueName, String id) {
        try {
            return queue.read(queueName, id);
        } catch (NoSuchFileException gone) {
            return null;
        } catch (CorruptQueueFileException | RuntimeException e) {
            LOG.warn(id + ": corrupt queue file: " + e.getMessage());
            queue.saveCorrupt(queueName, id);
            return null;
        } catch (IOException e) {
            LOG.warn(id + ": read queue file: " + e.getMessage());
            return null;
        }
    }

    private void setOverflow() {
        lock.lock();
        try {
            overflow = true;
        } finally {
            lock.unlock();
        }
    }

    // ---- activation -----------------------------------------------------------------------

    private void activate(QueuedMessage m) {
        activate(m, false);
    }

    /** @param reserved true when the caller already counted {@code m} in {@link #active} */
    private void activate(QueuedMessage m, boolean reserved) {
        if (!reserved) {
            active.incrementAndGet();
        }
        Instant now = Instant.now();
        ActiveMessage am = new ActiveMessage(m, now);
        try {
            LOG.info(m.id() + ": from=<" + m.sender() + ">, size=" + m.contentSize() + ", nrcpt="
                    + m.pendingRecipients() + " (queue active)");
            List<Delivery> requests = new ArrayList<>();
            Map<String, Delivery> open = new HashMap<>();
            for (QueuedRecipient r : m.recipients()) {
                if (r.isDone()) {
                    continue;
                }
                Resolution res;
                try {
                    res = resolver.resolve(r.address());
                } catch (IOException | RuntimeException e) {
                    res = null;
                }
                if (res == null || res.transport() == null) {
                    qmgrDefer(am, r, "4.3.0", "address resolver failure");
                    continue;
                }
                DeliveryAgent agent = agents.get(res.transport());
                if (agent == null) {
                    qmgrDefer(am, r, "4.3.0", "mail transport unavailable");
                    continue;
                }
                String address = res.recipient() == null || res.recipient().isEmpty() ? r.address() : res.recipient();
                String original = r.original() != null ? r.original() : r.address();
                int limit = recipientLimit(res.transport());
                String nexthop = res.nexthop() == null ? "" : res.nexthop();
                String key = res.transport() + '\0' + (limit == 1 ? address : nexthop).toLowerCase(Locale.ROOT);
                Delivery d = open.get(key);
                if (d == null || d.size() >= limit) {
                    d = new Delivery(am, agent, res.transport(), nexthop, key, delayDigits);
                    open.put(key, d);
                    requests.add(d);
                    am.add(d);
                }
                d.add(new DeliveryRequest.Recipient(address, original, r.index(), r.dsnNotify(), r.orcpt()));
            }
            if (requests.isEmpty()) {
                // Nothing to hand to an agent (all deferred by qmgr itself): finalize off this thread.
                try {
                    workers.execute(() -> finish(am));
                } catch (java.util.concurrent.RejectedExecutionException stopping) {
                    release(m); // stays in active/ for the next start
                }
                return;
            }
            am.start(requests.size());
            scheduler.submit(requests);
        } catch (RuntimeException e) {
            LOG.error(m.id() + ": activation failed: " + e);
            recoveredIds.add(m.id());
            release(m);
        }
    }

    private void qmgrDefer(ActiveMessage am, QueuedRecipient r, String dsn, String text) {
        if (am.record(r.index(), new Outcome(Outcome.Kind.DEFERRED, "none", dsn, text))) {
            QueuedMessage m = am.message;
            LOG.info(DeliveryLog.line(m.id(), r.address(), r.original(), "none", m.arrivalTime(), am.activeAt, null,
                    Instant.now(), dsn, "deferred", text, delayDigits));
        }
    }

    // ---- delivery and finalization --------------------------------------------------------

    private void runDelivery(Delivery d) {
        d.handedOff();
        String unreported = "delivery agent did not report";
        try {
            d.agent.deliver(d);
        } catch (RuntimeException | LinkageError | AssertionError e) {
            LOG.warn(d.queueId() + ": " + d.agent.transport() + " delivery agent failed: " + e);
            unreported = "unknown mail transport error";
        } finally {
            d.completeUnreported(unreported);
            scheduler.completed(d);
        }
        if (d.am.finished()) {
            finish(d.am);
        }
    }

    private void finish(ActiveMessage am) {
        QueuedMessage m = am.message;
        try {
            finalizeMessage(am);
        } catch (IOException | RuntimeException e) {
            // Outcomes may not be durable: leave the file in active/ and let the next queue
            // run pick it up as in flight (the agents still hold their recovery state).
            LOG.error(m.id() + ": cannot update queue file: " + e.getMessage());
            recoveredIds.add(m.id());
        } finally {
            release(m);
        }
    }

    private void release(QueuedMessage m) {
        m.releaseContent();
        known.remove(m.id());
        active.decrementAndGet();
        lock.lock();
        try {
            if (!inbound.isEmpty() || overflow) {
                signal.signal(); // the loop may be waiting for room in the active queue
            }
        } finally {
            lock.unlock();
        }
    }

    private void finalizeMessage(ActiveMessage am) throws IOException {
        QueuedMessage m = am.message;
        QueueFile.StatusBatch batch = new QueueFile.StatusBatch();
        List<BounceNotifier.Failed> failed = new ArrayList<>();
        List<BounceNotifier.Failed> delivered = new ArrayList<>();
        List<QueuedRecipient> bounced = new ArrayList<>();
        boolean allDone = true;
        for (QueuedRecipient r : m.recipients()) {
            if (r.isDone()) {
                continue;
            }
            Outcome o = am.outcome(r.index());
            if (o == null) {
                o = new Outcome(Outcome.Kind.DEFERRED, "none", "4.3.0", "delivery agent did not report");
            }
            switch (o.kind()) {
                case SENT -> {
                    batch.done(r, false);
                    if (r.wantsSuccessNotice() && !o.dsnPassedOn()) {
                        delivered.add(report(r, o));
                    }
                }
                case BOUNCED -> {
                    bounced.add(r);
                    if (r.wantsFailureNotice()) { // DSN NOTIFY without FAILURE (or NEVER): no notice
                        failed.add(report(r, o));
                    }
                }
                case DEFERRED -> {
                    batch.deferred(r, o.dsn(), o.relay(), o.text());
                    allDone = false;
                }
            }
        }
        if (!delivered.isEmpty()) {
            try {
                bouncer.notifyDelivered(m, delivered);
            } catch (IOException | CleanupException e) {
                // the deliveries stand; only the courtesy notice is lost, as with Postfix's trace service
                LOG.warn(m.id() + ": cannot send delivery status notification: " + e.getMessage());
            }
        }
        if (!bounced.isEmpty()) {
            boolean notified = true;
            if (!failed.isEmpty()) {
                try {
                    bouncer.notify(m, failed);
                } catch (IOException | CleanupException e) {
                    LOG.warn(m.id() + ": cannot send non-delivery notification: " + e.getMessage());
                    notified = false;
                }
            }
            for (QueuedRecipient r : bounced) {
                if (notified) {
                    batch.done(r, true);
                } else {
                    Outcome o = am.outcome(r.index());
                    batch.deferred(r, o.dsn(), o.relay(), o.text());
                    allDone = false;
                }
            }
        }
        if (allDone) {
            queue.remove(m);
            afterCommit(am);
            LOG.info(m.id() + ": removed");
            return;
        }
        queue.appendStatus(m, batch);
        afterCommit(am);
        Instant now = Instant.now();
        Duration lifetime = m.sender().isEmpty() ? bounceLifetime : maxLifetime;
        if (!now.isBefore(m.arrivalTime().plus(lifetime))) {
            expire(m);
        } else {
            warnIfDelayed(m, now, lifetime);
            defer(m, now);
        }
    }

    /**
     * Postfix's delay_warning_time (0 = off, the default): once a message has waited that
     * long, its sender is told once which recipients are still being retried. A recipient is
     * marked warned in the queue file only after the notice was queued.
     */
    private void warnIfDelayed(QueuedMessage m, Instant now, Duration lifetime) throws IOException {
        if (delayWarning.isZero() || delayWarning.isNegative() || m.sender().isEmpty()
                || now.isBefore(m.arrivalTime().plus(delayWarning))) {
            return;
        }
        List<BounceNotifier.Failed> waiting = new ArrayList<>();
        QueueFile.StatusBatch marks = new QueueFile.StatusBatch();
        for (QueuedRecipient r : m.recipients()) {
            if (!r.isDone() && !r.isWarned()) {
                if (r.wantsDelayNotice()) { // DSN NOTIFY without DELAY: no warning
                    waiting.add(lastDeferral(r));
                }
                marks.warned(r);
            }
        }
        if (waiting.isEmpty()) {
            if (!marks.isEmpty()) {
                queue.appendStatus(m, marks);
            }
            return;
        }
        try {
            bouncer.notifyDelayed(m, waiting, new BounceNotifier.Delay(delayWarning, lifetime));
        } catch (IOException | CleanupException e) {
            LOG.warn(m.id() + ": cannot send delay notification: " + e.getMessage());
            return;
        }
        queue.appendStatus(m, marks);
    }

    private void expire(QueuedMessage m) throws IOException {
        LOG.info(m.id() + ": from=<" + m.sender() + ">, status=expired, returned to sender");
        List<BounceNotifier.Failed> failed = new ArrayList<>();
        for (QueuedRecipient r : m.recipients()) {
            if (!r.isDone() && r.wantsFailureNotice()) {
                failed.add(lastDeferral(r));
            }
        }
        try {
            if (!failed.isEmpty()) {
                bouncer.notify(m, failed);
            }
        } catch (IOException | CleanupException e) {
            LOG.warn(m.id() + ": cannot send non-delivery notification: " + e.getMessage());
            defer(m, Instant.now());
            return;
        }
        queue.remove(m);
        LOG.info(m.id() + ": removed");
    }

    private void defer(QueuedMessage m, Instant now) throws IOException {
        Duration age = Duration.between(m.arrivalTime(), now);
        Duration backoff = age.compareTo(maxBackoff) > 0 ? maxBackoff : age;
        if (backoff.compareTo(minBackoff) < 0) {
            backoff = minBackoff;
        }
        queue.setNextAttempt(m, now.plus(backoff));
        queue.move(m, MailQueue.DEFERRED);
    }

    private static void afterCommit(ActiveMessage am) {
        for (Delivery d : am.deliveries()) {
            try {
                d.agent.afterCommit(d);
            } catch (RuntimeException e) {
                LOG.warn(d.queueId() + ": " + d.agent.transport() + " afterCommit failed: " + e);
            }
        }
    }

    /** A waiting recipient as a report line: its last deferral reason, or Postfix's generic one. */
    private static BounceNotifier.Failed lastDeferral(QueuedRecipient r) {
        return new BounceNotifier.Failed(r.address(), originalOf(r), r.orcpt(),
                r.deferRelay() == null ? "none" : r.deferRelay(),
                r.deferDsn() == null ? "4.0.0" : r.deferDsn(),
                r.deferText() == null ? "delivery temporarily suspended" : r.deferText(), null);
    }

    /** A recipient and what happened to it now, as a report line. */
    private static BounceNotifier.Failed report(QueuedRecipient r, Outcome o) {
        return new BounceNotifier.Failed(o.address() != null ? o.address() : r.address(), originalOf(r), r.orcpt(),
                o.relay(), o.dsn(), o.text(), o.diagnostic());
    }

    private static String originalOf(QueuedRecipient r) {
        return r.original() != null ? r.original() : r.address();
    }

    // ---- settings -------------------------------------------------------------------------

    private int concurrencyLimit(String transport) {
        return concurrencyLimits.computeIfAbsent(transport, t -> {
            int d = number(config, "default_destination_concurrency_limit", 20);
            return Math.max(1, number(config, t + "_destination_concurrency_limit", d));
        });
    }

    private int recipientLimit(String transport) {
        return recipientLimits.computeIfAbsent(transport, t -> {
            int d = number(config, "default_destination_recipient_limit", 50);
            // local(8) delivers one recipient per request (Postfix: local_destination_recipient_limit = 1).
            return Math.max(1, number(config, t + "_destination_recipient_limit", "local".equals(t) ? 1 : d));
        });
    }

    private static int number(MainConfig c, String key, int dflt) {
        String v = c.get(key).strip();
        if (v.isEmpty()) {
            return dflt;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            LOG.warn("bad numerical configuration: " + key + " = " + v);
            return dflt;
        }
    }

    private static Duration time(MainConfig c, String key, String dflt, char unit) {
        String v = c.get(key).strip();
        try {
            return MainConfig.parseTime(v.isEmpty() ? dflt : v, unit);
        } catch (RuntimeException e) {
            LOG.warn("bad time configuration: " + key + " = " + v);
            return MainConfig.parseTime(dflt, unit);
        }
    }

    private static final class WorkerThreads implements java.util.concurrent.ThreadFactory {
        private final AtomicInteger n = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "qmgr-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }
}
