/**
 * Postfix's qmgr(8), bounce(8) and the trivial delivery agents error(8), retry and
 * discard(8): {@link org.jmail.qmgr.QueueManager} schedules committed messages onto
 * {@link org.jmail.qmgr.DeliveryAgent}s and records what happened; the agents in this
 * package ({@link org.jmail.qmgr.ErrorAgent}, {@link org.jmail.qmgr.RetryAgent},
 * {@link org.jmail.qmgr.DiscardAgent}) need no package of their own.
 */
package org.jmail.qmgr;
