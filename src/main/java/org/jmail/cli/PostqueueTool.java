package org.jmail.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.jmail.config.MainConfig;
import org.jmail.master.PidFile;
import org.jmail.pickup.Maildrop;
import org.jmail.showq.QueueListing;

/**
 * postqueue(1) and mailq(1): {@code postqueue [-c dir] -p | -j | -f | -i ID | -s site}.
 * <ul>
 * <li>{@code -p} (and {@code mailq}): the queue in Postfix's format ({@link QueueListing});
 *     {@code -j}: one JSON object per message (Postfix 3.1+). Whoever can read the queue
 *     (root) reads it directly; other users ask the running daemon through maildrop/ (a
 *     {@code showq-*} request, answered in a reply file only they can read), since the
 *     queue itself is root's. {@code authorized_mailq_users} is enforced by the daemon.</li>
 * <li>{@code -f}: retry all deferred mail now; {@code -i ID}: that message now;
 *     {@code -s site}: jmail has no per-site fast flush and retries all deferred mail. These
 *     leave a {@code flush-*} request in maildrop/ that the daemon's pickup acts on.</li>
 * </ul>
 * Errors are Postfix's words: {@code postqueue: fatal: Queue report unavailable - mail system
 * is down}, {@code Cannot flush mail queue - mail system is down}; exit 69 (EX_UNAVAILABLE).
 */
final class PostqueueTool {

    private static final int EX_USAGE = 64;
    private static final int EX_UNAVAILABLE = 69;
    private static final int EX_SOFTWARE = 70;
    private static final long REPLY_TIMEOUT_MS = 20_000;

    private PostqueueTool() {
    }

    /** mailq [-c dir] [-v]: postqueue -p. */
    static int mailq(String[] args) throws Exception {
        String conf = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("-c") && i + 1 < args.length) {
                conf = args[++i];
            } else if (args[i].equals("-C") && i + 1 < args.length) {
                conf = args[++i];
            }
        }
        List<String> a = new ArrayList<>();
        if (conf != null) {
            a.add("-c");
            a.add(conf);
        }
        a.add("-p");
        return run(a.toArray(new String[0]), "mailq");
    }

    static int run(String[] args) throws Exception {
        return run(args, "postqueue");
    }

    private static int run(String[] args, String prog) throws Exception {
        ToolOptions o;
        try {
            o = ToolOptions.parse(args, "c:fi:jps:v");
        } catch (ToolOptions.UsageException e) {
            System.err.println(prog + ": " + e.getMessage());
            return usage(prog);
        }
        String conf = null;
        char mode = 0;
        List<String> ids = new ArrayList<>();
        for (ToolOptions.Option opt : o.options()) {
            switch (opt.name()) {
                case 'c' -> conf = opt.arg();
                case 'f', 'p', 'j', 's' -> {
                    if (mode != 0 && mode != opt.name()) {
                        return usage(prog);
                    }
                    mode = opt.name();
                }
                case 'i' -> {
                    if (mode != 0 && mode != 'i') {
                        return usage(prog);
                    }
                    mode = 'i';
                    ids.add(opt.arg());
                }
                default -> {
                    // -v
                }
            }
        }
        if (mode == 0 || !o.operands().isEmpty()) {
            return usage(prog);
        }
        MainConfig config = MainConfig.load(ConfigDirs.resolve(conf));
        Path queueDir = Path.of(config.get("queue_directory"));
        boolean running = PidFile.of(config).runningPid() > 0;
        return switch (mode) {
            case 'p', 'j' -> list(prog, queueDir, running, mode == 'j');
            case 'f', 's' -> flush(prog, queueDir, running, "");
            default -> flush(prog, queueDir, running, String.join("\n", ids) + "\n");
        };
    }

    private static int usage(String prog) {
        System.err.println(prog + ": fatal: usage: postqueue -f | postqueue -i queueid | postqueue -j"
                + " | postqueue -p | postqueue -s site");
        return EX_USAGE;
    }

    private static int list(String prog, Path queueDir, boolean running, boolean json) throws Exception {
        if (Files.isReadable(queueDir.resolve("active")) && Files.isExecutable(queueDir.resolve("active"))) {
            System.out.print(new QueueListing(queueDir).text(json));
            System.out.flush();
            return 0;
        }
        if (!running) {
            System.err.println(prog + ": fatal: Queue report unavailable - mail system is down");
            return EX_UNAVAILABLE;
        }
        Path maildrop = Maildrop.of(queueDir);
        String name = Maildrop.SHOWQ_PREFIX + ProcessHandle.current().pid() + "-" + System.nanoTime() + (json ? "-j" : "");
        Path reply = maildrop.resolve(name + Maildrop.REPLY_SUFFIX);
        if (!request(prog, maildrop, name, "")) {
            return EX_UNAVAILABLE;
        }
        long end = System.currentTimeMillis() + REPLY_TIMEOUT_MS;
        while (System.currentTimeMillis() < end) {
            try {
                String text = Files.readString(reply, StandardCharsets.UTF_8);
                Files.deleteIfExists(reply);
                if (text.startsWith("!")) {
                    System.err.println(prog + ": fatal: " + text.substring(1).strip());
                    return EX_UNAVAILABLE;
                }
                System.out.print(text);
                System.out.flush();
                return 0;
            } catch (NoSuchFileException notYet) {
                Thread.sleep(20);
            }
        }
        Files.deleteIfExists(maildrop.resolve(name));
        System.err.println(prog + ": fatal: Queue report unavailable - mail system is down");
        return EX_UNAVAILABLE;
    }

    private static int flush(String prog, Path queueDir, boolean running, String body) throws IOException {
        if (!running) {
            System.err.println(prog + ": fatal: Cannot flush mail queue - mail system is down");
            return EX_UNAVAILABLE;
        }
        String name = Maildrop.FLUSH_PREFIX + ProcessHandle.current().pid() + "-" + System.nanoTime();
        return request(prog, Maildrop.of(queueDir), name, body) ? 0 : EX_SOFTWARE;
    }

    /** Leaves a request file for the daemon: written 0600, then made ready (0700). */
    private static boolean request(String prog, Path maildrop, String name, String body) {
        Path p = maildrop.resolve(name);
        try {
            Files.createFile(p, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(p, body, StandardCharsets.US_ASCII);
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
            return true;
        } catch (FileAlreadyExistsException e) {
            System.err.println(prog + ": fatal: " + p + ": file exists");
        } catch (IOException e) {
            System.err.println(prog + ": fatal: cannot create " + p + ": " + e.getMessage());
        }
        return false;
    }
}
