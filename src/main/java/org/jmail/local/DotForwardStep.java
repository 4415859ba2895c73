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
 * ~/.forward expansion (Postfix's dotforward.c): the first existing file of forward_path
 * (expanded per recipient) is read as the user, and must be a regular file owned by the user
 * (or root) and not world-writable (nor group-writable for a group other than the user's own);
 * otherwise it is ignored with a warning. Its destinations run with the user's rights, and
 * local addresses in it are resubmitted, except the user's own name, which means "my
 * mailbox". An empty .forward means no forwarding.
 */
final class DotForwardStep {

    private static final MailLog LOG = MailLog.of("local");


    private DotForwardStep() {
    }

    /** True when a .forward file with at least one destination was used. */
    static boolean deliver(Expansion x, DeliveryState s, UserAttr u) {
        s = s.deeper();
        if (x.settings.forwardPathEntries.isEmpty()) {
            return false;
        }
        UnixUser pw = x.accounts.byName(s.user());
        if (pw == null) {
            return false;
        }
        if (!x.settings.frozenDeliveredTo) {
            s = s.withDelivered(s.address());
        }
        UserAttr rights = UserAttr.of(pw);
        s = s.withExpType(LocalSettings.EXP_FORWARD).withOwner(s.user(), s.sender());

        String path = null;
        FileInfo st = null;
        for (String entry : x.settings.forwardPathEntries) {
            LocalExpander.Result r = LocalExpander.expand(entry, x.attributes(s, rights),
                    x.settings.forwardExpansionFilter);
            if (r.undefined()) {
                continue;
            }
            FileInfo found = lstatAs(r.text(), pw);
            if (found != null) {
                path = r.text();
                st = found;
                if (r.extensionUsed() || (x.settings.extPropMask & LocalSettings.EXT_PROP_FORWARD) == 0) {
                    s = s.withUnmatched(null);
                }
                break;
            }
        }
        if (path == null) {
            return false;
        }
        if (x.job.beenHere("forward " + path)) {
            return x.job.beenHereCheck("forward-done " + path); // else we're recursive
        }
        s = s.withExpFrom(s.local());
        if (!st.isRegular()) {
            LOG.warn("file " + path + " is not a regular file");
            return false;
        }
        if (st.uid() != 0 && st.uid() != pw.uid()) {
            LOG.warn("file " + path + " has bad owner uid " + st.uid());
            return false;
        }
        if ((st.mode() & 0002) != 0) {
            LOG.warn("file " + path + " is world writable");
            return false;
        }
        if ((st.mode() & 0020) != 0 && st.gid() != pw.gid()) {
            LOG.warn("file " + path + " is group writable");
            return false;
        }
        List<String> lines;
        try {
            String p = path;
            lines = FsIdentity.runAs(pw, () -> Files.readAllLines(Path.of(p), StandardCharsets.UTF_8));
        } catch (Exception e) {
            LOG.warn("cannot open file " + path + ": " + e.getMessage());
            return false;
        }
        int count = x.deliverTokenLines(s, rights, lines);
        if (count > 0) {
            x.job.beenHere("forward-done " + path);
            return true;
        }
        return false;
    }

    private static FileInfo lstatAs(String path, UnixUser pw) {
        try {
            // Most users have no .forward: when the daemon's own identity sees no such path,
            // the user can't either, and the identity switch (ten system calls) is saved. A
            // path the daemon can't look into (root-squashed NFS) is looked up as the user.
            if (FsIdentity.isSupported() && NativeFile.lstat(path) == null) {
                return null;
            }
        } catch (Exception e) {
            // fall through to the user's own view
        }
        try {
            return FsIdentity.runAs(pw, () -> NativeFile.lstat(path));
        } catch (Exception e) {
            return null;
        }
    }
}
