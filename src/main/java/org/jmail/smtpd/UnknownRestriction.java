package org.jmail.smtpd;

/**
 * A name in a restriction list that jmail does not know. Like Postfix, the list is accepted at
 * start-up and the problem shows when the restriction is reached: a warning
 * {@code unknown smtpd restriction: "name"} and {@code 451 4.3.5 Server configuration error}.
 */
final class UnknownRestriction implements Restriction {

    private final String name;

    UnknownRestriction(String name) {
        this.name = name;
    }

    @Override
    public Verdict check(CheckContext ctx) {
        throw new ConfigurationError("unknown smtpd restriction: \"" + name + "\"");
    }
}
