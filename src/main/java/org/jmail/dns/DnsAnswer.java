package org.jmail.dns;

import java.util.List;

/**
 * The answer to one lookup: a status, the records of the requested type (empty unless
 * {@link DnsStatus#OK}), and the name and type asked, for Postfix's error text.
 *
 * @param name    the name as queried (no trailing dot)
 * @param type    "MX", "A", "AAAA", "TXT", "PTR"
 * @param status  the outcome class
 * @param records the records (CNAMEs followed), never null
 * @param ttl     seconds the answer may be cached (0 for failures that must not be cached)
 */
public record DnsAnswer<T>(String name, String type, DnsStatus status, List<T> records, long ttl) {

    public DnsAnswer {
        records = List.copyOf(records);
    }

    public boolean ok() {
        return status == DnsStatus.OK;
    }

    /**
     * Postfix's dns_query() text for a failed lookup: {@code Host or domain name not found.
     * Name service error for name=example.com type=MX: Host not found, try again}.
     */
    public String reason() {
        return "Host or domain name not found. Name service error for name=" + name + " type=" + type + ": "
                + status.text();
    }

    <U> DnsAnswer<U> withRecords(List<U> converted) {
        return new DnsAnswer<>(name, type, status, converted, ttl);
    }
}
