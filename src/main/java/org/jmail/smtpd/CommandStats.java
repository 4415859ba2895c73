package org.jmail.smtpd;

/**
 * Per-session command counters for Postfix 3's disconnect line:
 * {@code disconnect from name[addr] ehlo=1 mail=1 rcpt=0/1 data=1 quit=1 commands=4/5} — each
 * command used shows {@code ok} or {@code ok/total} when some failed, in Postfix's command
 * table order, then the totals ({@code commands=0/0} when nothing was sent).
 */
final class CommandStats {

    private static final String[] ORDER = {
        "helo", "ehlo", "xclient", "xforward", "starttls", "auth", "mail", "rcpt", "data", "bdat", "rset",
        "noop", "vrfy", "etrn", "quit", "unknown"};

    private final int[] ok = new int[ORDER.length];
    private final int[] total = new int[ORDER.length];

    /** Counts one command (lower-case name, or "unknown"). */
    void record(String name, boolean success) {
        for (int i = 0; i < ORDER.length; i++) {
            if (ORDER[i].equals(name)) {
                total[i]++;
                if (success) {
                    ok[i]++;
                }
                return;
            }
        }
    }

    String format() {
        StringBuilder sb = new StringBuilder(64);
        int okSum = 0;
        int totalSum = 0;
        for (int i = 0; i < ORDER.length; i++) {
            if (total[i] == 0) {
                continue;
            }
            sb.append(' ').append(ORDER[i]).append('=').append(ok[i]);
            if (ok[i] != total[i]) {
                sb.append('/').append(total[i]);
            }
            okSum += ok[i];
            totalSum += total[i];
        }
        sb.append(" commands=").append(okSum);
        if (okSum != totalSum || totalSum == 0) {
            sb.append('/').append(totalSum);
        }
        return sb.toString();
    }
}
