package org.jmail.config;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * master.cf, Postfix's service table (master(5)). Only {@code inet} services with a command
 * jmail implements become listeners; Postfix's internal {@code unix}/{@code fifo}/{@code pass}
 * services (pickup, cleanup, qmgr, …) are accepted and ignored, since jmail runs them in one
 * process. Problems are reported with file:line; a bad line is skipped, not fatal.
 */
public final class MasterConfig {

    /** Well-known service names → ports, for hosts without /etc/services entries. */
    private static final Map<String, Integer> PORTS = Map.ofEntries(
            Map.entry("smtp", 25), Map.entry("submission", 587), Map.entry("smtps", 465),
            Map.entry("submissions", 465), Map.entry("imap", 143), Map.entry("imap2", 143),
            Map.entry("imaps", 993), Map.entry("pop3", 110), Map.entry("pop3s", 995));

    private final List<MasterService> services;
    private final List<ConfigProblem> problems;

    private MasterConfig(List<MasterService> services, List<ConfigProblem> problems) {
        this.services = services;
        this.problems = problems;
    }

    public static MasterConfig load(Path dir) throws IOException {
        Path file = dir.resolve("master.cf");
        List<ConfigFileReader.Line> lines;
        try {
            lines = ConfigFileReader.read(file);
        } catch (NoSuchFileException e) {
            lines = List.of();
        }
        return parse(file.toString(), lines);
    }

    static MasterConfig parse(String file, List<ConfigFileReader.Line> lines) {
        List<MasterService> services = new ArrayList<>();
        List<ConfigProblem> problems = new ArrayList<>();
        for (ConfigFileReader.Line line : lines) {
            String[] f = line.text().split("\\s+");
            if (f.length < 8) {
                problems.add(new ConfigProblem(file, line.number(),
                        "expected 8 or more fields (service type private unpriv chroot wakeup maxproc command), found " + f.length));
                continue;
            }
            Map<String, String> overrides = new LinkedHashMap<>();
            List<String> args = new ArrayList<>();
            boolean bad = false;
            for (int i = 8; i < f.length; i++) {
                if (f[i].equals("-o") && i + 1 < f.length) {
                    String kv = f[++i];
                    int eq = kv.indexOf('=');
                    if (eq <= 0) {
                        problems.add(new ConfigProblem(file, line.number(), "-o option requires key=value: \"" + kv + "\""));
                        bad = true;
                        break;
                    }
                    overrides.put(kv.substring(0, eq), kv.substring(eq + 1));
                } else if (f[i].startsWith("-o") && f[i].length() > 2 && f[i].contains("=")) {
                    String kv = f[i].substring(2);
                    overrides.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
                } else {
                    args.add(f[i]);
                }
            }
            if (bad) {
                continue;
            }
            String type = f[1];
            String host = null;
            int port = -1;
            if (type.equals("inet")) {
                String name = f[0];
                String portPart = name;
                int colon = name.lastIndexOf(':');
                if (colon >= 0) {
                    host = name.substring(0, colon);
                    if (host.startsWith("[") && host.endsWith("]")) {
                        host = host.substring(1, host.length() - 1);
                    }
                    portPart = name.substring(colon + 1);
                }
                port = portOf(portPart);
                if (port <= 0 || port > 65535) {
                    problems.add(new ConfigProblem(file, line.number(), "unknown service port: \"" + name + "\""));
                    continue;
                }
            }
            if (!f[6].equals("-") && !isInt(f[6])) {
                problems.add(new ConfigProblem(file, line.number(), "bad maxproc field: \"" + f[6] + "\""));
                continue;
            }
            services.add(new MasterService(f[0], type, f[2], f[3], f[4], f[5], f[6], f[7],
                    List.copyOf(args), Collections.unmodifiableMap(overrides), file, line.number(), host, port));
        }
        return new MasterConfig(services, problems);
    }

    static int portOf(String s) {
        if (s.matches("\\d+")) {
            return isInt(s) ? Integer.parseInt(s) : -1; // too big: "unknown service port"
        }
        Integer p = PORTS.get(s);
        return p == null ? -1 : p;
    }

    public List<MasterService> services() {
        return Collections.unmodifiableList(services);
    }

    public List<ConfigProblem> problems() {
        return Collections.unmodifiableList(problems);
    }

    /** Digits only, and small enough for an int (maxproc 99999999999 is a problem, not a crash). */
    private static boolean isInt(String s) {
        if (!s.matches("\\d{1,10}")) {
            return false;
        }
        return Long.parseLong(s) <= Integer.MAX_VALUE;
    }
}
