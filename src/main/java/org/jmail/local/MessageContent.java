package org.jmail.local;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.jmail.mailbox.MboxFormat;
import org.jmail.qmgr.DeliveryRequest;

/**
 * A queued message's content, read once per delivery request, with what local(8) derives from
 * it: the Delivered-To addresses already present (lower-cased, for loop detection), and the
 * mbox and command renderings of the content, each built once and shared by every copy.
 */
final class MessageContent {

    private final byte[] bytes;
    private final int length;
    private final Set<String> deliveredTo;
    private byte[] mboxBody;
    private byte[] commandBody;

    private MessageContent(byte[] bytes, int length) {
        this.bytes = bytes;
        this.length = length;
        this.deliveredTo = scanDeliveredTo(bytes, length);
    }

    static MessageContent read(DeliveryRequest request) throws IOException {
        long hint = request.contentSize();
        byte[] cached = request.contentInMemory();
        if (cached != null) {
            return new MessageContent(cached, (int) hint); // shared, never written: no copy
        }
        byte[] buf = new byte[(int) Math.max(256, Math.min(hint + 1, Integer.MAX_VALUE - 16))];
        int n = 0;
        try (InputStream in = request.openContent()) {
            while (true) {
                if (n == buf.length) {
                    buf = Arrays.copyOf(buf, buf.length * 2);
                }
                int r = in.read(buf, n, buf.length - n);
                if (r < 0) {
                    break;
                }
                n += r;
            }
        }
        return new MessageContent(buf, n);
    }

    static MessageContent of(byte[] content) {
        return new MessageContent(content, content.length);
    }

    byte[] bytes() {
        return bytes;
    }

    int length() {
        return length;
    }

    /** Delivered-To header values, lower-cased. */
    Set<String> deliveredTo() {
        return deliveredTo;
    }

    /** The content as it goes into an mbox: >From quoted, metadata headers stripped, blank line. */
    synchronized byte[] mboxBody() {
        if (mboxBody == null) {
            mboxBody = MboxFormat.body(bytes, 0, length, MboxFormat.BodyOptions.MBOX);
        }
        return mboxBody;
    }

    /** The content as piped to a command: unchanged, final newline ensured. */
    synchronized byte[] commandBody() {
        if (commandBody == null) {
            commandBody = MboxFormat.body(bytes, 0, length, MboxFormat.BodyOptions.COMMAND);
        }
        return commandBody;
    }

    /** delivered_init(): Delivered-To values from the header section only. */
    private static Set<String> scanDeliveredTo(byte[] b, int len) {
        Set<String> out = new HashSet<>();
        int i = 0;
        while (i < len) {
            int nl = i;
            while (nl < len && b[nl] != '\n') {
                nl++;
            }
            if (nl == i) {
                break; // end of headers
            }
            byte first = b[i];
            if (first != ' ' && first != '\t') {
                int colon = i;
                while (colon < nl && b[colon] != ':') {
                    colon++;
                }
                if (colon == nl) {
                    break; // not a header line: the body has begun
                }
                if (colon - i == 12 && new String(b, i, 12, StandardCharsets.ISO_8859_1)
                        .equalsIgnoreCase("Delivered-To")) {
                    String v = new String(b, colon + 1, nl - colon - 1, StandardCharsets.UTF_8).strip();
                    out.add(v.toLowerCase(Locale.ROOT));
                }
            }
            i = nl + 1;
        }
        return out;
    }
}
