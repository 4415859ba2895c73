package org.jmail.master;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jmail.config.ConfigProblem;
import org.jmail.config.MainConfig;
import org.jmail.config.MasterConfig;
import org.jmail.config.MasterService;
import org.jmail.log.LogSetup;
import org.jmail.log.MailLog;
import org.jmail.net.ConnectionHandler;
import org.jmail.net.InetInterfaces;
import org.jmail.net.InetListener;
import org.jmail.posix.Capability;
import org.jmail.posix.DaemonPrivileges;
import org.jmail.posix.PosixException;

/**
 * The daemon, Postfix's master(8): reads main.cf and master.cf, starts the mail system
 * ({@link MailSystem}: queue, cleanup, qmgr, delivery agents) and one {@link InetListener}
 * per address of every inet service, writes the pid file, and reacts to SIGTERM (orderly stop)
 * and SIGHUP (reload: new configuration for new connections, nothing dropped).
 *
 * <p>Privileges (docs/security.md): before anything else the daemon limits itself to
 * {@link DaemonPrivileges#DAEMON} and starts the one thread that keeps that set, which only
 * binds listening sockets (at start and reload); then it drops to
 * {@link DaemonPrivileges#WORKER}, which every other thread it starts inherits, so no thread
 * that handles mail can bind a privileged port or regain what root had.
 */
public final class Master {

    /** The line {@code jmail start} waits for on the daemon's stdout. */
    public static final String READY = "jmail: ready";
    public static final String VERSION = Master.class.getPackage().getImplementationVersion() != null
            ? Master.class.getPackage().getImplementationVersion() : "0.1.0";

    private static final MailLog LOG = MailLog.of("master");

    private final Path confDir;
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final Map<String, InetListener> listeners = new LinkedHashMap<>();
    private MailSystem mail;
    private PidFile pidFile;
    private volatile boolean stopping;
    /** The one thread with {@link DaemonPrivileges#DAEMON}: it creates listening sockets. */
    private ExecutorService binder;
    /** Signals are handled here: the JVM's signal thread predates the limits. */
    private ExecutorService control;

    public Master(Path confDir) {
        this.confDir = confDir.toAbsolutePath();
    }

    /** Starts everything; returns once every listener is bound. Throws with the reason otherwise. */
    public synchronized void start() throws Exception {
        String privileges = limitPrivileges();
        control = singleThread("master-control");
        MainConfig config = MainConfig.load(confDir);
        MasterConfig masterCf = MasterConfig.load(confDir);
        LogSetup.configure(config);
        for (ConfigProblem p : config.problems()) {
            LOG.warn(p.toString());
        }
        for (ConfigProblem p : masterCf.problems()) {
            LOG.warn(p.toString());
        }
        pidFile = PidFile.of(config);
        mail = new MailSystem(config);
        mail.start();
        bindAll(config, masterCf);
        pidFile.write(ProcessHandle.current().pid());
        installSignals();
        LOG.info("daemon started -- version " + VERSION + ", configuration " + confDir);
        LOG.info(privileges);
    }

    /**
     * Drops what the daemon does not need: the binder thread keeps NET_BIND_SERVICE, and
     * this thread (and so every thread started from here on) only the worker set. A failure
     * (a kernel without capabilities) is logged, not fatal. Returns the log line.
     */
    private String limitPrivileges() throws Exception {
        try {
            DaemonPrivileges.limitToDaemon();
            binder = singleThread("master-bind");
            binder.submit(DaemonPrivileges::sealDaemon).get();
            boolean bindKept = DaemonPrivileges.limitToWorker().contains(Capability.NET_BIND_SERVICE);
            return "privileges: capabilities kept " + DaemonPrivileges.effective()
                    + (bindKept ? " (and cap_net_bind_service for binding listeners)" : "")
                    + ", all others dropped";
        } catch (PosixException e) {
            if (binder == null) {
                binder = singleThread("master-bind");
            }
            return "privileges: cannot limit capabilities: " + e.getMessage();
        }
    }

