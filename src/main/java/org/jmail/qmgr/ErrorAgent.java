package org.jmail.qmgr;

/**
 * Postfix's error(8): bounces every recipient of the request with the next hop as the
 * reason ({@code transport_maps} entry {@code error:5.1.1 no such user}); a reason without a
 * detail code gets 5.0.0. Logs {@code relay=none}. Transport name "error".
 */
public final class ErrorAgent implements DeliveryAgent {

    @Override
    public String transport() {
        return "error";
    }

    @Override
    public void deliver(DeliveryRequest request) {
        Dsn dsn = Dsn.split("5.0.0", request.nexthop());
        for (DeliveryRequest.Recipient r : request.recipients()) {
            request.bounced(r, "none", dsn.status(), dsn.text());
        }
    }
}
