package org.jmail.master;

import org.jmail.config.MainConfig;
import org.jmail.config.MasterService;
import org.jmail.net.ConnectionHandler;

/**
 * The mail system inside one daemon: queue, cleanup, qmgr, delivery agents and the protocol
 * servers that master.cf commands name. Built from main.cf; {@link #reload} swaps configuration.
 */
public final class MailSystem {

    private volatile MainConfig config;

    public MailSystem(MainConfig config) {
        this.config = config;
    }

    public void start() throws Exception {
    }

    /** The handler for a master.cf inet service, or null when jmail doesn't implement its command. */
    public ConnectionHandler handlerFor(MasterService service, MainConfig serviceConfig) {
        return null;
    }

    public void reload(MainConfig newConfig) {
        this.config = newConfig;
    }

    public void stop() {
    }
}