    /** A one-thread executor whose thread exists now, with the calling thread's privileges. */
    private static ExecutorService singleThread(String name) throws Exception {
        ExecutorService e = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        e.submit(() -> { }).get(); // a pool's thread is created by the first task's submitter
        return e;
    }

    /** Binds on the binder thread, the only one allowed ports below 1024. */
    private InetListener bind(MasterService svc, InetSocketAddress sa, int max, ConnectionHandler handler)
            throws IOException {
        try {
            return binder.submit(() -> new InetListener(svc.name(), sa, max, handler)).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while binding " + InetListener.describe(sa));
        }
    }

    private void bindAll(MainConfig config, MasterConfig masterCf) throws IOException {
        Map<String, InetListener> wanted = new LinkedHashMap<>();
        List<InetListener> fresh = new ArrayList<>();
        try {
            for (MasterService svc : masterCf.services()) {
                if (!svc.isInet()) {
                    continue; // Postfix's internal services: jmail runs them in-process
                }
                MainConfig svcConfig = config.withOverrides(svc.overrides());
                ConnectionHandler handler = mail.handlerFor(svc, svcConfig);
                if (handler == null) {
                    LOG.warn(svc.file() + ":" + svc.line() + ": service " + svc.name()
                            + ": unsupported command \"" + svc.command() + "\"; not listening");
                    continue;
                }
                for (InetAddress a : InetInterfaces.bindAddresses(svcConfig, svc.host())) {
                    InetSocketAddress sa = new InetSocketAddress(a, svc.port());
                    String key = svc.name() + "@" + InetListener.describe(sa);
                    InetListener l = listeners.remove(key);
                    if (l != null) {
                        l.setHandler(handler);
                    } else {
                        l = bind(svc, sa, svc.maxProcesses(svcConfig), handler);
                        fresh.add(l);
                    }
                    wanted.put(key, l);
                }
            }
        } catch (IOException e) {
            for (InetListener l : fresh) {
                l.close();
            }
            throw e;
        }
        for (InetListener old : listeners.values()) {
            old.close(); // services removed from master.cf
        }
        listeners.clear();
        listeners.putAll(wanted);
        for (InetListener l : fresh) {
            l.start();
        }
    }

    /** SIGHUP: re-read main.cf, master.cf; tables reload themselves when rebuilt. */
    public synchronized void reload() {
        try {
            MainConfig config = MainConfig.load(confDir);
            MasterConfig masterCf = MasterConfig.load(confDir);
            LogSetup.configure(config);
            LOG.info("reload -- version " + VERSION + ", configuration " + confDir);
            mail.reload(config);
            bindAll(config, masterCf);
        } catch (Exception e) {
            LOG.warn("reload failed, keeping the previous configuration: " + e.getMessage());
        }
    }

    private void installSignals() {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), s -> control.execute(this::reload));
            sun.misc.Signal.handle(new sun.misc.Signal("TERM"), s -> control.execute(() -> {
                LOG.info("terminating on signal 15");
                shutdown();
            }));
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), s -> control.execute(() -> {
                LOG.info("terminating on signal 2");
                shutdown();
            }));
        } catch (IllegalArgumentException e) {
            LOG.warn("cannot install signal handlers: " + e.getMessage());
        }
    }

    /** Stops listening, lets deliveries in progress finish, removes the pid file. */
    public void shutdown() {
        synchronized (this) {
            if (stopping) {
                return;
            }
            stopping = true;
            for (InetListener l : listeners.values()) {
                l.close();
            }
        }
        if (mail != null) {
            mail.stop();
        }
        if (pidFile != null) {
            pidFile.remove();
        }
        MailLog.sink().close();
        terminated.countDown();
    }

    public void awaitTermination() throws InterruptedException {
        terminated.await();
    }

    /** Bound addresses by service name (tests use port 0). */
    public synchronized Map<String, InetSocketAddress> boundAddresses() {
        Map<String, InetSocketAddress> m = new LinkedHashMap<>();
        listeners.forEach((k, l) -> m.put(k, l.boundAddress()));
        return m;
    }
}
