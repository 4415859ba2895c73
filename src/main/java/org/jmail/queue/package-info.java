/**
 * The durable mail queue: queue ids, the queue file format, and the directories a message
 * moves through (incoming, active, deferred, hold, corrupt). {@link org.jmail.queue.MailQueue}
 * is the entry point; cleanup writes through {@link org.jmail.queue.QueueFileWriter}, the
 * queue manager and mailq read through {@link org.jmail.queue.MailQueue#read}. Knows nothing
 * of SMTP or delivery.
 */
package org.jmail.queue;
