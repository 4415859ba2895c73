package org.jmail.master;

import java.util.Map;
import org.jmail.cleanup.Cleanup;
import org.jmail.config.MainConfig;
import org.jmail.dns.DnsResolver;
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
import org.jmail.smtp.SmtpDeliveryAgent;
import org.jmail.smtpd.Smtpd;
import org.jmail.auth.AuthService;
import org.jmail.imap.ImapServer;
import org.jmail.imap.ImapSettings;
import org.jmail.pop3.Pop3Server;
import org.jmail.pop3.Pop3Settings;
import org.jmail.store.MailStores;
import org.jmail.store.mbox.MboxMailStores;
import org.jmail.tls.ServerTls;
import org.jmail.tls.ServerTlsContext;

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
    private volatile QueueManager qmgr;
    /** The resolver shared by the smtp agents and smtpd's DNS-based restrictions. */
    private volatile DnsResolver dns;
    /** sendmail(1)'s way in: maildrop/ into cleanup. */
    private org.jmail.pickup.Pickup pickup;
    /** Mail access (imapd, pop3d): built on first use per configuration generation. */
    private AuthService auth;
    private MailStores stores;

    public MailSystem(MainConfig config) {
        this.config = config;
    }

    public synchronized void start() throws Exception {
        createMailSpool(config);
        queue = MailQueue.open(config);
        startQueueManager(config);
        pickup = new org.jmail.pickup.Pickup(config, queue, () -> cleanup, () -> qmgr.flush(), () -> qmgr.wake());
        pickup.start();
    }

    private void startQueueManager(MainConfig c) throws Exception {
        Cleanup newCleanup = new Cleanup(c, queue);
        AddressResolver resolver = new AddressResolver(c);
        DnsResolver dns = new DnsResolver(c);
        this.dns = dns;
        Map<String, DeliveryAgent> agents = Map.of(
                "local", new LocalDeliveryAgent(c, newCleanup, resolver),
                "smtp", new SmtpDeliveryAgent(c, "smtp", dns),
                "relay", new SmtpDeliveryAgent(c, "relay", dns),
                "error", new ErrorAgent(),
                "retry", new RetryAgent(),
                "discard", new DiscardAgent());
        QueueManager q = new QueueManager(c, queue, resolver, agents, newCleanup);
        q.start();
        cleanup = newCleanup;
        qmgr = q;
    }

    /**
     * Creates mail_spool_directory when it is missing, as Debian's base system has /var/mail:
     * root:mail 2775 when we are root (users' mailboxes are created under their identity,
     * dotlocks through group mail), else owned by us (a development instance).
     */
    private static void createMailSpool(MainConfig c) throws java.io.IOException {
        java.nio.file.Path spool = java.nio.file.Path.of(c.get("mail_spool_directory"));
        if (java.nio.file.Files.isDirectory(spool)) {
            return;
        }
        java.nio.file.Files.createDirectories(spool);
        if (org.jmail.posix.Posix.isRoot()) {
            int mailGid = org.jmail.posix.Posix.getgrnam("mail");
            if (mailGid >= 0) {
                java.nio.file.Files.setAttribute(spool, "unix:gid", mailGid);
            }
            java.nio.file.Files.setAttribute(spool, "unix:mode", 02775);
        }
        LOG.info("created mail spool directory " + spool);
    }

    /** The handler for a master.cf inet service, or null when jmail doesn't implement its command. */
    public ConnectionHandler handlerFor(MasterService service, MainConfig serviceConfig) {
        if ("smtpd".equals(service.command())) {
            return smtpd(service, serviceConfig);
        }
        if ("imapd".equals(service.command()) || "pop3d".equals(service.command())) {
            return mailAccess(service, serviceConfig);
        }
        return null;
    }

    /**
     * smtpd with its SASL (the passdb shared with IMAP/POP3, only when smtpd_sasl_auth_enable)
     * and TLS (only when smtpd_tls_security_level is not none or smtpd_tls_wrappermode is on;
     * the certificate is smtpd_tls_cert_file/key_file, not Dovecot's ssl_cert). Without a usable
     * certificate STARTTLS answers 454 and a wrapper-mode service is not started, with a warning.
     */
    private ConnectionHandler smtpd(MasterService service, MainConfig c) {
        boolean wrapper = c.getBoolean("smtpd_tls_wrappermode");
        String level = c.get("smtpd_tls_security_level").strip();
        boolean wantTls = wrapper || !(level.isEmpty() || level.equalsIgnoreCase("none"))
                || c.get("smtpd_use_tls").strip().equalsIgnoreCase("yes")
                || c.get("smtpd_enforce_tls").strip().equalsIgnoreCase("yes");
        ServerTls tls = null;
        if (wantTls) {
            try {
                tls = ServerTlsContext.fromConfig(c.withOverrides(Map.of("ssl_cert", "", "ssl_key", "")));
            } catch (java.io.IOException | RuntimeException e) {
                LOG.warn("service " + service.name() + ": TLS is not available: " + e.getMessage());
            }
            if (wrapper && tls == null) {
                LOG.warn("service " + service.name() + ": smtpd_tls_wrappermode needs a certificate; not listening");
                return null;
            }
        }
        AuthService sasl = null;
        if (c.getBoolean("smtpd_sasl_auth_enable")) {
            try {
                sasl = authService();
            } catch (RuntimeException e) {
                // a passdb misconfiguration must not take mail reception down: serve without AUTH
                LOG.warn("service " + service.name() + ": SASL authentication is not available: " + e.getMessage());
            }
        }
        return new Smtpd(c, cleanup, new AddressResolver(c), new LocalRecipientCheck(c), sasl, tls, dns)
                .serviceName(service.name());
    }

    /** The auth service of the current configuration generation, shared by imapd, pop3d and smtpd. */
    private synchronized AuthService authService() {
        if (auth == null) {
            auth = AuthService.fromConfig(config);
        }
        return auth;
    }

    /**
     * imapd or pop3d (Dovecot's imap/pop3 services). Implicit TLS (imaps 993, pop3s 995) when
     * {@code -o imapd_tls_wrappermode=yes} / {@code pop3d_tls_wrappermode=yes}, which default
     * to yes for services named imaps/pop3s. Without a usable certificate the service runs
     * without STARTTLS (and an implicit-TLS service is not started), with a warning.
     */
    private synchronized ConnectionHandler mailAccess(MasterService service, MainConfig c) {
        boolean imap = "imapd".equals(service.command());
        authService();
        if (stores == null) {
            stores = new MboxMailStores(config);
        }
        String wrapKey = imap ? "imapd_tls_wrappermode" : "pop3d_tls_wrappermode";
        String wrap = c.get(wrapKey);
        boolean implicit = wrap.isEmpty() ? service.name().equals(imap ? "imaps" : "pop3s") : c.getBoolean(wrapKey);
        ServerTls tls = null;
        try {
            tls = ServerTlsContext.fromConfig(c);
        } catch (java.io.IOException | RuntimeException e) {
            LOG.warn("service " + service.name() + ": TLS is not available: " + e.getMessage());
        }
        if (implicit && tls == null) {
            LOG.warn("service " + service.name() + ": " + wrapKey + " needs a certificate; not listening");
            return null;
        }
        return imap ? new ImapServer(ImapSettings.from(c), authService(), stores, tls, implicit)
                : new Pop3Server(Pop3Settings.from(c), authService(), stores, tls, implicit);
    }

    public synchronized void reload(MainConfig newConfig) throws Exception {
        this.config = newConfig;
        synchronized (this) {
            auth = null; // rebuilt from the new main.cf by the next handlerFor
            stores = null;
        }
        QueueManager old = qmgr;
        old.stop();
        startQueueManager(newConfig);
        if (pickup != null) {
            pickup.reload(newConfig);
        }
        LOG.info("queue manager restarted with the new configuration");
    }

    public synchronized void stop() {
        if (pickup != null) {
            pickup.stop();
        }
        if (qmgr != null) {
            qmgr.stop();
        }
        if (queue != null) {
            queue.close();
        }
    }
}
