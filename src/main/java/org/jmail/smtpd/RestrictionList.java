package org.jmail.smtpd;

import java.io.IOException;
import java.util.List;
import java.util.Set;

/**
 * One parsed {@code smtpd_*_restrictions} parameter: restrictions evaluated in order until one
 * says PERMIT or rejects (Postfix's generic_checks). Immutable; shared by all sessions.
 */
final class RestrictionList {

    private final String parameter;
    private final List<String> names;
    private final List<Restriction> restrictions;

    RestrictionList(String parameter, List<String> names, List<Restriction> restrictions) {
        this.parameter = parameter;
        this.names = List.copyOf(names);
        this.restrictions = List.copyOf(restrictions);
    }

    String parameter() {
        return parameter;
    }

    boolean isEmpty() {
        return restrictions.isEmpty();
    }

    /** Whether any of the given keywords appears in the list. */
    boolean containsAny(Set<String> keywords) {
        for (String n : names) {
            if (keywords.contains(n)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Runs the list. Table failures become {@code 451 4.3.0 ... Temporary lookup failure},
     * configuration problems a warning plus {@code 451 4.3.5 Server configuration error}.
     */
    Verdict evaluate(CheckContext ctx) {
        for (Restriction r : restrictions) {
            Verdict v;
            try {
                v = r.check(ctx);
            } catch (IOException e) {
                SmtpdChecks.LOG.warn(parameter + ": lookup error for \"" + ctx.replyName() + "\": " + e.getMessage());
                return ctx.temporaryLookupFailure();
            } catch (Restriction.ConfigurationError e) {
                SmtpdChecks.LOG.warn(e.getMessage());
                return ctx.serverConfigurationError();
            }
            if (v.kind() != Verdict.Kind.DUNNO) {
                return v;
            }
        }
        return Verdict.DUNNO;
    }

    /** Names in the list that no restriction is registered for. */
    List<String> unknownNames() {
        List<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < restrictions.size(); i++) {
            if (restrictions.get(i) instanceof UnknownRestriction) {
                out.add(names.get(i));
            }
        }
        return out;
    }

    /** Runs the list inside another restriction (an access table action): failures propagate. */
    Verdict evaluateNested(CheckContext ctx) throws IOException {
        for (Restriction r : restrictions) {
            Verdict v = r.check(ctx);
            if (v.kind() != Verdict.Kind.DUNNO) {
                return v;
            }
        }
        return Verdict.DUNNO;
    }

    @Override
    public String toString() {
        return parameter + " = " + String.join(", ", names);
    }
}
