package org.jmail.local;

import org.jmail.posix.UnixUser;

/**
 * Delivery rights and environment (Postfix's USER_ATTR): whose uid/gid runs a
 * {@code |command} or writes a {@code /file}, and the HOME/SHELL/LOGNAME they see. uid 0 means
 * "no user context" (a root-owned alias database): such deliveries use default_privs.
 */
record UserAttr(int uid, int gid, String home, String shell, String logname) {

    static final UserAttr NONE = new UserAttr(0, 0, null, null, null);

    static UserAttr of(UnixUser u) {
        return new UserAttr(u.uid(), u.gid(), u.home(), u.shell(), u.name());
    }
}
