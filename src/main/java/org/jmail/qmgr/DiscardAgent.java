package org.jmail.qmgr;

/**
 * Postfix's discard(8): pretends to deliver every recipient and logs the next hop as the
 * reason, {@code relay=none, dsn=2.0.0, status=sent (reason)}; a reason may carry its own
 * detail code. With an empty next hop the recipient's domain is the reason, as with
 * Postfix, where the resolver fills the next hop with the domain. Transport name "discard".
 */
public final class DiscardAgent implements DeliveryAgent {

    @Override
    public String transport() {
        return "discard";
    }

    @Override
    public void deliver(DeliveryRequest request) {
        Dsn dsn = Dsn.split("2.0.0", request.nexthop());
        for (DeliveryRequest.Recipient r : request.recipients()) {
            String text = dsn.text();
            if (text.isEmpty()) {
                int at = r.address().lastIndexOf('@');
                text = at >= 0 ? r.address().substring(at + 1) : "discarded";
            }
            request.sent(r, "none", dsn.status(), text);
        }
    }
}
