package org.jmail.config;

import java.util.List;
import java.util.Map;

/**
 * One entry of master.cf (master(5)): {@code service type private unpriv chroot wakeup maxproc
 * command + args}. For {@code inet} services {@link #host()} is the listen address from a
 * {@code host:port} service name (null: every address in inet_interfaces) and {@link #port()}
 * the numeric port.
 *
 * @param overrides the {@code -o key=value} settings, applied over main.cf for this service
 */
public record MasterService(String name, String type, String privateFlag, String unprivileged,
                            String chroot, String wakeup, String maxproc, String command,
                            List<String> args, Map<String, String> overrides,
                            String file, int line, String host, int port) {

    public boolean isInet() {
        return "inet".equals(type);
    }

    /** maxproc as a number; "-" means default_process_limit, 0 means no limit. */
    public int maxProcesses(MainConfig config) {
        return "-".equals(maxproc) ? config.getInt("default_process_limit") : Integer.parseInt(maxproc);
    }

    /** "127.0.0.1:2525" or "smtp" as written, for log lines. */
    public String label() {
        return name;
    }
}
