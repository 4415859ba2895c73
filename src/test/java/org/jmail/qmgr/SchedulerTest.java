package org.jmail.qmgr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchedulerTest {

    /** Runs nothing by itself: dispatched requests are collected, completion is manual. */
    private static final class Harness {
        final List<Delivery> started = new ArrayList<>();
        final Scheduler scheduler;

        Harness(int max, Map<String, Integer> limits) {
            scheduler = new Scheduler(max, t -> limits.getOrDefault(t, 20), Runnable::run, started::add);
        }
    }

    private static Delivery request(String transport, String dest) {
        DeliveryAgent agent = new DiscardAgent();
        return new Delivery(null, agent, transport, dest, transport + "\0" + dest, 2);
    }

    @Test
    void destinationConcurrencyAndTotalLimitAreHonoured() {
        Harness h = new Harness(3, Map.of("local", 1));
        List<Delivery> reqs = List.of(request("local", "a"), request("local", "a"), request("local", "b"),
                request("local", "c"), request("local", "d"));
        h.scheduler.submit(reqs);
        assertEquals(3, h.started.size(), "at most 3 in flight");
        assertEquals(List.of("a", "b", "c"), h.started.stream().map(Delivery::nexthop).toList(),
                "the second request for mailbox a waits: one at a time per mailbox");
        h.scheduler.completed(h.started.get(0));
        assertEquals("d", h.started.get(3).nexthop(), "d was ready first; a queues behind it (round-robin)");
        h.scheduler.completed(h.started.get(1));
        assertEquals("a", h.started.get(4).nexthop());
        assertEquals(3, h.scheduler.inFlight());
    }
}
