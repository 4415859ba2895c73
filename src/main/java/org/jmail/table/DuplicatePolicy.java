package org.jmail.table;

/** What a table build does with a key seen twice: postmap's default, -w, and -r. */
public enum DuplicatePolicy {
    /** Keep the first entry and warn "duplicate entry" with file:line (the default). */
    WARN,
    /** Keep the first entry silently (-w). */
    IGNORE,
    /** Keep the last entry silently (-r). */
    REPLACE
}
