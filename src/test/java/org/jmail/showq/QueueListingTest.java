package org.jmail.showq;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.jmail.queue.MailQueue;
import org.jmail.queue.QueueFile;
import org.jmail.queue.QueueFileWriter;
import org.jmail.queue.QueuedMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueueListingTest {

    private final QueueListing listing = new QueueListing(java.nio.file.Path.of("/nonexistent"), ZoneOffset.UTC);

    @Test
    void emptyQueueSaysSo() {
        assertEquals("Mail queue is empty\n", listing.format(List.of()));
    }

    @Test
    void formatIsPostfixMailqWithStatusMarksReasonsAndTotals() {
        Instant t = Instant.parse("2026-11-08T09:05:03Z");
        List<QueueListing.Entry> e = List.of(
                new QueueListing.Entry("active", "0123456789AB", t, 1500, "alice@example.tst",
                        List.of(new QueueListing.Rcpt("bob@example.net", ""))),
                new QueueListing.Entry("deferred", "0123456789AC", t, 2000, "",
                        List.of(new QueueListing.Rcpt("x@example.net", "connect to example.net[192.0.2.1]:25: Connection refused"),
                                new QueueListing.Rcpt("y@example.net", "connect to example.net[192.0.2.1]:25: Connection refused"))),
                new QueueListing.Entry("hold", "0123456789AD", t, 100, "carol@example.tst",
                        List.of(new QueueListing.Rcpt("dave@example.net", ""))));
        String pad41 = " ".repeat(41);
        String reason = "(connect to example.net[192.0.2.1]:25: Connection refused)";
        String expected = "-Queue ID-  --Size-- ----Arrival Time---- -Sender/Recipient-------\n"
                + "0123456789AB*    1500 Sun Nov  8 09:05:03  alice@example.tst\n"
                + pad41 + "bob@example.net\n"
                + "\n"
                + "0123456789AC    2000 Sun Nov  8 09:05:03  MAILER-DAEMON\n"
                + " ".repeat(76 - (reason.length() - 2)) + reason + "\n"
                + pad41 + "x@example.net\n"
                + pad41 + "y@example.net\n"
                + "\n"
                + "0123456789AD!     100 Sun Nov  8 09:05:03  carol@example.tst\n"
                + pad41 + "dave@example.net\n"
                + "\n"
                + "-- 3 Kbytes in 3 Requests.\n";
        assertEquals(expected, listing.format(e));
    }

    /**
     * As Postfix 3's showq: the size is the message's (its size record), not the queue file's;
     * recipients from the defer log (with a reason) come before the others; the active queue is
     * listed before incoming.
     */
    @Test
    void entriesUseMessageSizeDeferredRecipientsFirstAndActiveBeforeIncoming(@TempDir Path dir) throws Exception {
        String incomingId;
        try (MailQueue q = MailQueue.open(dir)) {
            QueueFileWriter w = q.create(Instant.parse("2026-11-08T09:05:03Z"), "s@x.tst");
            w.addRecipient("a@x.tst", null);
            w.addRecipient("b@x.tst", null);
            byte[] line = "Subject: hi".getBytes(StandardCharsets.UTF_8);
            w.appendLine(line, 0, line.length);
            QueuedMessage m = q.commit(w);
            q.appendStatus(m, new QueueFile.StatusBatch().deferred(m.recipients().get(1), "4.4.1", "mx", "timed out"));
            QueueFileWriter w2 = q.create(Instant.parse("2026-11-08T09:05:04Z"), "t@x.tst");
            w2.addRecipient("c@x.tst", null);
            QueuedMessage m2 = q.commit(w2);
            q.move(m2, MailQueue.INCOMING);
            incomingId = m2.id();
            List<QueueListing.Entry> e = new QueueListing(dir, ZoneOffset.UTC).entries();
            assertEquals(List.of(MailQueue.ACTIVE, MailQueue.INCOMING), e.stream().map(QueueListing.Entry::queue).toList());
            assertEquals(incomingId, e.get(1).id());
            assertEquals(m.contentSize(), e.get(0).size());
            assertEquals(List.of(new QueueListing.Rcpt("b@x.tst", "timed out"), new QueueListing.Rcpt("a@x.tst", "")),
                    e.get(0).recipients());
        }
    }

    @Test
    void jsonHasPostfixFieldNames() {
        Instant t = Instant.ofEpochSecond(1_790_000_000L);
        String j = QueueListing.json(List.of(new QueueListing.Entry("deferred", "0123456789AC", t, 20, "a\"b@x.tst",
                List.of(new QueueListing.Rcpt("x@y.tst", "timeout")))));
        assertEquals("{\"queue_name\": \"deferred\", \"queue_id\": \"0123456789AC\", \"arrival_time\": 1790000000, "
                + "\"message_size\": 20, \"forced_expire\": false, \"sender\": \"a\\\"b@x.tst\", \"recipients\": "
                + "[{\"address\": \"x@y.tst\", \"delay_reason\": \"timeout\"}]}\n", j);
    }
}
