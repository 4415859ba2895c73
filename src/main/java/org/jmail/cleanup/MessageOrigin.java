package org.jmail.cleanup;

/**
 * Who handed us a message, for the Received: header and the log.
 *
 * @param clientName  verified reverse name of the client, or "unknown" (sendmail: "localhost")
 * @param clientAddr  client IP address as text, no brackets ("127.0.0.1", "::1"); "127.0.0.1" for local submission
 * @param clientPort  client TCP port, 0 for local submission
 * @param helo        HELO/EHLO argument, or null
 * @param protocol    "SMTP", "ESMTP", "ESMTPS", "ESMTPA", "ESMTPSA", or "local" for sendmail(1)
 * @param tlsSummary  Postfix's "(using TLSv1.3 with cipher … (256/256 bits))" text, or null
 * @param saslUser    authenticated SASL user name, or null
 * @param localSubmitter  Unix user name for sendmail(1) submissions ("uid=0 from=<root>"), else null
 * @param saslMethod  the SASL mechanism of {@code saslUser} ("PLAIN", "LOGIN"), or null
 */
public record MessageOrigin(String clientName, String clientAddr, int clientPort, String helo, String protocol,
                            String tlsSummary, String saslUser, String localSubmitter, String saslMethod) {

    /** Without a SASL mechanism: local submissions and mail jmail makes itself. */
    public MessageOrigin(String clientName, String clientAddr, int clientPort, String helo, String protocol,
                         String tlsSummary, String saslUser, String localSubmitter) {
        this(clientName, clientAddr, clientPort, helo, protocol, tlsSummary, saslUser, localSubmitter, null);
    }

    /** "name[addr]" as in Postfix log lines. */
    public String nameAddr() {
        return clientName + "[" + clientAddr + "]";
    }
}
