package org.jmail.queue;

/**
 * One envelope recipient of a queued message: its address as stored by cleanup, the original
 * recipient (RCPT TO as given, or the DSN ORCPT), whether it is finished (delivered or
 * bounced, durably recorded), the latest deferral reason if any, and the DSN NOTIFY= flags the
 * client gave (RFC 3461; Postfix's DSN_NOTIFY_* values, 0 when it gave none) with its ORCPT=
 * ("rfc822;addr", decoded; null when it gave none).
 */
public final class QueuedRecipient {

    /** NOTIFY=NEVER. */
    public static final int NOTIFY_NEVER = 1;
    public static final int NOTIFY_SUCCESS = 2;
    public static final int NOTIFY_FAILURE = 4;
    public static final int NOTIFY_DELAY = 8;

    private final int index;
    private final String address;
    private final String original;
    private final int notify;
    private final String orcpt;
    private volatile boolean done;
    private volatile String deferDsn;
    private volatile String deferRelay;
    private volatile String deferText;
    private volatile boolean warned;

    public QueuedRecipient(int index, String address, String original) {
        this(index, address, original, 0, null);
    }

    public QueuedRecipient(int index, String address, String original, int notify, String orcpt) {
        this.index = index;
        this.address = address;
        this.original = original;
        this.notify = notify;
        this.orcpt = orcpt;
    }

    /** The DSN ORCPT= as "type;address" (xtext decoded), or null when the client gave none. */
    public String orcpt() {
        return orcpt;
    }

    /** The NOTIFY= flags, 0 when none were given. */
    public int dsnNotify() {
        return notify;
    }

    /** Whether a non-delivery notice is wanted: no NOTIFY (the default), or one with FAILURE. */
    public boolean wantsFailureNotice() {
        return notify == 0 || (notify & NOTIFY_FAILURE) != 0;
    }

    /** Whether a delay warning is wanted: no NOTIFY, or one with DELAY. */
    public boolean wantsDelayNotice() {
        return notify == 0 || (notify & NOTIFY_DELAY) != 0;
    }

    /** Whether a success notice is wanted: only when NOTIFY has SUCCESS. */
    public boolean wantsSuccessNotice() {
        return (notify & NOTIFY_SUCCESS) != 0;
    }

    /** NOTIFY= value text ("NEVER", "SUCCESS,FAILURE,DELAY") to flags; 0 for null. */
    public static int parseNotify(String value) {
        if (value == null) {
            return 0;
        }
        int flags = 0;
        for (String k : value.split(",")) {
            switch (k.strip().toUpperCase(java.util.Locale.ROOT)) {
                case "NEVER" -> flags |= NOTIFY_NEVER;
                case "SUCCESS" -> flags |= NOTIFY_SUCCESS;
                case "FAILURE" -> flags |= NOTIFY_FAILURE;
                case "DELAY" -> flags |= NOTIFY_DELAY;
                default -> {
                    // validated by smtpd; unknown words are ignored here
                }
            }
        }
        return flags;
    }

    /** Flags back to NOTIFY= text, for the next hop; null for 0. */
    public static String notifyText(int flags) {
        if (flags == 0) {
            return null;
        }
        if ((flags & NOTIFY_NEVER) != 0) {
            return "NEVER";
        }
        StringBuilder b = new StringBuilder();
        for (int f : new int[] {NOTIFY_SUCCESS, NOTIFY_FAILURE, NOTIFY_DELAY}) {
            if ((flags & f) != 0) {
                b.append(b.length() > 0 ? "," : "").append(f == NOTIFY_SUCCESS ? "SUCCESS" : f == NOTIFY_FAILURE ? "FAILURE" : "DELAY");
            }
        }
        return b.toString();
    }

    /** Position in the queue file; stable for the message's life. */
    public int index() {
        return index;
    }

    public String address() {
        return address;
    }

    /** The original recipient, or null when it is the same as {@link #address()}. */
    public String original() {
        return original;
    }

    public boolean isDone() {
        return done;
    }

    void markDone() {
        done = true;
    }

    /** The DSN status of the latest deferral ("4.4.1"), or null when never deferred. */
    public String deferDsn() {
        return deferDsn;
    }

    public String deferRelay() {
        return deferRelay;
    }

    /** The text of the latest deferral, as logged in {@code status=deferred (text)}. */
    public String deferText() {
        return deferText;
    }

    void setDeferral(String dsn, String relay, String text) {
        deferDsn = dsn;
        deferRelay = relay;
        deferText = text;
    }

    /** A delay warning (delay_warning_time) already told the sender about this recipient. */
    public boolean isWarned() {
        return warned;
    }

    void markWarned() {
        warned = true;
    }
}
