package org.jmail.posix;

/** A passwd(5) entry: what getpwnam(3) returns. */
public record UnixUser(String name, int uid, int gid, String gecos, String home, String shell) {
}
