package org.jmail.store.mbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * Dovecot's subscriptions file. Dovecot 2.3 writes version 2: a first line {@code V\t2}, an
 * empty line, then one name per line with hierarchy levels separated by TAB. Older files (and
 * UW-IMAP's) have one name per line with the separator as is; both are read. Written as v2,
 * via a temporary file and rename.
 */
final class Subscriptions {

    private Subscriptions() {
    }

    static List<String> read(Path file) throws IOException {
        List<String> lines;
        try {
            if (Files.isSymbolicLink(file)) {
                return new ArrayList<>();
            }
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return new ArrayList<>();
        }
        List<String> out = new ArrayList<>();
        int i = 0;
        boolean v2 = !lines.isEmpty() && lines.get(0).startsWith("V\t");
        if (v2) {
            i = 1;
            while (i < lines.size() && !lines.get(i).isEmpty()) {
                i++;
            }
        }
        for (; i < lines.size(); i++) {
            String l = lines.get(i);
            if (l.isEmpty()) {
                continue;
            }
            String name = v2 ? l.replace('\t', '/') : l;
            if (name.equalsIgnoreCase("INBOX")) {
                name = "INBOX";
            }
            if (!out.contains(name)) {
                out.add(name);
            }
        }
        return out;
    }

    static void write(Path file, List<String> names) throws IOException {
        StringBuilder sb = new StringBuilder("V\t2\n\n");
        for (String n : names) {
            sb.append(n.replace('/', '\t')).append('\n');
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".lock");
        Files.deleteIfExists(tmp);
        Files.write(tmp, sb.toString().getBytes(StandardCharsets.UTF_8));
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        if (Files.isSymbolicLink(file)) {
            throw new IOException("subscriptions file is a symbolic link");
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
