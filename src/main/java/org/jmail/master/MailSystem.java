package org.jmail.master;

import java.util.Map;
import org.jmail.cleanup.Cleanup;
import org.jmail.config.MainConfig;
import org.jmail.config.MasterService;
import org.jmail.local.LocalDeliveryAgent;
import org.jmail.log.MailLog;
import org.jmail.net.ConnectionHandler;
import org.jmail.qmgr.DeliveryAgent;
import org.jmail.qmgr.DiscardAgent;
import org.jmail.qmgr.ErrorAgent;
import org.jmail.qmgr.QueueManager;
import org.jmail.qmgr.RetryAgent;
import org.jmail.queue.MailQueue;
import org.jmail.resolve.AddressResolver;
import org.jmail.resolve.LocalRecipientCheck;
import org.jmail.smtpd.Smtpd;

/**
 * The mail system inside one daemon: the queue, cleanup, the queue manager with its delivery
 * agents, and the protocol servers that master.cf commands name.
 *
 * <p>Start order matters: the queue manager recovers the queue before any listener accepts
 * mail. Reload builds new cleanup/qmgr/agents from the new main.cf over the same queue; the
 * old queue manager is stopped first and lets deliveries in progress finish, so nothing is
 * dropped or delivered twice.
 */
public final class MailSystem {

    private static final MailLog LOG = MailLog.of("master");

    private volatile MainConfig config;
    private MailQueue queue;
    private volatile Cleanup cleanup;
    private QueueManager qmgr;

    public MailSystem(MainConfig config) {
        this.config = config;
    }

    public synchronized void start() throws Exception {
        queue = MailQueue.open(config);
        startQueueManager(config);
    }

    private void startQueueManager(MainConfig c) throws Exception {
        Cleanup newCleanup = new Cleanup(c, queue);
        AddressResolver resolver = new AddressResolver(c);
        Map<String, DeliveryAgent> agents = Map.of(
                "local", new LocalDeliveryAgent(c, newCleanup, resolver),
                "error", new ErrorAgent(),
                "retry", new RetryAgent(),
                "discard", new DiscardAgent());
        QueueManager q = new QueueManager(c, queue, resolver, agents, newCleanup);
        q.start();
        cleanup = newCleanup;
        qmgr = q;
    }

    /** The handler for a master.cf inet service, or null when jmail doesn't implement its command. */
    public ConnectionHandler handlerFor(MasterService service, MainConfig serviceConfig) {
        if ("smtpd".equals(service.command())) {
            return new Smtpd(serviceConfig, cleanup, new AddressResolver(serviceConfig),
                    new LocalRecipientCheck(serviceConfig));
        }
        return null;
    }

    public synchronized void reload(MainConfig newConfig) throws Exception {
        this.config = newConfig;
        QueueManager old = qmgr;
        old.stop();
        startQueueManager(newConfig);
        LOG.info("queue manager restarted with the new configuration");
    }

    public synchronized void stop() {
        if (qmgr != null) {
            qmgr.stop();
        }
        if (queue != null) {
            queue.close();
        }
    }
}
