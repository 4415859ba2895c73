package org.jmail.qmgr;

/**
 * Postfix's retry(8) (error(8) under the name retry): defers every recipient with the next
 * hop as the reason; default code 4.0.0. Transport name "retry".
 */
public final class RetryAgent implements DeliveryAgent {

    @Override
    public String transport() {
        return "retry";
    }

    @Override
    public void deliver(DeliveryRequest request) {
        Dsn dsn = Dsn.split("4.0.0", request.nexthop());
        for (DeliveryRequest.Recipient r : request.recipients()) {
            request.deferred(r, "none", dsn.status(), dsn.text());
        }
    }
}
