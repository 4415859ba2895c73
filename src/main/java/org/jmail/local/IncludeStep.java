package org.jmail.local;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jmail.log.MailLog;
import org.jmail.posix.FileInfo;
import org.jmail.posix.FsIdentity;
import org.jmail.posix.NativeFile;
import org.jmail.posix.UnixUser;

/**
 * {@code :include:/path} lists (Postfix's include.c). The file must be given by absolute path,
 * be a regular file and not world-writable. It is read with the current delivery rights; in a
 * root-owned alias, the rights become those of the file's owner (so the owner can't take over
 * the default_privs account). Addresses in an include file are always resubmitted as new
 * messages. Problems bounce with {@code 5.3.5 mail system configuration error}.
 */
final class IncludeStep {

    private static final MailLog LOG = MailLog.of("local");

    private IncludeStep() {
    }

    static void deliver(Expansion x, DeliveryState s, UserAttr u, String path) {
        s = s.deeper();
        if (s.level() > Expansion.MAX_LEVEL) {
            LOG.warn(":include: nesting limit exceeded for " + path);
            x.bounce("5.4.6", ":include: nesting limit exceeded");
            return;
        }
        if (x.job.beenHere("include " + u.uid() + " " + path)) {
            return;
        }
        s = s.withExpFrom(s.local());
        if (!path.startsWith("/")) {
            LOG.warn(":include:" + path + " uses a relative path");
            x.bounce("5.3.5", "mail system configuration error");
            return;
        }
        FileInfo st;
        try {
            st = FsIdentity.runAs(u.uid(), u.gid(), () -> NativeFile.stat(path));
        } catch (Exception e) {
            st = null;
        }
        if (st == null) {
            LOG.warn("unable to lookup :include: file " + path + ": No such file or directory");
            x.bounce("5.3.5", "mail system configuration error");
            return;
        }
        if (!st.isRegular()) {
            LOG.warn(":include: file " + path + " is not a regular file");
            x.bounce("5.3.5", "mail system configuration error");
            return;
        }
        if ((st.mode() & 0002) != 0) {
            LOG.warn(":include: file " + path + " is world writable");
            x.bounce("5.3.5", "mail system configuration error");
            return;
        }
        s = s.withExpType(LocalSettings.EXP_INCLUDE);
        UserAttr rights = u;
        if (u.uid() == 0) {
            UnixUser owner = x.accounts.byUid(st.uid());
            if (owner == null) {
                LOG.warn("cannot find username for uid " + st.uid());
                LOG.warn(path + ": cannot find :include: file owner username");
                x.defer("4.3.5", "mail system configuration error");
                return;
            }
            if (owner.uid() != 0) {
                rights = UserAttr.of(owner);
            }
        }
        if (s.owner() == null) {
            s = s.withOwner(s.address(), s.sender());
        }
        List<String> lines;
        try {
            UserAttr r = rights;
            lines = FsIdentity.runAs(r.uid(), r.gid(), () -> Files.readAllLines(Path.of(path), StandardCharsets.UTF_8));
        } catch (Exception e) {
            LOG.warn("cannot open include file " + path + ": " + e.getMessage());
            x.bounce("5.3.5", "mail system configuration error");
            return;
        }
        if ((x.settings.extPropMask & LocalSettings.EXT_PROP_INCLUDE) == 0) {
            s = s.withUnmatched(null);
        }
        x.deliverTokenLines(s, rights, lines);
    }
}
