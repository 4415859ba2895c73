package org.jmail.store.mbox;

import java.nio.file.Files;
import java.nio.file.Path;

/** The host name Dovecot puts into From_ lines and the pseudo message (my_hostname). */
final class Hostname {
    private static volatile String cached;

    private Hostname() {
    }

    static String get() {
        String h = cached;
        if (h == null) {
            try {
                h = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
            } catch (Exception e) {
                h = "";
            }
            if (h.isEmpty()) {
                h = "localhost";
            }
            cached = h;
        }
        return h;
    }
}
