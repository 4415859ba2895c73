package org.jmail.local;

import java.io.IOException;
import org.jmail.log.MailLog;
import org.jmail.posix.UnixUser;

/**
 * alias_maps expansion (Postfix's alias.c). An alias that lists its own name delivers to the
 * user ({@code userA: userA, userB} keeps a copy for userA). Commands and files in an alias run
 * with the rights of the alias database owner, or default_privs when root owns it. When an
 * {@code owner-NAME} alias exists, the sender becomes {@code owner-NAME@$myorigin} and local
 * destinations are resubmitted. Loops end at the nesting limit with
 * {@code 5.4.6 alias database loop for NAME}.
 */
final class AliasStep {

    private static final MailLog LOG = MailLog.of("local");

    private AliasStep() {
    }

    /** True when the alias was found (and expanded) or failed; false: deliver to the user. */
    static boolean deliver(Expansion x, DeliveryState s, UserAttr u, String name) {
        s = s.deeper();
        if (s.expFrom() != null && s.expFrom().equalsIgnoreCase(name)) {
            return false;
        }
        if (s.level() > Expansion.MAX_LEVEL) {
            LOG.warn("alias database loop for " + name);
            x.bounce("5.4.6", "alias database loop for " + name);
            return true;
        }
        s = s.withExpFrom(name);
        AliasMaps.Alias alias;
        try {
            alias = x.aliases.find(name);
        } catch (IOException e) {
            LOG.warn("alias database unavailable: " + e.getMessage());
            x.defer("4.3.0", "alias database unavailable");
            return true;
        }
        if (alias == null) {
            return false;
        }
        s = s.withExpType(LocalSettings.EXP_ALIAS);
        UserAttr rights;
        if (alias.ownerUid() == 0) {
            rights = UserAttr.NONE;
        } else {
            UnixUser owner = x.accounts.byUid(alias.ownerUid());
            if (owner == null) {
                LOG.warn("cannot find alias database owner for " + alias.spec());
                x.defer("4.3.0", "cannot find alias database owner");
                return true;
            }
            rights = UserAttr.of(owner);
        }
        String ownerAlias = null;
        if (x.settings.ownerRequestSpecial) {
            try {
                AliasMaps.Alias o = x.aliases.find("owner-" + name);
                if (o != null) {
                    ownerAlias = x.canonical(x.settings.expandOwnerAlias ? o.value() : "owner-" + name);
                }
            } catch (IOException e) {
                x.defer("4.3.0", "alias database unavailable");
                return true;
            }
        }
        s = ownerAlias != null ? s.withOwner(ownerAlias, ownerAlias) : s.withOwner(null, s.sender());
        if (!x.settings.frozenDeliveredTo) {
            s = s.withDelivered(s.address());
        }
        int count = x.deliverTokenString(s, rights, alias.value());
        if (count < 1) {
            LOG.warn("no recipient in alias lookup result for " + name);
            x.defer("4.3.0", "alias database unavailable");
        }
        return true;
    }
}
