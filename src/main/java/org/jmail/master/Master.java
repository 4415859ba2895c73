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
import org.jmail.config.ConfigProblem;
import org.jmail.config.MainConfig;
import org.jmail.config.MasterConfig;
import org.jmail.config.MasterService;
import org.jmail.log.LogSetup;
import org.jmail.log.MailLog;
import org.jmail.net.ConnectionHandler;
import org.jmail.net.InetInterfaces;
import org.jmail.net.InetListener;

/**
 * The daemon, Postfix's master(8): reads main.cf and master.cf, starts the mail system
 * ({@link MailSystem}: queue, cleanup, qmgr, delivery agents) and one {@link InetListener}
 * per address of every inet service, writes the pid file, and reacts to SIGTERM (orderly stop)
 * and SIGHUP (reload: new configuration for new connections, nothing dropped).
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

    public Master(Path confDir) {
        this.confDir = confDir.toAbsolutePath();
    }

    /** Starts everything; returns once every listener is bound. Throws with the reason otherwise. */
    public synchronized void start() throws Exception {
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
                        l = new InetListener(svc.name(), sa, svc.maxProcesses(svcConfig), handler);
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
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), s -> new Thread(this::reload, "reload").start());
            sun.misc.Signal.handle(new sun.misc.Signal("TERM"), s -> new Thread(() -> {
                LOG.info("terminating on signal 15");
                shutdown();
            }, "shutdown").start());
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), s -> new Thread(() -> {
                LOG.info("terminating on signal 2");
                shutdown();
            }, "shutdown").start());
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
